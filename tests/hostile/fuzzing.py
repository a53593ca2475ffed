"""A seeded fuzzer over every field of every source file of a small compendium.

The fixture (:func:`base_files`) is the mini compendium with every optional field
filled in and a ``packs.yml``. A case replaces one field of one file (or the body of
a page, or the text of a whole file) with a hostile value, runs the validator that
``make check`` runs (:func:`compendium.source.checks.validate`) in this process, and
sorts the result into one outcome:

- ``accepted``: no error (the build must then succeed, see ``test_robustness``);
- ``refused``: errors, at least one naming the mutated file;
- ``refused elsewhere``: errors naming other files only, for a value that is valid
  on its own (a role id renamed in ``roles.yml`` leaves the articles naming it);
- failures: ``traceback``, ``hang`` (over the time limit), ``silent acceptance``
  (no error for a value README refuses: a schema violation, a control or
  bidirectional character anywhere, a line break or invisible character in a
  one-line field, a text over the field limit, raw HTML) and ``misplaced`` (a
  refusal README demands that names another file only, or a problem without a
  line).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import re
import signal
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from compendium.source.chars import CONTROL_RE, INVISIBLE_RE, LINE_BREAK_RE
from compendium.source.checks import validate
from compendium.source.limits import MAX_FIELD_CHARS
from compendium.source.problems import Problems
from compendium.source.tree import MemoryTree
from compendium.source.yamlsrc import load_yaml, split_front_matter

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini" / "docs"
AS_OF = dt.date(2026, 6, 1)

FAILURES = ("traceback", "hang", "silent acceptance", "misplaced")
OUTCOMES = ("accepted", "refused", "refused elsewhere", *FAILURES)

_TYPES = (
    "list|empty list|dict|empty dict|int|negative|huge int|bool|null|float|date|timestamp"
    "|non-string key|unknown key|repeat item|remove"
)
# Cases whose failures are fixed on other branches, as patterns over a case's label
# (``kind:field.path:mutation``): YAML nested too deep, review_every and dates, the
# field types of roles.yml and of a manifest's owner, a role page's role, pack ids
# too long for a file name. Generated but not run while listed here: empty this list
# once those branches are merged.
KNOWN_ELSEWHERE: list[str] = []

# -- the fixture ---------------------------------------------------------------------

_ALPHA = "regulations/alpha"
OVERLAYS = {
    f"{_ALPHA}/index.md": """---
compendium: regulation
id: alpha
code: A-01
title: {zh-Hant: 甲管理制度, en: Alpha Management Regulation}
title_short: {zh-Hant: 甲制度, en: Alpha Regulation}
owner: ops-dept
version: "2.1"
effective: 2026-03-01
numbering: chapter-article
review_every: 12
last_reviewed: 2026-01-01
formerly: [old-alpha]
source:
  file: alpha-source.txt
  truncated: {zh-Hant: 原文至第五條止。, en: The source ends at Article 5.}
notes:
  zh-Hant: [本制度由運營部門維護。]
  en: [The Operations Department maintains this Regulation.]
chapters:
  - id: general
    title: {zh-Hant: 總則, en: General Provisions}
    formerly: [intro-chapter]
    articles: [purpose, scope]
  - id: data
    title: {zh-Hant: 數據管理, en: Data Management}
    inserted: true
    sections:
      - id: storage
        title: {zh-Hant: 儲存, en: Storage}
        formerly: [keeping]
        articles: [backup, {id: backup-offsite, inserted: true}, retention]
      - id: use
        title: {zh-Hant: 使用, en: Use}
        articles: [access, {id: old-rule, repealed: 2026-02-01}]
---
""",
    f"{_ALPHA}/old-rule.zh-Hant.md": "---\nid: old-rule\n---\n（刪除）\n",
    f"{_ALPHA}/old-rule.en.md": "---\nid: old-rule\n---\n(Deleted)\n",
    f"{_ALPHA}/backup.zh-Hant.md": """---
id: backup
caption: 備份
roles: [ops-dept]
duties:
  ops-dept: 負責每日備份數據，並依[[retention]]保存。
effective: 2026-03-01
history:
  - date: 2026-01-01
    release: "2026.1"
    note: 首次發布。
  - date: 2026-03-01
    release: "2026.2"
    note: {zh-Hant: 提高備份頻率。, en: Backups are made more often.}
