"""What a reader sees is what the diff shows a reviewer: every field of the model, one by one.

A tiny compendium (one regulation with sections, three roles, a glossary, a pack) is
loaded, and for each dataclass of the model reached from it (the articles and their
texts and history, chapters, sections, the regulation and its review cycle, roles,
glossary terms and senses, packs and their parts) each field is changed alone in a copy.
Either the field is in ``NOT_READER_VISIBLE`` (with the reason no reader sees it), or
the diff of the two must report a change, and where the new value is text or a date,
show that value in every output: the redline, the comparison table and the Markdown
summary (the pull-request comment) in each language, and the JSON. A field added to the
model without a comparison in the diff makes this test fail.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest

from compendium import DEFAULT_LANGUAGE, LANGUAGES
from compendium.changes.diff import Diff, compare
from compendium.changes.report import Reporter, role_names_of, to_json
from compendium.labels import format_date
from compendium.source import model
from compendium.source import packs as packs_module
from compendium.source.loader import load
from compendium.source.model import Article, ArticleText, Compendium, LocalizedNote, content_hash
from compendium.source.packs import Pack, Part, load_packs
from compendium.source.reviews import ReviewCycle
from compendium.source.tree import MemoryTree

# Fields no reader sees, by name in every class, then by class.
_ANYWHERE = {
    "id": "identity: changes are matched by it (a new id is a removal and an addition)",
    "line": "where the source is, for messages",
    "formerly": "earlier ids kept by make rename, so that a rename is no change; never shown",
}
NOT_READER_VISIBLE: dict[tuple[type, str], str] = {
    (Article, "regulation"): "the key of its regulation; a move to another one is reported",
    (ArticleText, "lang"): "the key of Article.texts",
    (ArticleText, "path"): "where the source is, for messages",
    (ArticleText, "body_line"): "where the source is, for messages",
    (ArticleText, "lines"): "where the source is, for messages",
    (ArticleText, "meta"): "the raw front-matter: what a reader sees of it is another field",
    (model.Regulation, "path"): "where the source is, for messages",
    (model.Regulation, "listed"): "the manifest's ids, loaded or not: one not loaded is an error",
    (model.Chapter, "has_sections"): "follows from its sections, whose changes are reported",
    (model.Role, "note"): "why aliases were merged, for editors: no page or PDF prints it",
    (model.GlossaryTerm, "check"): "whether make check enforces the term; not shown",
    (Compendium, "docs_path"): "where the compendium was read from",
    (Compendium, "languages"): "the languages of the code, not of the content",
}
# Which instance of a class is changed (index in reading order), when not the first.
PICK = {Article: 1, model.Chapter: 1}


def _manifest() -> str:
    return """---
compendium: regulation
id: reg
code: R-1
title: {zh-Hant: 營運制度, en: Operations Rules}
owner: ops
version: "1.0"
effective: 2026-01-01
review_every: 12
last_reviewed: 2026-01-01
numbering: chapter-article
source:
  file: source.txt
  truncated: {zh-Hant: 原文止於第三條, en: The source stops at Article 3}
notes:
  zh-Hant: [本制度據範本整理。]
  en: [Prepared from a template.]
chapters:
  - id: one
    title: {zh-Hant: 總則, en: General Provisions}
    sections:
      - id: s1
        title: {zh-Hant: 通則, en: Common Rules}
        articles: [a, b]
      - id: s2
        title: {zh-Hant: 附則, en: Final Rules}
        articles: [c]
  - id: two
    title: {zh-Hant: 職責, en: Duties}
    articles: [d]
---
"""


_RICH_ZH = """---
id: b
caption: 備份
roles: [ops]
effective: 2026-02-01
duties: {ops: "每日備份數據，依[[d]]督導"}
editorial: [原文此處有錯字，已更正。]
history:
  - {date: 2025-06-01, release: "2025.1", note: {zh-Hant: 初次制定, en: First issued}}
  - {date: 2025-09-01, note: 文字修正}
