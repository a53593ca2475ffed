"""Release records: one committed YAML file per release, ``releases/<version>.yml``.

A record is the authority on a release (``decisions/0014-release-records.md``): its
version and date, the approval (body, date, optional resolution), the date it takes
effect by default, the notes in both languages, the content digest of every
regulation and of the whole ``docs/`` folder at the release, and the commit it was
cut from. Git tags are a convenience only. This module reads, checks and writes
records and computes digests; it never runs git (:mod:`compendium.changes.recorded`
finds the commits).

A digest is ``sha256:<hex>`` over the lines ``<sha256 of the file>  <path>`` of every
file, sorted by path (as ``sha256sum`` prints them), hidden files left out: for a
regulation the files of ``docs/regulations/<id>/`` (paths relative to that folder),
for ``sources`` every file of ``docs/`` (paths relative to ``docs/``). So anyone can
recompute one: ``cd docs/regulations/<id> && find . -type f ! -path '*/.*' | cut -c3- |
LC_ALL=C sort | xargs sha256sum | sha256sum``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compendium import DEFAULT_LANGUAGE, LANGUAGES
from compendium.source.fields import DATE_EXPECTED, date_problem, date_value, one_line_problem
from compendium.source.problems import Problems
from compendium.source.tree import DirTree
from compendium.source.yamlsrc import Lines, YamlError, load_yaml, type_name

RECORDS_DIR = "releases"  # beside docs/, at the top of the repository
REGULATIONS_PREFIX = "regulations/"
VERSION_TEXT = r"[0-9]{4}\.[1-9][0-9]*"
VERSION_FILE_RE = re.compile(rf"\A(?P<version>{VERSION_TEXT})\.yml\Z")
DIGEST_RE = re.compile(r"\Asha256:[0-9a-f]{64}\Z")
COMMIT_RE = re.compile(r"\A[0-9a-f]{40}\Z")
FIELDS = (
    "version",
    "date",
    "approval",
    "effective",
    "notes",
    "sources",
    "digests",
    "commit",
)
APPROVAL_FIELDS = ("body", "date", "resolution")
# The approving body when make release is not told one.
DEFAULT_BODY = {"zh-Hant": "董事會", "en": "Board of Directors"}
HEADER = (
    "# Release record, written by make release (decisions/0014-release-records.md).\n"
    "# Reviewed and committed like content; the git tag release/{version} is a convenience.\n"
)


@dataclass(frozen=True)
class Approval:
    """Who approved a release, when, and under which resolution (optional)."""

    body: dict[str, str]  # per language
    date: dt.date
    resolution: dict[str, str] = field(default_factory=dict)  # per language, may be empty


@dataclass(frozen=True)
class ReleaseRecord:
    version: str
    date: dt.date  # the day the release was cut
    approval: Approval
    effective: dt.date  # the default date it takes effect
    notes: dict[str, str]  # per language ('' when none)
    sources: str  # digest of every file of docs/
    digests: dict[str, str]  # regulation id -> digest of its folder
    commit: str | None = None  # the commit the release was cut from
    path: str = ""  # as shown in messages, e.g. releases/2026.1.yml
    lines: Lines = field(default_factory=Lines, compare=False, repr=False)

    @property
    def tag(self) -> str:
        return f"release/{self.version}"

    @property
    def short(self) -> str:
        return self.commit[:7] if self.commit else "—"


def version_key(version: str) -> tuple[int, int]:
    year, _, n = version.partition(".")
    return int(year), int(n)


def records_dir(docs: Path) -> Path:
    """The records folder of the compendium whose sources are ``docs``."""
    return docs.resolve().parent / RECORDS_DIR


# -- digests -----------------------------------------------------------------------


def _digest(files: Iterable[tuple[str, bytes]]) -> str:
    lines = "".join(f"{hashlib.sha256(data).hexdigest()}  {rel}\n" for rel, data in files)
    return "sha256:" + hashlib.sha256(lines.encode("utf-8", "surrogateescape")).hexdigest()


def short_digest(digest: str) -> str:
    """What a printed page and the verify page show: ``sha256:05900bbdf9c4…`` ->
    ``05900bbdf9c4`` (compendium/printing/control.py)."""
    return digest.removeprefix("sha256:")[:12]


def digests_of(files: dict[str, bytes]) -> tuple[str, dict[str, str]]:
    """``(sources digest, {regulation id: digest})`` of the files of a docs folder
    (``{path relative to docs/: bytes}``)."""
    names = sorted(rel for rel in files if not any(p.startswith(".") for p in rel.split("/")))
    per_reg: dict[str, list[tuple[str, bytes]]] = {}
    for rel in names:
        if rel.startswith(REGULATIONS_PREFIX) and rel.count("/") >= 2:
            reg, _, inner = rel[len(REGULATIONS_PREFIX) :].partition("/")
            per_reg.setdefault(reg, []).append((inner, files[rel]))
    sources = _digest((rel, files[rel]) for rel in names)
    return sources, {reg: _digest(items) for reg, items in sorted(per_reg.items())}


def folder_files(docs: Path) -> dict[str, bytes]:
    """Every regular file under ``docs`` that the sources are read from (as ``DirTree``
    lists them: links and other refused entries are left out)."""

    tree = DirTree(docs)
    return {rel: (docs / rel).read_bytes() for rel in tree.files()}


# -- reading -----------------------------------------------------------------------


def load_records(folder: Path, display: str = RECORDS_DIR) -> tuple[list[ReleaseRecord], Problems]:
    """Every record in ``folder``, oldest first, and the problems of each file and of
    their sequence (a missing folder is no release yet, not a problem)."""
    problems = Problems()
    records: list[ReleaseRecord] = []
    if folder.is_symlink():
        problems.error(display, 1, "the records folder is a symbolic link (expected a folder)")
        return records, problems
    if not folder.is_dir():
        return records, problems
    for entry in sorted(folder.iterdir()):
        shown = f"{display}/{entry.name}"
        if entry.name.startswith("."):
            continue
        if entry.is_symlink() or not entry.is_file() or not VERSION_FILE_RE.match(entry.name):
            problems.error(
                shown,
                1,
                "not a release record (expected a regular file <year>.<n>.yml, such as 2026.1.yml)",
            )
            continue
        try:
            text = entry.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.error(shown, 1, f"cannot read the record ({exc}; expected UTF-8 YAML)")
            continue
        record = parse_record(text, shown, problems)
        if record is not None:
            records.append(record)
    records.sort(key=lambda r: version_key(r.version))
    check_sequence(records, problems)
    return records, problems


def parse_record(text: str, path: str, problems: Problems) -> ReleaseRecord | None:
    """One record read from ``text``; None (with problems) when it cannot be used."""
    try:
        data, lines = load_yaml(text)
    except YamlError as exc:
        problems.error(path, exc.line, exc.message)
        return None
    if not isinstance(data, dict):
        problems.error(path, 1, f"expected a mapping of fields, got {type_name(data)}")
        return None
    before = len(problems.errors)
    for key in data:
        if key not in FIELDS:
            problems.error(
                path, lines(key), f"unknown field '{key}' (expected one of: {', '.join(FIELDS)})"
            )
    version = _version(data, path, lines, problems)
    date = _date(data.get("date"), path, lines("date"), "date", problems)
    approval = _approval(data.get("approval"), path, lines, problems)
    effective = _date(data.get("effective"), path, lines("effective"), "effective", problems)
    notes = _texts(data.get("notes"), path, lines, ("notes",), problems, one_line=False)
    sources = _digest_field(data.get("sources"), path, lines("sources"), "sources", problems)
    digests = _digests(data.get("digests"), path, lines, problems)
    commit = data.get("commit")
    if commit is not None and not (isinstance(commit, str) and COMMIT_RE.fullmatch(commit)):
        problems.error(
            path,
            lines("commit"),
            f"commit {commit!r} is not a commit hash (expected 40 lower-case hexadecimal "
            "digits in quotes, or no commit field)",
        )
    if len(problems.errors) > before or None in (version, date, approval, effective, sources):
        return None
    assert version and date and approval and effective and sources  # for the type checker
    if effective < approval.date:
        problems.error(
            path,
            lines("effective"),
            f"effective {effective.isoformat()} is before the approval of "
            f"{approval.date.isoformat()} (expected a release to take effect on or after "
            "the day it is approved)",
        )
    if approval.date > date:
        problems.error(
            path,
            lines("approval", "date"),
            f"approval date {approval.date.isoformat()} is after the release date "
            f"{date.isoformat()} (expected a release to record an approval already given)",
        )
    name = path.rsplit("/", 1)[-1]
    if name != f"{version}.yml":
        problems.error(
            path,
            lines("version"),
            f"version {version} in a file named {name} (expected the file {version}.yml)",
        )
    notes = {lang: notes.get(lang) or notes.get(DEFAULT_LANGUAGE, "") for lang in LANGUAGES}
    return ReleaseRecord(
        version, date, approval, effective, notes, sources, digests, commit, path, lines
    )


def _version(data: dict[str, Any], path: str, lines: Lines, problems: Problems) -> str | None:
    value = data.get("version")
    if isinstance(value, str) and re.fullmatch(VERSION_TEXT, value, flags=re.ASCII):
        return value
    hint = (
        " in quotes (YAML reads 2026.10 unquoted as the number 2026.1)"
        if isinstance(value, float)
        else ""
    )
    problems.error(
        path,
        lines("version"),
        f'version {value!r} is not a release version (expected <year>.<n> such as "2026.1"{hint})'
        if value is not None
        else "missing field 'version' (expected <year>.<n> in quotes, such as \"2026.1\")",
    )
    return None


def _date(value: Any, path: str, line: int, what: str, problems: Problems) -> dt.date | None:
    if (day := date_value(value)) is not None:
        return day
    problems.error(
        path,
        line,
        f"missing field '{what}' (expected {DATE_EXPECTED})"
        if value is None
        else date_problem(value, f"field '{what}'"),
    )
    return None


def _texts(
    value: Any,
    path: str,
    lines: Lines,
    where: tuple[str, ...],
    problems: Problems,
    one_line: bool,
) -> dict[str, str]:
    """A text per language; a plain string counts for every language."""
    what = ".".join(where)
    if value is None:
        return {}
    if isinstance(value, str):
        value = {DEFAULT_LANGUAGE: value}
    if not isinstance(value, dict):
        problems.error(
            path,
            lines(*where),
            f"{what} is {type_name(value)} (expected a text per language: {', '.join(LANGUAGES)})",
        )
        return {}
    out: dict[str, str] = {}
    for lang, text in value.items():
        line = lines(*where, lang)
        if lang not in LANGUAGES:
            problems.error(
                path, line, f"unknown language '{lang}' in {what} (expected {', '.join(LANGUAGES)})"
            )
        elif not isinstance(text, str):
            problems.error(path, line, f"{what}.{lang} is {type_name(text)} (expected text)")
        elif one_line and (message := one_line_problem(text, f"{what}.{lang}")):
            problems.error(path, line, message)
        else:
            out[lang] = text.strip()
    return out


def _approval(value: Any, path: str, lines: Lines, problems: Problems) -> Approval | None:
    if not isinstance(value, dict):
        problems.error(
            path,
            lines("approval"),
            "missing field 'approval' (expected body, date and optionally resolution)"
            if value is None
            else f"approval is {type_name(value)} (expected body, date and optionally resolution)",
        )
        return None
    for key in value:
        if key not in APPROVAL_FIELDS:
            problems.error(
                path,
                lines("approval", key),
                f"unknown field 'approval.{key}' (expected one of: {', '.join(APPROVAL_FIELDS)})",
            )
    body = _texts(value.get("body"), path, lines, ("approval", "body"), problems, one_line=True)
    if not body.get(DEFAULT_LANGUAGE):
        problems.error(
            path,
            lines("approval", "body"),
            f"approval.body has no {DEFAULT_LANGUAGE} text (expected the approving body, "
            "such as 董事會, and its English name)",
        )
        return None
    body.setdefault("en", body[DEFAULT_LANGUAGE])
    date = _date(value.get("date"), path, lines("approval", "date"), "approval.date", problems)
    resolution = _texts(
        value.get("resolution"), path, lines, ("approval", "resolution"), problems, one_line=True
    )
    if resolution.get(DEFAULT_LANGUAGE):
        resolution.setdefault("en", resolution[DEFAULT_LANGUAGE])
    return Approval(body, date, resolution) if date else None


def _digest_field(value: Any, path: str, line: int, what: str, problems: Problems) -> str | None:
    if isinstance(value, str) and DIGEST_RE.fullmatch(value):
        return value
    problems.error(
        path,
        line,
        f"{what} {value!r} is not a content digest (expected sha256: and 64 lower-case "
        "hexadecimal digits, as make release writes it)",
    )
    return None


def _digests(value: Any, path: str, lines: Lines, problems: Problems) -> dict[str, str]:
    if not isinstance(value, dict):
        problems.error(
            path,
            lines("digests"),
            "digests must map each regulation id to its content digest (expected "
            "'<regulation id>: sha256:…' for every regulation of the release)",
        )
        return {}
    out: dict[str, str] = {}
    for reg, digest in value.items():
        shown = f"digests.{reg}"
        if _digest_field(digest, path, lines("digests", reg), shown, problems):
            out[str(reg)] = digest
    return out


def check_sequence(records: list[ReleaseRecord], problems: Problems) -> None:
    """Dates must follow the versions: a later release is not cut, nor approved, before
    an earlier one; each version once."""
    for prev, rec in zip(records, records[1:], strict=False):
        if prev.version == rec.version:
            problems.error(rec.path, rec.lines("version"), f"version {rec.version} twice")
            continue
        for what, a, b, where in (
            ("date", prev.date, rec.date, ("date",)),
            ("approval date", prev.approval.date, rec.approval.date, ("approval", "date")),
        ):
            if b < a:
                problems.error(
                    rec.path,
                    rec.lines(*where),
                    f"{what} {b.isoformat()} of release {rec.version} is before the {what} "
                    f"{a.isoformat()} of release {prev.version} (expected dates in the order "
                    "of the versions)",
                )


# -- writing -----------------------------------------------------------------------


def record_text(record: ReleaseRecord) -> str:
    """The YAML of ``record``, as ``make release`` writes it (every string quoted, so
    YAML never reads a version or a hash as a number)."""
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Q
    from ruamel.yaml.scalarstring import LiteralScalarString

    def text(value: str) -> Any:
        return LiteralScalarString(value + "\n") if "\n" in value else Q(value)

    approval: dict[str, Any] = {
        "body": {k: Q(v) for k, v in record.approval.body.items()},
        "date": record.approval.date,
    }
    if record.approval.resolution:
        approval["resolution"] = {k: Q(v) for k, v in record.approval.resolution.items()}
    data: dict[str, Any] = {
        "version": Q(record.version),
        "date": record.date,
        "approval": approval,
        "effective": record.effective,
        "notes": {lang: text(record.notes.get(lang, "")) for lang in LANGUAGES},
        "sources": Q(record.sources),
        "digests": {reg: Q(d) for reg, d in sorted(record.digests.items())},
    }
    if record.commit:
        data["commit"] = Q(record.commit)
    yaml = YAML()
    yaml.width = 4096
    yaml.representer.ignore_aliases = lambda *_: True  # records hold no anchors
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    yaml.dump(data, out)
    return HEADER.format(version=record.version) + out.getvalue()


def record_schema() -> dict[str, Any]:
    """The JSON Schema of a record (``schemas/release.json``)."""
    texts = {
        "type": "object",
        "properties": {lang: {"type": "string"} for lang in LANGUAGES},
        "additionalProperties": False,
    }
    date = {"type": "string", "format": "date"}
    digest = {"type": "string", "pattern": r"^sha256:[0-9a-f]{64}$(?!\n)"}
    return {
        "title": "Release record (releases/<version>.yml)",
        "type": "object",
        "required": ["version", "date", "approval", "effective", "sources", "digests"],
        "additionalProperties": False,
        "properties": {
            "version": {"type": "string", "pattern": rf"^{VERSION_TEXT}$(?!\n)"},
            "date": date,
            "approval": {
                "type": "object",
                "required": ["body", "date"],
                "additionalProperties": False,
                "properties": {"body": texts, "date": date, "resolution": texts},
            },
            "effective": date,
            "notes": texts,
            "sources": digest,
            "digests": {"type": "object", "additionalProperties": digest},
            "commit": {"type": "string", "pattern": r"^[0-9a-f]{40}$(?!\n)"},
        },
    }