editorial:
  - 原文「必需」依文意改為「必須」。
formerly: [daily-backup]
truncated: false
---
運營部門應辦理下列事項：

1. 每日備份數據。
2. 每週檢查備份。
""",
    f"{_ALPHA}/backup.en.md": """---
id: backup
caption: Backup
translates: 3f2a9c1b0d4e
duties:
  ops-dept: Responsible for the daily data backup, kept under [[retention]].
editorial:
  - The source's "必需" is read as "必須".
truncated: false
---
The Operations Department shall:

1. back up data daily;
2. check the backups weekly.
""",
    "roles.yml": """roles:
  - id: ops-dept
    kind: department
    name: {zh-Hant: 運營部門, en: Operations Department}
    aliases: {zh-Hant: [運營部], en: [operations]}
    parent: all-employees
    note: 運營部與運營部門為同一單位。
  - id: all-employees
    kind: everyone
    name: {zh-Hant: 全體員工, en: All Employees}
    aliases: {zh-Hant: [全部員工], en: [all employees]}
""",
    "glossary.yml": """terms:
  - {zh-Hant: 數據, en: data}
  - zh-Hant: 備份
    en: backup / back up
    note: "備份數據 = back up data."
    senses:
      - {en: copy, note: "Where a single file is meant."}
  - {zh-Hant: 可, en: may, check: false, note: "A grammar word that occurs in other words."}
""",
    "packs.yml": """packs:
  - id: ops-onboarding
    title: {zh-Hant: 運營部門入職資料, en: Operations Onboarding Pack}
    roles: [ops-dept, all-employees]
    contents:
      - general-provisions
      - duties
      - regulation: alpha
        chapters: [data]
        title: {zh-Hant: 數據管理, en: Data Management}
      - articles: [beta/intro, beta/principles]
        title: {zh-Hant: 乙辦法摘要, en: Beta in Brief}