---
運營部應每日備份數據。
"""
_RICH_EN_BODY = "The Operations Department shall back up the data daily.\n"


def _files() -> dict[str, str]:
    files = {
        "roles.yml": """roles:
  - id: head
    kind: position
    name: {zh-Hant: 負責人, en: Head}
    aliases: {zh-Hant: [主管], en: [Chief]}
  - id: ops
    kind: department
    name: {zh-Hant: 運營部, en: Operations Department}
    aliases: {zh-Hant: [運營部門], en: [Ops]}
    parent: head
    note: merged aliases
  - id: it
    kind: team
    name: {zh-Hant: 資訊組, en: IT Team}
    aliases: {zh-Hant: [], en: []}
    parent: head
""",
        "glossary.yml": """terms:
  - zh-Hant: 備份
    en: backup
    note: The copy itself.
    senses:
      - {en: back up, note: The act.}
""",
        "packs.yml": """packs:
  - id: starter
    title: {zh-Hant: 新進人員資料, en: Starter Pack}
    roles: [ops]
    contents:
      - regulation: reg
        chapters: [one]
        title: {zh-Hant: 總則部分, en: General Part}
      - articles: [reg/d]
""",
        "regulations/reg/index.md": _manifest(),
        "regulations/reg/b.zh-Hant.md": _RICH_ZH,
        "regulations/reg/b.en.md": (
            f"---\nid: b\ntranslates: {content_hash('備份', '運營部應每日備份數據。')}\n"
            "caption: Backup\nduties: {ops: Back up the data daily}\n"
            "editorial: [A typo in the source was corrected.]\n---\n" + _RICH_EN_BODY
        ),
    }
    for rid in ("head", "ops", "it"):
        files[f"roles/{rid}.md"] = f"---\ncompendium: role\nrole: {rid}\n---\n"
    for aid, text in (
        ("a", "本制度適用於運營部。"),
        ("c", "資訊組負責維護。"),
        ("d", "負責人應督導。"),
    ):
        roles = {"a": "ops", "c": "it", "d": "head"}[aid]
        files[f"regulations/reg/{aid}.zh-Hant.md"] = (
            f"---\nid: {aid}\nroles: [{roles}]\n---\n{text}\n"
        )
        files[f"regulations/reg/{aid}.en.md"] = f"---\nid: {aid}\n---\nText {aid}.\n"
    return files


@pytest.fixture(scope="module")
def base() -> tuple[Compendium, list[Pack]]:
    tree = MemoryTree(_files())
    comp, problems = load(tree)
    packs, pack_problems = load_packs(tree, comp)
    errors = problems.errors + pack_problems.errors
    assert not errors, errors
    return comp, packs


# -- walking the model --------------------------------------------------------------


def _hidden(cls: type, name: str) -> bool:
    return name in _ANYWHERE or (cls, name) in NOT_READER_VISIBLE


def _walk(obj: Any) -> Iterator[Any]:
    """Every dataclass instance under ``obj``, in reading order."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        yield obj
        for f in dataclasses.fields(obj):
            if not _hidden(type(obj), f.name):
                yield from _walk(getattr(obj, f.name))
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _walk(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _walk(v)


def _holds_records(value: Any) -> bool:
    """A field holding model records (covered by their own class) rather than a value."""
    items = list(value.values()) if isinstance(value, dict) else value
    if isinstance(items, (list, tuple)):
        return any(dataclasses.is_dataclass(x) for x in items)
    return dataclasses.is_dataclass(value)


def _instances(root: tuple[Compendium, list[Pack]]) -> dict[type, list[Any]]:
    out: dict[type, list[Any]] = {}
    for obj in _walk(list(root)):
        if not any(obj is x for x in out.get(type(obj), [])):
            out.setdefault(type(obj), []).append(obj)
    return out


def _cases(root: tuple[Compendium, list[Pack]]) -> list[tuple[type, str]]:
    cases = []
    for cls, objs in _instances(root).items():
        for f in dataclasses.fields(cls):
            if _hidden(cls, f.name):
                continue
            if any(_holds_records(getattr(obj, f.name)) for obj in objs):
                continue
            cases.append((cls, f.name))
    return cases


def _targets(copy_root: tuple[Compendium, list[Pack]], cls: type) -> list[Any]:
    """The instances to change: one, or for a text all languages of the picked article."""
    found = _instances(copy_root)
    if cls is ArticleText:
        return list(found[Article][PICK[Article]].texts.values())
    return [found[cls][PICK.get(cls, 0)]]


# -- changing one field -------------------------------------------------------------

NEW_DATE = dt.date(2031, 7, 19)


class Marker:
    """What each output must show after a change: a text, a date, or only that it changed."""

    def __init__(self, text: str | None = None, date: dt.date | None = None):
        self.text, self.date = text, date

    def shown(self, output: str, text: str) -> bool:
        """Whether ``text``, the content of file ``output``, shows the new value."""
        if self.date is None:
            return self.text is None or self.text in text
        lang = next((lang for lang in LANGUAGES if f".{lang}." in output), None)
        forms = [format_date(self.date, lang)] if lang else [self.date.isoformat()]
        if lang is None:  # the JSON: a date, or a text that holds one, per language
            forms += [format_date(self.date, x) for x in LANGUAGES]
        return any(f in text for f in forms)


def _other_role(comp: Compendium, *taken: str | None) -> str:
    return next(rid for rid in comp.roles if rid not in taken)


def _special(obj: Any, name: str, root: tuple[Compendium, list[Pack]]) -> Marker | None | bool:
    """Fields whose value must stay valid (an id of something that exists, a style)."""
    comp, _packs = root
    reg = next(iter(comp.regulations.values()))
    if isinstance(obj, Article) and name in ("chapter", "section"):
        for ch in reg.chapters:
            for sec in ch.sections:
                if obj.id in sec.articles:
                    sec.articles.remove(obj.id)
        ch = reg.chapters[1] if name == "chapter" else reg.chapters[0]
        ch.sections[-1].articles.append(obj.id)
        obj.chapter, obj.section = ch.id, ch.sections[-1].id
        return None
    if isinstance(obj, (Article, Pack)) and name == "roles":
        obj.roles.append(_other_role(comp, *obj.roles))
        return None
    if isinstance(obj, model.Regulation) and name == "owner":
        obj.owner = _other_role(comp, obj.owner)
        return None
    if isinstance(obj, model.Regulation) and name == "numbering":
        obj.numbering = "outline"
        return None
    if isinstance(obj, model.Role) and name in ("kind", "parent"):
        if name == "kind":
            obj.kind = next(k for k in model.ROLE_KINDS if k != obj.kind)
        else:
            obj.parent = _other_role(comp, obj.id, obj.parent)
        return None
    if isinstance(obj, model.Section) and name == "articles":
        obj.articles.reverse()
        return None
    if isinstance(obj, Part) and name in ("kind", "articles"):
        if name == "kind":
            obj.kind = next(k for k in packs_module.PART_KINDS if k != obj.kind)
        else:
            obj.articles.pop()
        return None
    if isinstance(obj, ArticleText) and name == "translates":
        if obj.lang != DEFAULT_LANGUAGE:
            obj.translates = "0" * 12
        return None
    return False  # not special: change by type


def _set(obj: Any, name: str, value: Any) -> None:
    object.__setattr__(obj, name, value)  # frozen records too (ReviewCycle)


def _change(obj: Any, name: str, n: int, root: tuple[Compendium, list[Pack]]) -> Marker | None:
    """Change field ``name`` of ``obj`` alone; returns what the outputs must then show."""
    special = _special(obj, name, root)
    if special is not False:
        return special  # type: ignore[return-value]
    mark = f"QX{n}Z"
    value = getattr(obj, name)
    kind = next(f.type for f in dataclasses.fields(obj) if f.name == name)
    if isinstance(value, bool):
        _set(obj, name, not value)
        return None
    if isinstance(value, int):
        _set(obj, name, value + 1)
        return None
    if isinstance(value, dt.date) or (value is None and "date" in str(kind)):
        _set(obj, name, NEW_DATE)
        return Marker(date=NEW_DATE)
    if isinstance(value, LocalizedNote):
        _set(obj, name, LocalizedNote({k: v + mark for k, v in value.translations.items()}))
    elif isinstance(value, str):
        _set(obj, name, value + mark)
    elif value is None:
        _set(obj, name, mark)
    elif isinstance(value, dict):
        _set(obj, name, _changed_mapping(value, mark))
    elif isinstance(value, list):
        value.append(mark)
    else:
        raise AssertionError(f"no way to change {type(obj).__name__}.{name} ({value!r}): add one")
    return Marker(mark)


def _changed_mapping(value: dict[str, Any], mark: str) -> dict[str, Any]:
    if not value:
        return {lang: mark for lang in LANGUAGES}
    out: dict[str, Any] = {}
    for k, v in value.items():
        out[k] = v + [mark] if isinstance(v, list) else f"{v}{mark}"
    return out


def _outputs(diff: Diff, old: Compendium, new: Compendium) -> dict[str, str]:
    names = role_names_of(old, new)
    out = {"diff.json": json.dumps(to_json(diff, names), ensure_ascii=False)}
    for lang in LANGUAGES:
        rep = Reporter(diff, lang, role_names=names)
        out[f"redline.{lang}.html"] = rep.redline_html()
        out[f"table.{lang}.html"] = rep.table_html()
        out[f"summary.{lang}.md"] = rep.summary_markdown()
    return out


def _diff_after(base: tuple[Compendium, list[Pack]], cls: type, name: str, n: int):
    work = copy.deepcopy(base)
    markers = [_change(obj, name, n, work) for obj in _targets(work, cls)]
    diff = compare(base[0], work[0], packs=(base[1], work[1]))
    return diff, markers, work


# -- the tests ----------------------------------------------------------------------

# The kinds of change these tests produce (tests/test_diff.py covers the others).
DETAIL_KINDS = {
    ("article", k)
    for k in (
        "effective-changed",
        "repeal-changed",
        "truncated-changed",
        "history-changed",
        "duties-changed",
        "notes-changed",
        "translation-status-changed",
    )
} | {
    ("regulation", "notes-changed"),
    ("regulation", "source-changed"),
    ("regulation", "review-changed"),
    ("chapter", "renumbered"),
    *((scope, k) for scope in ("glossary", "pack") for k in ("added", "removed", "changed")),
}


def _kinds(diff: Diff) -> set[tuple[str, str]]:
    return {(c.scope, k) for c in diff.changes for k in c.kinds}


@pytest.fixture(scope="module")
def sweep(base) -> tuple[list[str], set[tuple[str, str]]]:
    """Each field changed alone: what went unreported or unshown, and the kinds seen."""
    failures: list[str] = []
    kinds: set[tuple[str, str]] = set()
    for n, (cls, name) in enumerate(_cases(base)):
        diff, markers, work = _diff_after(base, cls, name, n)
        label = f"{cls.__name__}.{name}"
        if diff.empty:
            failures.append(f"{label}: changed alone, the diff reports nothing")
            continue
        kinds |= _kinds(diff)
        for output, text in _outputs(diff, base[0], work[0]).items():
            for marker in markers:
                if marker is not None and not marker.shown(output, text):
                    failures.append(f"{label}: {output} does not show {vars(marker)}")
    return failures, kinds


def test_the_fixture_reaches_every_dataclass_of_the_model(base) -> None:
    reached = set(_instances(base))
    declared = {
        obj
        for obj in vars(model).values()
        if isinstance(obj, type)
        and dataclasses.is_dataclass(obj)
        and obj.__module__ == model.__name__
    }
    assert declared - reached == set(), "add an instance of each to the fixture"
    assert {ReviewCycle, Pack, Part} <= reached


def test_every_field_a_reader_sees_is_in_the_diff(sweep) -> None:
    failures, _kinds_seen = sweep
    assert failures == [], "\n".join(failures)


def test_each_field_case_is_checked(base) -> None:
    """The sweep is not vacuous: it changes fields of every class that has visible ones."""
    classes = {cls for cls, _name in _cases(base)}
    assert {Article, ArticleText, model.HistoryEntry, model.Regulation, model.Role} <= classes
    assert {model.GlossaryTerm, model.GlossarySense, Pack, Part, ReviewCycle} <= classes


def test_entries_added_removed_and_repeal_dates(base, sweep) -> None:
    comp, packs = base
    bare = copy.deepcopy(comp)
    bare.glossary = []
    gone = compare(comp, bare, packs=(packs, []))
    back = compare(bare, comp, packs=([], packs))
    assert {("glossary", "removed"), ("pack", "removed")} <= _kinds(gone)
    assert {("glossary", "added"), ("pack", "added")} <= _kinds(back)
    for output, text in _outputs(back, bare, comp).items():
        lang = "en" if ".en." in output else DEFAULT_LANGUAGE
        assert ("Starter Pack" if lang == "en" else "新進人員資料") in text, output
    before, after = copy.deepcopy(comp), copy.deepcopy(comp)
    before.regulations["reg"].articles["b"].repealed = dt.date(2030, 1, 1)
    after.regulations["reg"].articles["b"].repealed = NEW_DATE
    moved = compare(before, after)
    assert ("article", "repeal-changed") in _kinds(moved)
    seen = sweep[1] | _kinds(gone) | _kinds(back) | _kinds(moved)
    assert DETAIL_KINDS - seen == set()


def test_multi_line_and_markup_show_whole_and_inert(base) -> None:
    comp, packs = base
    note = "第一行\n## 第二行 [登入](https://evil.example/login) <script>x</script>"
    after = copy.deepcopy(comp)
    after.regulations["reg"].articles["b"].texts[DEFAULT_LANGUAGE].editorial = [note]
    after.regulations["reg"].chapters[0].title = {lang: "總則<b>&x" for lang in LANGUAGES}
    diff = compare(comp, after, packs=(packs, packs))
    outputs = _outputs(diff, comp, after)
    for output, text in outputs.items():
        assert "第二行" in text, output
        assert output == "diff.json" or "<script>x" not in text, output  # JSON holds data
    for lang in LANGUAGES:
        for output in (f"redline.{lang}.html", f"table.{lang}.html", f"summary.{lang}.md"):
            assert "&lt;script&gt;x" in outputs[output], output
            assert "總則&lt;b&gt;" in outputs[output], output  # the title, as the note
            assert "<b>" not in outputs[output], output
        assert "總則&lt;b&gt;&amp;x" in outputs[f"redline.{lang}.html"]
        md = outputs[f"summary.{lang}.md"]
        assert not any(line.startswith("## ") for line in md.splitlines()), md
        assert "`https://evil.example/login)`" in md or "`https://evil.example/login`" in md
    changes = {c["key"]: c for c in json.loads(outputs["diff.json"])["changes"]}
    assert changes["article:reg:b"]["fields"]["editorial"]["new"] == {
        DEFAULT_LANGUAGE: note,
        "en": "A typo in the source was corrected.",
    }


def test_a_rename_alone_changes_no_summary_note_or_pack(base) -> None:
    comp, packs = base
    after, new_packs = copy.deepcopy((comp, packs))
    reg = after.regulations["reg"]
    art = reg.articles.pop("d")
    art.id = "d2"
    art.texts[DEFAULT_LANGUAGE].meta["formerly"] = ["d"]
    reg.articles["d2"] = art
    reg.chapters[1].sections[0].articles = ["d2"]
    text = reg.articles["b"].texts[DEFAULT_LANGUAGE]
    text.duties = {"ops": text.duties["ops"].replace("[[d]]", "[[d2]]")}
    for part in new_packs[0].parts:
        part.articles = [("reg", "d2") if key == ("reg", "d") else key for key in part.articles]
    assert "[[d2]]" in text.duties["ops"]
    assert compare(comp, after, packs=(packs, new_packs)).changes == []
