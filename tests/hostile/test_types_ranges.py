"""Wrong types, values out of range and nesting without end: each is one clear
``path:line: message`` saying what is expected, from the same validation ``make
check``, the site and the PDFs run, never a traceback."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import make_project, mkdocs_build
from tests.hostile.conftest import ALPHA, check_output

MANIFEST = f"{ALPHA}/index.md"
MAX_MESSAGE = 1_000  # compendium.source.problems.MAX_MESSAGE, stated here on purpose

PACKS = """packs:
  - id: starter
    title: {zh-Hant: 入職資料, en: Starter Pack}
    roles: [ops-dept]
    contents:
      - general-provisions
      - regulation: alpha
        chapters: [general]
"""


def problems_of(docs: Path) -> list[str]:
    """Every problem ``validate`` finds in ``docs`` (make check, the site and the PDFs
    call it alike), as printed; a crash fails the test with its traceback."""
    from compendium.source.checks import validate
    from compendium.source.tree import DirTree

    _, problems = validate(DirTree(docs, display_root="docs"))
    return [str(p) for p in problems.sorted()]


def errors_of(docs: Path) -> list[str]:
    return [p for p in problems_of(docs) if re.match(r"\S+:\d+: (?!warning: )", p)]


def edit(docs: Path, rel: str, old: str, new: str) -> None:
    path = docs / rel
    text = path.read_text("utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def in_manifest(fields: str) -> Callable[[Path], None]:
    return lambda docs: edit(docs, MANIFEST, "numbering:", f"{fields}\nnumbering:")


def one_error(docs: Path, rel: str, pattern: str) -> str:
    """The one error at ``docs/rel``; it matches ``pattern`` (after ``path:line: ``)."""
    errors = [e for e in errors_of(docs) if e.startswith(f"docs/{rel}:")]
    assert len(errors) == 1, errors
    assert re.match(rf"docs/{re.escape(rel)}:\d+: {pattern}", errors[0]), errors[0]
    return errors[0]


# -- numbers and dates -------------------------------------------------------------

MONTHS = r"field 'review_every' must be a whole number of months from 1 to 120"


@pytest.mark.parametrize("every", ["99999", "100000000000", "0", "121", "-12", "1.5", "'12'"])
def test_review_cycle_out_of_range(docs, every):
    in_manifest(f"review_every: {every}\nlast_reviewed: 2026-01-15")(docs)
    one_error(docs, MANIFEST, MONTHS)


@pytest.mark.parametrize("every", ["1", "120"])
def test_review_cycle_limits_are_allowed(docs, every):
    in_manifest(f"review_every: {every}\nlast_reviewed: 2026-01-15")(docs)
    assert errors_of(docs) == []


DATE = r"{what} must be a valid date YYYY-MM-DD in the years 1900 to 2199, got {got}"

# (file, what the message calls the field, how to put the date there)
DATE_FIELDS: dict[str, tuple[str, str, Callable[[Path, str], None]]] = {
    "last_reviewed": (
        MANIFEST,
        "field 'last_reviewed'",
        lambda docs, day: in_manifest(f"review_every: 12\nlast_reviewed: {day}")(docs),
    ),
    "manifest effective": (
        MANIFEST,
        "field 'effective'",
        lambda docs, day: edit(docs, MANIFEST, "effective: 2026-03-01", f"effective: {day}"),
    ),
    "article effective": (
        f"{ALPHA}/scope.zh-Hant.md",
        "field 'effective'",
        lambda docs, day: edit(
            docs, f"{ALPHA}/scope.zh-Hant.md", "id: scope\n", f"id: scope\neffective: {day}\n"
        ),
    ),
    "history date": (
        f"{ALPHA}/scope.zh-Hant.md",
        "field 'date'",
        lambda docs, day: edit(
            docs,
            f"{ALPHA}/scope.zh-Hant.md",
            "id: scope\n",
            f"id: scope\nhistory:\n  - {{date: {day}, note: 修正}}\n",
        ),
    ),
    "repealed": (
        MANIFEST,
        "'repealed'",
        lambda docs, day: edit(
            docs, MANIFEST, "[purpose, scope]", f"[purpose, {{id: scope, repealed: {day}}}]"
        ),
    ),
}


@pytest.mark.parametrize("field", DATE_FIELDS)
@pytest.mark.parametrize(
    "day, got",
    [
        ("9999-12-15", "the date 9999-12-15"),
        ("1899-12-31", "the date 1899-12-31"),
        ("2200-01-01", "the date 2200-01-01"),
        ("0000-01-01", "'0000-01-01'"),
        ("2026-02-30", "'2026-02-30'"),
        ("'20260301'", "'20260301'"),
        ("[2026-03-01]", "a list"),
    ],
)
def test_dates_out_of_range_or_not_dates(docs, field, day, got):
    rel, what, put = DATE_FIELDS[field]
    put(docs, day)
    one_error(docs, rel, DATE.format(what=re.escape(what), got=re.escape(got)))


@pytest.mark.parametrize("field", DATE_FIELDS)
@pytest.mark.parametrize("day", ["1900-01-01", "2199-12-31"])
def test_dates_at_the_limits_are_allowed(docs, field, day):
    _, _, put = DATE_FIELDS[field]
    put(docs, day)
    assert errors_of(docs) == []


# -- nesting -------------------------------------------------------------------------

NESTED = r"lists and mappings nested more than 20 levels"


@pytest.mark.parametrize("value", ["[" * 600 + "]" * 600, "{a: " * 600 + "}" * 600])
def test_deep_yaml_in_front_matter(docs, value):
    edit(docs, MANIFEST, "code: A-01", f"code: {value}")
    # the manifest is refused whole: no regulation, so beta's reference to it fails too
    assert one_error(docs, MANIFEST, NESTED)


def test_deep_yaml_in_a_registry(docs):
    edit(docs, "roles.yml", "aliases: {zh-Hant: [運營部], en: []}", "note: " + "[" * 50000)
    one_error(docs, "roles.yml", NESTED)


def test_twenty_levels_are_read_and_twenty_one_are_not():
    from compendium.source.yamlsrc import YamlError, load_yaml

    data, _ = load_yaml("a: " + "[" * 19 + "]" * 19)  # 20 with the mapping
    assert data == {"a": eval("[" * 18 + "[]" + "]" * 18)}  # noqa: S307 - a literal of lists
    with pytest.raises(YamlError, match=NESTED):
        load_yaml("a: " + "[" * 20 + "]" * 20)


# -- types in the registries, the manifest and the packs -------------------------------


ROLE_ENTRY = "    aliases: {zh-Hant: [運營部], en: []}"


@pytest.mark.parametrize(
    "rel, old, new, pattern",
    [
        (
            MANIFEST,
            "owner: ops-dept",
            "owner: [x]",
            "field 'owner' must be one role id \\(text\\), got a list",
        ),
        (
            MANIFEST,
            "owner: ops-dept",
            "owner: {a: b}",
            "field 'owner' must be one role id \\(text\\), got a mapping",
        ),
        (
            "roles.yml",
            ROLE_ENTRY,
            ROLE_ENTRY + "\n    parent: [x]",
            "parent role id must be one id \\(text\\), got a list",
        ),
        (
            "roles.yml",
            ROLE_ENTRY,
            ROLE_ENTRY + "\n    parent: {a: b}",
            "parent role id must be one id \\(text\\), got a mapping",
        ),
        (
            "roles.yml",
            ROLE_ENTRY,
            ROLE_ENTRY + "\n    parent: 12",
            "parent role id must be one id \\(text\\), got the number 12",
        ),
        (
            "roles.yml",
            ROLE_ENTRY,
            ROLE_ENTRY + "\n    note: [x]",
            "field 'note' must be text, got a list",
        ),
        (
            "roles.yml",
            ROLE_ENTRY,
            ROLE_ENTRY + "\n    note: {a: b}",
            "field 'note' must be text, got a mapping",
        ),
        ("roles.yml", "kind: department", "kind: [department]", "unknown role kind a list"),
        ("glossary.yml", "en: data}", "en: [data]}", "the en term must be text, got a list"),
        (
            "glossary.yml",
            "en: data}",
            "en: data, senses: [{en: [x], note: n}]}",
            "a sense's 'en' must be text, got a list",
        ),
        (
            "roles.yml",
            "roles:\n",
            "version: 2\nroles:\n",
            r"unknown field 'version' \(expected only 'roles'\)",
        ),
        (
            "glossary.yml",
            "terms:\n",
            "extra: [x]\nterms:\n",
            r"unknown field 'extra' \(expected only 'terms'\)",
        ),
    ],
)
def test_wrong_types_in_registries_and_manifest(docs, rel, old, new, pattern):
    edit(docs, rel, old, new)
    one_error(docs, rel, pattern)


PACK_ID = r"invalid pack id {shown}(?: of [\d,]+ characters)? \(expected lower-case letters, digits and single hyphens, at most 64 characters"


@pytest.mark.parametrize(
    "old, new, pattern",
    [
        ("id: starter", "id: " + "p" * 250, PACK_ID.format(shown="'" + "p" * 80 + "…'")),
        ("id: starter", 'id: "x\\n"', PACK_ID.format(shown=re.escape("'x[U+000A]'"))),
        ("id: starter", 'id: "x\\u200b"', PACK_ID.format(shown=re.escape("'x[U+200B]'"))),
        ("id: starter", "id: [x]", "pack id must be one id \\(text\\), got a list"),
        (
            "chapters: [general]",
            "chapters: [[general]]",
            "unknown chapter a list in regulation 'alpha'",
        ),
        (
            "chapters: [general]",
            "chapters: [{a: b}]",
            "unknown chapter a mapping in regulation 'alpha'",
        ),
        ("roles: [ops-dept]", "roles: [[ops-dept]]", "unknown role a list"),
        ("regulation: alpha", "regulation: [alpha]", "unknown regulation a list"),
    ],
)
def test_wrong_types_in_packs(docs, old, new, pattern):
    (docs / "packs.yml").write_text(PACKS.replace(old, new, 1), "utf-8")
    one_error(docs, "packs.yml", pattern)


def test_sixty_four_characters_make_a_pack_id(docs):
    (docs / "packs.yml").write_text(PACKS.replace("id: starter", "id: " + "p" * 64), "utf-8")
    assert errors_of(docs) == []


def test_role_page_for_a_role_not_in_the_registry(docs):
    edit(docs, "roles/ops-dept.md", "role: ops-dept", "role: nobody")
    one_error(
        docs,
        "roles/ops-dept.md",
        r"role page for unknown role 'nobody' \(expected a role id from docs/roles\.yml\)",
    )


@pytest.mark.build
def test_build_refuses_a_role_page_for_an_unknown_role(tmp_path, docs):
    edit(docs, "roles/ops-dept.md", "role: ops-dept", "role: nobody")
    result = mkdocs_build(make_project(tmp_path, docs))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "KeyError" not in result.stderr
    assert "docs/roles/ops-dept.md:3: role page for unknown role 'nobody'" in result.stderr


# -- one id rule -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, ok",
    [
        ("a" * 64, True),
        ("data-backup", True),
        ("a" * 65, False),
        ("x\n", False),
        ("x\r\n", False),
        ("scope\u200b", False),
        ("art-1", False),
        ("a--b", False),
        ("", False),
    ],
)
def test_every_id_follows_one_rule(value, ok):
    import argparse

    from compendium import argtypes
    from compendium.editing.scaffold import ScaffoldError
    from compendium.editing.scaffold import check_id as scaffold_check
    from compendium.importer.grammar import ImportFailure
    from compendium.importer.options import _check_id as import_check
    from compendium.source.fields import id_problem, is_id

    assert is_id(value) is ok
    assert (id_problem(value, "id") is None) is ok
    checks: list[tuple[Callable[[], object], type[Exception]]] = [
        (lambda: argtypes.identifier(value), argparse.ArgumentTypeError),
        (lambda: scaffold_check(value, "article id"), ScaffoldError),
        (lambda: import_check(value, "regulation id"), ImportFailure),
    ]
    for call, error in checks:
        if ok:
            call()
        else:
            with pytest.raises(error, match="at most 64 characters"):
                call()


def test_an_article_id_of_sixty_five_characters_in_the_manifest(docs):
    long_id = "a" * 65
    edit(docs, MANIFEST, "[purpose, scope]", f"[purpose, scope, {long_id}]")
    errors = [e for e in errors_of(docs) if e.startswith(f"docs/{MANIFEST}:")]
    assert errors == [
        f"docs/{MANIFEST}:13: invalid article id '{long_id}' of 65 characters (expected "
        "lower-case letters, digits and single hyphens, at most 64 characters, not starting "
        "with ch-, sec-, art-; e.g. 'data-backup')"
    ]


# -- messages ------------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\u200b", "\u202e", "\u2066", "\x01", "\ufeff"])
def test_invisible_characters_are_named_in_messages(docs, char):
    edit(
        docs,
        MANIFEST,
        "[purpose, scope]",
        f'[purpose, "scope{char}"]'.replace(char, f"\\u{ord(char):04x}"),
    )
    out = "\n".join(errors_of(docs))
    assert char not in out
    assert f"[U+{ord(char):04X}]" in out or f"U+{ord(char):04X}" in out, out


def test_an_invisible_character_in_an_id_is_shown_by_code_point(docs):
    edit(docs, MANIFEST, "[purpose, scope]", '[purpose, "scope\\u200b"]')
    error = one_error(docs, MANIFEST, "invalid article id ")
    assert "'scope[U+200B]'" in error


def test_long_values_are_cut_in_messages(docs):
    label = "標" * 19_000  # under the 20,000 of one field
    edit(docs, f"{ALPHA}/scope.zh-Hant.md", "roles: [all-employees]", f"roles: [{label}]")
    errors = [e for e in errors_of(docs) if "scope.zh-Hant.md" in e]
    assert errors, problems_of(docs)
    for error in errors:
        assert len(error) < MAX_MESSAGE + 100, len(error)
    assert any(re.search("標{70,80}…", e) and "標" * 81 not in e for e in errors), errors


def test_no_message_is_longer_than_the_limit():
    from compendium.source.problems import Problem

    p = Problem("docs/x.md", 1, "word " * 10_000 + "(expected the end)")
    assert len(p.message) <= MAX_MESSAGE + 3
    assert p.message.endswith("(expected the end)")


def test_at_most_a_thousand_problems_are_listed(docs):
    entries = "".join(
        f"  - {{id: Bad{i}, kind: team, name: {{zh-Hant: 甲{i}, en: A{i}}}}}\n"
        for i in range(1_500)
    )
    (docs / "roles.yml").write_text("roles:\n" + entries, "utf-8")
    out = check_output(docs)
    listed = [line for line in out.splitlines() if line.startswith("docs/")]
    assert len(listed) == 1_000, len(listed)
    assert re.search(r"^\.\.\. and [\d,]+ more problem\(s\) not shown", out, re.M), out[-500:]


def test_errors_are_listed_before_warnings_when_cut():
    from compendium.source.problems import Problems

    problems = Problems()
    for i in range(5):
        problems.warning("docs/a.md", i, "w")
    problems.error("docs/z.md", 1, "e")
    shown, more = problems.reported(limit=3)
    assert [p.severity for p in shown].count("error") == 1
    assert more is not None and "3 more" in more


def test_make_check_prints_the_type_problems(docs):
    """The same problems reach ``make check`` (scripts/check.py), without a traceback."""
    in_manifest("review_every: 100000000000\nlast_reviewed: 9999-12-15")(docs)
    edit(docs, MANIFEST, "owner: ops-dept", "owner: [x]")
    edit(docs, "roles/ops-dept.md", "role: ops-dept", "role: nobody")
    out = check_output(docs)
    for expected in (
        MONTHS,
        "field 'last_reviewed' must be a valid date",
        "field 'owner' must be one role id",
        "role page for unknown role 'nobody'",
    ):
        assert re.search(rf"^docs/\S+:\d+: {expected}", out, re.M), (expected, out)


# -- encodings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "codec, name",
    [
        ("utf-16", "UTF-16 LE (with BOM)"),
        ("utf-16-le", "UTF-16 LE"),
        ("utf-16-be", "UTF-16 BE"),
        ("utf-32-le", "UTF-32 LE"),
    ],
)
def test_wide_encodings_are_named_in_docs(docs, codec, name):
    path = docs / f"{ALPHA}/scope.zh-Hant.md"
    path.write_bytes(path.read_text("utf-8").encode(codec))
    one_error(
        docs,
        f"{ALPHA}/scope.zh-Hant.md",
        re.escape(f"file is not UTF-8 text: it looks like {name}; save it as UTF-8"),
    )


@pytest.mark.parametrize(
    "codec, name", [("utf-16", "UTF-16 LE (with BOM)"), ("utf-16-be", "UTF-16 BE")]
)
def test_the_importer_names_a_wide_encoding(tmp_path, capsys, codec, name):
    import runpy

    from tests.conftest import ROOT

    docs = tmp_path / "docs"
    (docs / "regulations").mkdir(parents=True)
    source = tmp_path / "rules.txt"
    source.write_bytes("第一章　總則\n第一條　本辦法之目的。\n".encode(codec))
    main = runpy.run_path(str(ROOT / "scripts" / "import_regulation.py"), run_name="lib")["main"]
    assert main([str(source), "--id", "rules", "--docs", str(docs)]) == 2
    err = capsys.readouterr().err
    assert f"it looks like {name}; save it as UTF-8" in err, err
    assert "Traceback" not in err


@pytest.mark.parametrize("pack_id", ["p" * 250, "x\n"])
def test_make_pdf_refuses_a_pack_id_before_writing(tmp_path, docs, capsys, pack_id):
    import runpy

    from tests.conftest import ROOT

    (docs / "packs.yml").write_text(
        PACKS.replace("id: starter", f"id: {pack_id!r}".replace("'", '"')), "utf-8"
    )
    out = tmp_path / "pdf"
    main = runpy.run_path(str(ROOT / "scripts" / "build_pdf.py"), run_name="lib")["main"]
    assert main([str(docs), "--out", str(out), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert re.search(r"packs\.yml:2: invalid pack id '(p{80}…|x\[U\+000A\])'", err), err
    assert "no PDF written" in err
    assert not out.exists() or not any(out.iterdir())