""",
    "roles/ops-dept.md": "---\ncompendium: role\nrole: ops-dept\ntitle: 運營部門\n---\n",
    "index.md": "---\ncompendium: home\ntitle: 規章彙編\n---\n",
    # any other YAML: read by nothing, checked like every content file
    "regulations/alpha/contacts.yml": "contacts:\n  - {name: 運營部門, phone: '1234', since: 2026-01-01}\n",
}


def base_files() -> dict[str, str]:
    """The fixture compendium as ``{path under docs/: text}``; it validates without errors."""
    files = {
        p.relative_to(MINI).as_posix(): p.read_text("utf-8")
        for p in sorted(MINI.rglob("*"))
        if p.is_file()
    }
    files.update(OVERLAYS)
    return files


# -- YAML written from data ---------------------------------------------------------


@dataclass(frozen=True)
class Raw:
    """YAML text written as it is, where a flow value goes."""

    text: str


@dataclass(frozen=True)
class Block:
    """A literal block scalar (``|``) of these lines."""

    lines: tuple[str, ...]


_PLAIN_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _flow(value: Any) -> str:
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {value!r} as YAML")


def _key(key: Any) -> str:
    if isinstance(key, str) and _PLAIN_KEY.fullmatch(key) and key.lower() not in _YAML_WORDS:
        return key
    return _flow(key)


def _is_block(value: Any) -> bool:
    return isinstance(value, Block) or (isinstance(value, (dict, list)) and bool(value))


def _block(value: Any, indent: int) -> str:
    pad = " " * indent
    if isinstance(value, Block):
        return "".join(f"{pad}{line}\n" for line in value.lines)
    items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
    out = []
    for k, v in items:
        head = f"{pad}{_key(k)}:" if isinstance(value, dict) else f"{pad}-"
        if isinstance(v, Block):
            out.append(f"{head} |\n{_block(v, indent + 2)}")
        elif _is_block(v):
            out.append(f"{head}\n{_block(v, indent + 2)}")
        else:
            out.append(f"{head} {_flow(v)}\n")
    return "".join(out)


def emit_yaml(data: Any) -> str:
    """``data`` as YAML: block collections, flow scalars; dates as dates."""
    if isinstance(data, Block):
        return "|\n" + _block(data, 2)
    if _is_block(data):
        return _block(data, 0)
    return _flow(data) + "\n"


# -- sources and their fields -------------------------------------------------------

BODY = "<body>"  # the path of a page's Markdown body


@dataclass
class Source:
    """One source file, read as the validator reads it."""

    rel: str
    data: Any
    body: str | None  # None for a YAML file

    def text(self, data: Any, body: str | None = None) -> str:
        if self.body is None:
            return emit_yaml(data)
        meta = emit_yaml(data) if data else ""
        return f"---\n{meta}---\n{self.body if body is None else body}"


def read_source(rel: str, text: str) -> Source:
    if rel.endswith(".md"):
        doc = split_front_matter(text)
        return Source(rel, doc.meta, doc.body)
    return Source(rel, load_yaml(text)[0], None)


REGISTRIES = ("roles.yml", "glossary.yml", "packs.yml")


def kind_of(rel: str) -> str:
    """The kind of a source file, as the labels of cases name it."""
    if rel.endswith(".yml"):
        return rel.removesuffix(".yml") if rel in REGISTRIES else "other yaml"
    if rel.startswith("regulations/"):
        if rel.endswith("/index.md"):
            return "manifest"
        return "article.en" if rel.endswith(".en.md") else "article.zh-Hant"
    return "role page" if rel.startswith("roles/") and rel != "roles/index.md" else "page"


Path_ = tuple[Any, ...]


def field_paths(data: Any, path: Path_ = ()) -> Iterator[Path_]:
    """Every value's path in ``data``, the root included, parents before children."""
    yield path
    if isinstance(data, dict):
        for k, v in data.items():
            yield from field_paths(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from field_paths(v, path + (i,))


MISSING = object()  # a mutation result: remove the field


def get_at(data: Any, path: Path_) -> Any:
    for step in path:
        data = data[step]
    return data


def put_at(data: Any, path: Path_, value: Any) -> Any:
    """A copy of ``data`` with the value at ``path`` replaced (or removed: ``MISSING``)."""
    if not path:
        return {} if value is MISSING else value
    copy: Any = dict(data) if isinstance(data, dict) else list(data)
    head, rest = path[0], path[1:]
    if rest:
        copy[head] = put_at(copy[head], rest, value)
    elif value is MISSING:
        del copy[head]
    else:
        copy[head] = value
    return copy


# -- mutations -----------------------------------------------------------------------

HUGE = 100_000
CONTROLS = "\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\x80\x9b\x9f"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
INVISIBLES = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u034f\u3164"
BREAKS = ("\n", "\r\n", "\r", "\u2028", "\u2029", "\x85")


def _text(old: Any) -> str:
    return old if isinstance(old, str) and old else "值"


def _inside(old: Any, rng: random.Random, chars: str) -> str:
    text = _text(old)
    at = rng.randrange(len(text) + 1)
    return text[:at] + rng.choice(chars) + text[at:]


def _old_date(old: Any) -> dt.date:
    return old if isinstance(old, dt.date) else dt.date(2026, 1, 1)


Mutate = Callable[[Any, random.Random], Any]
MUTATIONS: dict[str, Mutate] = {
    # wrong types
    "list": lambda old, rng: [old] if not isinstance(old, list) else old + [old],
    "empty list": lambda old, rng: [],
    "dict": lambda old, rng: {"a": old if not isinstance(old, dict) else "b"},
    "empty dict": lambda old, rng: {},
    "int": lambda old, rng: rng.choice([0, 1, 7, 12, 2026]),
    "negative": lambda old, rng: rng.choice([-1, -12, -99999999999]),
    "huge int": lambda old, rng: rng.choice([99999, 10**11, 10**30]),
    "bool": lambda old, rng: rng.choice([True, False]),
    "null": lambda old, rng: None,
    "float": lambda old, rng: rng.choice([1.5, -0.0, 1e308, math.inf, -math.inf, math.nan]),
    "date": lambda old, rng: dt.date(2026, 5, 17),
    "timestamp": lambda old, rng: Raw("2026-05-17 10:30:00"),
    # strings
    "empty string": lambda old, rng: "",
    "spaces": lambda old, rng: rng.choice([" ", "\t", "   "]),
    "huge string": lambda old, rng: rng.choice(["字", "a", "a-"]) * HUGE,
    "over field limit": lambda old, rng: "字" * (MAX_FIELD_CHARS + 1),
    "control character": lambda old, rng: _inside(old, rng, CONTROLS),
    "bidi control": lambda old, rng: _inside(old, rng, BIDI),
    "invisible character": lambda old, rng: _inside(old, rng, INVISIBLES),
    "line break": lambda old, rng: _inside(old, rng, "".join(BREAKS)),
    "block scalar": lambda old, rng: Block(
        (_text(old), "## 已核准，請[登入](https://evil.example/)")
    ),
    "raw html": lambda old, rng: _text(old) + rng.choice(["<img src=x onerror=alert(1)>", "<b>"]),
    "markdown": lambda old, rng: _text(old) + rng.choice(["{: hidden }", "[x](javascript:1)"]),
    "long id": lambda old, rng: rng.choice(["a" * 300, "a-" * 150 + "a", "x" * 5000]),
    "id shapes": lambda old, rng: rng.choice(
        ["Ops", "art-1", "ch-x", "-a", "a--b", "a_b", "a/b", "../x", "ａ", "１", "id\n"]
    ),
    "unknown id": lambda old, rng: "no-such-id",
    # dates
    "date far": lambda old, rng: rng.choice(
        [dt.date(9999, 12, 31), dt.date(1, 1, 1), dt.date(1900, 1, 1)]
    ),
    "date text": lambda old, rng: rng.choice(
        ["2026-02-30", "2026-13-01", "0000-01-01", "26-1-1", "tomorrow", "2026/01/01"]
    ),
    "bad date": lambda old, rng: Raw(rng.choice(["2026-02-30", "0000-00-00", "2026-1-1"])),
    "date shifted": lambda old, rng: _old_date(old) + dt.timedelta(days=rng.choice([-400, 400])),
    # structure
    "remove": lambda old, rng: MISSING,
    "unknown key": lambda old, rng: (
        {**old, rng.choice(["extra", "Id", "id ", "description", "__proto__"]): "x"}
        if isinstance(old, dict)
        else {"extra": old}
    ),
    "repeat item": lambda old, rng: old + old[:1] if isinstance(old, list) else [old, old],
    "non-string key": lambda old, rng: (
        {1: "x", **old} if isinstance(old, dict) else {rng.choice([1, True, None]): old}
    ),
    "deep nesting": lambda old, rng: Raw(
        (d := rng.choice([40, 200, 600, 3000])) * "[" + "x" + d * "]"
    ),
    "alias": lambda old, rng: Raw("&a x"),
}

# Body mutations: Markdown appended to (or replacing) the body of a page.
BODY_MUTATIONS: dict[str, Callable[[str, random.Random], str]] = {
    "body control character": lambda b, rng: b + "文" + rng.choice(CONTROLS) + "字\n",
    "body bidi control": lambda b, rng: b + "文" + rng.choice(BIDI) + "字\n",
    "body raw html": lambda b, rng: b + "\n<script>alert(1)</script>\n",
    "body huge": lambda b, rng: b + "\n" + "字" * 250_000 + "\n",
    "body deep list": lambda b, rng: b + "\n" + "- " * 40 + "深\n",
    "body attribute": lambda b, rng: b + "\n段落\n{: hidden }\n",
    "body script link": lambda b, rng: b + "\n[點](javascript:alert(1))\n",
    "body malformed reference": lambda b, rng: b + rng.choice(["[[x]", "見[y]]"]) + "\n",
    "body unknown reference": lambda b, rng: b + "[[no-such-article]]\n",
}

# Mutations of a body that README allows (article text may hold invisible characters).
BODY_ALLOWED = {
    "body invisible": lambda b, rng: b + "文" + rng.choice(INVISIBLES[:5]) + "字\n",
    "body long line": lambda b, rng: b + "\n" + "一、" * 5000 + "\n",
    "body empty": lambda b, rng: "",
}
BODY_MUTATIONS.update(BODY_ALLOWED)

# Whole-file mutations: the text of the file changed outside any field.
FILE_MUTATIONS: dict[str, Callable[[str, random.Random], str]] = {
    "file empty": lambda t, rng: "",
    "file bom": lambda t, rng: "\ufeff" + t,
    "file raw control": lambda t, rng: t.replace(":", ":" + rng.choice(CONTROLS[1:]), 1),
    "file tab indent": lambda t, rng: t.replace("\n  ", "\n\t", 1),
    "file unclosed": lambda t, rng: re.sub(r"\A(---\n)?", r"\1x: [\n", t, count=1),
    "file duplicate key": lambda t, rng: _duplicate_first_key(t),
    "file crlf": lambda t, rng: t.replace("\n", "\r\n"),
    "file no final newline": lambda t, rng: t.rstrip("\n"),
    "file truncated": lambda t, rng: t[: rng.randrange(len(t) + 1)],
    "file dots end": lambda t, rng: re.sub(r"(?m)\A(---\n.*?^)---$", r"\1...", t, flags=re.S),
}
FILE_ALLOWED = {"file crlf", "file no final newline"}


def _duplicate_first_key(text: str) -> str:
    m = re.search(r"^([a-z_]+):.*$", text, re.M)
    if not m:
        return text + "\n"
    return text[: m.end()] + "\n" + m.group(0) + text[m.end() :]


BODY_REFUSED = set(BODY_MUTATIONS) - set(BODY_ALLOWED)
FILE_REFUSED = {"file bom", "file raw control", "file unclosed", "file duplicate key"}

# -- cases -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What a case changes: a field of a file, its body, or its whole text."""

    family: str  # "field", "body" or "file"
    rel: str
    path: Path_ = ()

    def label(self) -> str:
        where = ".".join(str(p) for p in self.path) if self.family == "field" else self.family
        return f"{kind_of(self.rel)}:{where or '<root>'}"


@dataclass
class Case:
    number: int
    target: Target
    mutation: str
    files: dict[str, str]
    reason: str | None  # why README refuses the result, or None when it need not

    def label(self) -> str:
        return f"{self.target.label()}:{self.mutation}"

    def describe(self) -> str:
        return f"case {self.number} ({self.label()}, docs/{self.target.rel})"


def targets(files: dict[str, str]) -> list[Target]:
    """Every field of every source file, every body and every file."""
    out: list[Target] = []
    for rel in sorted(files):
        if not rel.endswith((".md", ".yml")):
            continue
        src = read_source(rel, files[rel])
        out.extend(Target("field", rel, p) for p in field_paths(src.data))
        if src.body is not None:
            out.append(Target("body", rel))
        out.append(Target("file", rel))
    return out


def known_elsewhere(label: str) -> bool:
    return any(re.fullmatch(pattern, label) for pattern in KNOWN_ELSEWHERE)


def cases(
    seed: int, count: int, files: dict[str, str] | None = None, skip_known: bool = True
) -> Iterator[Case]:
    """``count`` seeded cases, cycling over every target so that each field gets some
    (without those of ``KNOWN_ELSEWHERE`` unless ``skip_known`` is false)."""
    files = files if files is not None else base_files()
    rng = random.Random(seed)
    sources = {rel: read_source(rel, files[rel]) for rel in files if rel.endswith((".md", ".yml"))}
    order = targets(files)
    rng.shuffle(order)
    made = 0
    number = 0
    while made < count:
        target = order[number % len(order)]
        number += 1
        case = _make(number, target, sources[target.rel], files, rng)
        if case is None or (skip_known and known_elsewhere(case.label())):
            continue
        made += 1
        yield case


def _make(
    number: int, target: Target, src: Source, files: dict[str, str], rng: random.Random
) -> Case | None:
    reason: str | None
    if target.family == "file":
        name = rng.choice(sorted(FILE_MUTATIONS))
        text = FILE_MUTATIONS[name](files[target.rel], rng)
        reason = "README: not valid YAML or front-matter" if name in FILE_REFUSED else None
        if name == "file dots end" and target.rel.endswith(".md"):
            reason = "README: front-matter ends with the next line ---, not ..."
        if name == "file empty" and kind_of(target.rel) in (
            "manifest",
            "article.zh-Hant",
            "article.en",
        ):
            reason = "AUTHORING: a manifest or an article has front-matter"
    elif target.family == "body":
        assert src.body is not None
        name = rng.choice(sorted(BODY_MUTATIONS))
        text = src.text(src.data, BODY_MUTATIONS[name](src.body, rng))
        reason = f"README refuses {name.removeprefix('body ')}" if name in BODY_REFUSED else None
        if name == "body unknown reference" and not kind_of(target.rel).startswith("article"):
            reason = None  # references are resolved in articles only
    else:
        name = rng.choice(sorted(MUTATIONS))
        old = get_at(src.data, target.path)
        if name == "remove" and not target.path:
            return None
        new = put_at(src.data, target.path, MUTATIONS[name](old, rng))
        text = src.text(new)
        reason = refusal_reason(target.rel, text)
        if name == "alias":
            reason = "README: YAML has no anchors or aliases"
    mutated = dict(files)
    mutated[target.rel] = text
    return Case(number, target, name, mutated, reason)


# -- what README refuses (an oracle independent of the validator) ---------------------

# Fields that are one line in the model (README, "One-line fields are one line").
ONE_LINE_KEYS = {"caption", "title", "title_short", "name", "aliases", "code", "version"}
_HTML = re.compile(r"<[A-Za-z/!?]")
STUB_KEYS = {"page": {"compendium", "title"}, "role page": {"compendium", "title", "role"}}


class _DatesAsText(yaml.CSafeLoader):
    """Plain PyYAML, a scalar that looks like a date but is none (``2026-02-30``) taken
    as text, as the loader takes it."""

    def construct_yaml_timestamp(self, node: Any) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return node.value


_DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", _DatesAsText.construct_yaml_timestamp)


def _plain_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_DatesAsText)  # noqa: S506 - a safe loader


def _one_line(kind: str, path: Path_) -> bool:
    if kind == "other yaml":
        return False  # its fields mean nothing to the build
    keys = [p for p in path if isinstance(p, str)]
    if any(k in ONE_LINE_KEYS for k in keys):
        return True
    if kind.startswith("article") and keys[:1] == ["duties"]:
        return True  # a duty summary
    return kind == "glossary" and keys[-1:] in (["zh-Hant"], ["en"])  # a term, a rendering


def _strings(data: Any, path: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from _strings(k, path)
            yield from _strings(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _strings(v, path + (i,))


def text_reason(kind: str, data: Any) -> str | None:
    """Why README refuses a text in ``data`` (a file's fields), or None."""
    for path, text in _strings(data):
        where = ".".join(map(str, path)) or "<root>"
        if CONTROL_RE.search(text):
            return f"README: no control or bidirectional character anywhere ({where})"
        if len(text) > MAX_FIELD_CHARS:
            return f"README: one text field under {MAX_FIELD_CHARS:,} characters ({where})"
        if _HTML.search(text):
            return f"README: no raw HTML in any YAML field ({where})"
        if _one_line(kind, path) and (LINE_BREAK_RE.search(text) or INVISIBLE_RE.search(text)):
            return f"README: a one-line field holds no line break or invisible character ({where})"
    return None


def _stub_reason(kind: str, data: Any) -> str | None:
    if not isinstance(data, dict):
        return "README: front-matter is a mapping"
    extra = set(map(str, data)) - STUB_KEYS[kind]
    if extra:
        return f"README: a page takes only {sorted(STUB_KEYS[kind])} ({sorted(extra)})"
    for key in STUB_KEYS[kind] & set(data):
        if not isinstance(data[key], str):
            return f"README: {key} is text"
    return None


def _schema_reason(rel: str, data: Any) -> str | None:
    from compendium.source.schema import jsonable, schema_for

    name = schema_for(rel)
    if name is None:
        kind = kind_of(rel)
        return _stub_reason(kind, data) if kind in STUB_KEYS else None
    error = next(_validators()[name].iter_errors(jsonable(data)), None)
    return None if error is None else f"schema {name}: {error.message[:200]}"


_VALIDATORS: dict[str, Any] = {}


def _validators() -> dict[str, Any]:
    if not _VALIDATORS:
        from jsonschema import Draft202012Validator, FormatChecker

        from compendium.source.schema import all_schemas

        for name, schema in all_schemas().items():
            _VALIDATORS[name] = Draft202012Validator(schema, format_checker=FormatChecker())
    return _VALIDATORS


def refusal_reason(rel: str, text: str) -> str | None:
    """Why README (or the JSON Schema it documents) refuses ``text`` as file ``rel``."""
    try:
        data = _plain_yaml(_yaml_part(rel, text))
    except RecursionError:
        return "too deeply nested to read"
    except Exception as exc:  # noqa: BLE001 - any failure to read is a refusal
        return f"not valid YAML ({type(exc).__name__})"
    if rel.endswith(".md") and data is None:
        data = {}
    try:
        return text_reason(kind_of(rel), data) or _schema_reason(rel, data)
    except RecursionError:
        return "too deeply nested to read"


def _yaml_part(rel: str, text: str) -> str:
    if not rel.endswith(".md"):
        return text
    m = re.match(r"---\n(.*?)^---\n", text, re.S | re.M)
    return m.group(1) if m else ""


# -- running a case --------------------------------------------------------------------

TIME_LIMIT = 5.0  # seconds per case; the slowest real case takes well under one


class Hang(Exception):
    """A case ran over its time limit."""


@dataclass
class Result:
    case: Case
    outcome: str
    detail: str = ""
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.outcome}: {self.case.describe()}: {self.detail}"


def _on_alarm(signum: int, frame: Any) -> None:
    raise Hang


def _validate(case: Case, limit: float) -> Problems:
    """The validator of ``make check``, stopped by a signal after ``limit`` seconds."""
    tree = MemoryTree(case.files)
    try:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
    except ValueError:  # not the main thread: the elapsed time is checked afterwards
        return validate(tree, as_of=AS_OF)[1]
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        return validate(tree, as_of=AS_OF)[1]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_case(case: Case, limit: float = TIME_LIMIT) -> Result:
    start = time.perf_counter()
    try:
        problems = _validate(case, limit)
    except Hang:
        return Result(case, "hang", f"over {limit:g} s", time.perf_counter() - start)
    except Exception:  # noqa: BLE001 - every exception is a finding
        tb = traceback.format_exc(limit=-3)
        return Result(case, "traceback", tb[-1500:], time.perf_counter() - start)
    seconds = time.perf_counter() - start
    if seconds > limit:
        return Result(case, "hang", f"{seconds:.1f} s", seconds)
    return _classify(case, problems, seconds)


def _classify(case: Case, problems: Problems, seconds: float) -> Result:
    shown = [str(p)[:300] for p in problems.sorted()]
    errors = problems.errors
    mutated = f"docs/{case.target.rel}"
    known = {f"docs/{rel}" for rel in case.files} | {"docs"}
    if not errors:
        if case.reason:
            return Result(case, "silent acceptance", case.reason, seconds, shown)
        return Result(case, "accepted", "", seconds, shown)
    stray = [p for p in problems.items if p.path not in known or p.line < 1]
    if stray:
        return Result(case, "misplaced", f"{stray[0]} (no such file or line)", seconds, shown)
    if any(p.path == mutated for p in errors):
        return Result(case, "refused", "", seconds, shown)
    if case.reason:
        detail = f"{case.reason}, but only other files are named: {errors[0]}"
        return Result(case, "misplaced", detail[:600], seconds, shown)
    return Result(case, "refused elsewhere", "", seconds, shown)


def run(seed: int, count: int, limit: float = TIME_LIMIT) -> tuple[Counter[str], list[Result]]:
    """Run ``count`` seeded cases: the count of every outcome, and every result."""
    results = [run_case(case, limit) for case in cases(seed, count)]
    return Counter(r.outcome for r in results), results


def summary(counts: Counter[str]) -> str:
    return ", ".join(f"{name}: {counts.get(name, 0)}" for name in OUTCOMES)


# -- building a case -------------------------------------------------------------------


def build_case(case: Case, workdir: Path) -> str | None:
    """Build ``case`` with MkDocs in this process: None when the build did what validation
    said (an accepted case builds; a refused one stops, naming the mutated file), else why not."""
    from tests.conftest import make_project, mkdocs_build

    docs = workdir / f"case-{case.number}" / "docs"
    for rel, text in case.files.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, "utf-8", newline="")
    built = mkdocs_build(make_project(docs.parent, docs))
    if "Traceback" in built.stderr:
        return f"the build crashed: {built.stderr[-3000:]}"
    outcome = run_case(case).outcome
    if outcome == "accepted" and built.returncode != 0:
        return f"accepted, but the build failed: {built.stderr[-3000:]}"
    if outcome != "accepted" and built.returncode == 0:
        return "refused, but the build succeeded"
    if outcome == "refused" and f"docs/{case.target.rel}" not in built.stderr:
        return f"the build stopped without naming docs/{case.target.rel}: {built.stderr[-2000:]}"
    return None
