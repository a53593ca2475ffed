"""Edits of hand-written YAML keep the file as the editor wrote it (ruamel.yaml round-trips),
and the library-backed codecs (CBOR of the search index, HTML attribute values) read
what the hand-written ones did not."""

from __future__ import annotations

import difflib
import gzip
import shutil
from pathlib import Path

import cbor2
import pytest
import yaml

from compendium.editing.manifestedit import insert, remove
from compendium.editing.rename import move, rename
from compendium.editing.scaffold import new_article
from compendium.editing.stamping import set_translates
from compendium.importer import yaml_str
from compendium.printing.parts import Part, with_page_numbers
from compendium.site import pfstable
from compendium.source.loader import load
from compendium.source.tree import DirTree

MINI = Path(__file__).resolve().parent / "fixtures" / "mini" / "docs"

# Comments, blank lines, quoting, a one-line flow chapter whose title names an article
# id, list offsets of 0 and 2 and mapping indents of 2 and 4 in one file.
MANIFEST = """---
# Alpha, written by hand
compendium: regulation
id: alpha   # never change
code: 'A-01'
title: {zh-Hant: 甲管理制度, en: Alpha Management Regulation}
owner: ops-dept
version: "2.1"
effective: 2026-03-01
numbering: chapter-article
chapters:
- {id: general, title: {zh-Hant: 總則, en: purpose and scope}, articles: [purpose, scope]}

# the data chapter
- id: data
  title:
      zh-Hant: 數據管理
      en: Data Management
  sections:
    - id: storage
      title: {zh-Hant: 儲存, en: Storage}
      articles:
        - backup  # the first
        - {id: backup-offsite, inserted: true}
        - 'retention'

    - id: use  # last
      title: {zh-Hant: 使用, en: Use}
      articles: [access]
---
"""

ROLES = """# who is who
roles:
- id: ops-dept   # the operations department
  kind: department
  name: {zh-Hant: 運營部門, en: "Operations Department"}
  aliases: {zh-Hant: [運營部], en: []}

- id: all-employees
  kind: everyone
  name:
      zh-Hant: 全體員工
      en: All Employees
  aliases: {zh-Hant: [全部員工], en: [all employees]}
"""


def _changes(before: str, after: str) -> list[str]:
    """The changed lines, ``-old`` / ``+new``."""
    return [
        line for line in difflib.ndiff(before.split("\n"), after.split("\n")) if line[:1] in "+-"
    ]


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    shutil.copytree(MINI, docs)
    (docs / "regulations" / "alpha" / "index.md").write_text(MANIFEST, encoding="utf-8")
    (docs / "roles.yml").write_text(ROLES, encoding="utf-8")
    _, problems = load(DirTree(docs))
    assert problems.errors == []
    return docs


def _manifest(docs: Path) -> str:
    return (docs / "regulations" / "alpha" / "index.md").read_text(encoding="utf-8")


FLOW_CHAPTER = (
    "- {id: general, title: {zh-Hant: 總則, en: purpose and scope}, articles: [purpose, scope]}"
)


def test_rename_article_changes_only_its_entry(docs: Path) -> None:
    rename(docs, "alpha/scope", "alpha/coverage").apply()
    assert _changes(MANIFEST, _manifest(docs)) == [
        "- " + FLOW_CHAPTER,
        "+ " + FLOW_CHAPTER.replace("[purpose, scope]", "[purpose, coverage]"),
    ]
    zh = (docs / "regulations" / "alpha" / "coverage.zh-Hant.md").read_text(encoding="utf-8")
    assert zh.startswith("---\nid: coverage\nformerly: [scope]\nroles: [all-employees]\n---\n")


def test_new_article_after_an_id_the_title_also_names(docs: Path) -> None:
    new_article(docs, "alpha", "extra", "scope").apply()
    assert _changes(MANIFEST, _manifest(docs)) == [
        "- " + FLOW_CHAPTER,
        "+ " + FLOW_CHAPTER.replace("[purpose, scope]", "[purpose, scope, extra]"),
    ]


def test_rename_chapter_written_as_a_flow_mapping_records_formerly(docs: Path) -> None:
    rename(docs, "alpha/general", "alpha/basics").apply()
    assert _changes(MANIFEST, _manifest(docs)) == [
        "- " + FLOW_CHAPTER,
        "+ " + FLOW_CHAPTER.replace("{id: general,", "{id: basics, formerly: [general],"),
    ]


def test_rename_section_in_a_differently_indented_block(docs: Path) -> None:
    rename(docs, "alpha/use", "alpha/usage").apply()
    assert _changes(MANIFEST, _manifest(docs)) == [
        "-     - id: use  # last",
        "+     - id: usage  # last",
        "+       formerly: [use]",
    ]


def test_moves_keep_comments_blank_lines_and_quotes(docs: Path) -> None:
    move(docs, "alpha/retention", "use").apply()
    assert _changes(MANIFEST, _manifest(docs)) == [
        "-         - 'retention'",
        "-       articles: [access]",
        "+       articles: [access, retention]",
    ]
    move(docs, "alpha/retention", "storage").apply()
    assert _manifest(docs) == MANIFEST.replace("'retention'", "retention")


def test_insert_and_remove_at_the_end_of_a_block_list_give_the_text_back() -> None:
    path = ("chapters", 1, "sections", 0, "articles")
    added = insert(MANIFEST, path, 3, "archive", True)
    assert _changes(MANIFEST, added) == ["+         - {id: archive, inserted: true}"]
    assert added.index("{id: archive") < added.index("\n\n    - id: use")
    assert remove(added, "archive") == MANIFEST
    assert _changes(MANIFEST, remove(MANIFEST, "backup")) == ["-         - backup  # the first"]


def test_a_comment_before_an_entry_stays_with_it() -> None:
    text = "---\nid: r\nchapters:\n  - id: c\n    articles:\n      - a\n      # about b\n      - b\n---\n"
    path = ("chapters", 0, "articles")
    assert _changes(text, remove(text, "a")) == ["-       - a"]
    added = insert(text, path, 1, "x", False)
    assert _changes(text, added) == ["+       - x"]
    assert added.index("- x") < added.index("# about b")


def test_rename_role_keeps_the_registry_as_written(docs: Path) -> None:
    rename(docs, "role:ops-dept", "role:operations").apply()
    roles = (docs / "roles.yml").read_text(encoding="utf-8")
    assert _changes(ROLES, roles) == [
        "- - id: ops-dept   # the operations department",
        "+ - id: operations   # the operations department",
    ]
    assert _changes(MANIFEST, _manifest(docs)) == ["- owner: ops-dept", "+ owner: operations"]


def test_stamp_keeps_comments_quotes_and_flow_front_matter() -> None:
    text = "---\r\n# note\r\nid: a\r\ncaption: 'A: b'  # c\r\ntranslates: old\r\n---\r\nText.\r\n"
    assert set_translates(text, "abc123") == text.replace("translates: old", "translates: abc123")
    flow = "---\n{id: a, caption: A}  # one line\n---\nText.\n"
    assert set_translates(flow, "abc123") == (
        "---\n{id: a, translates: abc123, caption: A}  # one line\n---\nText.\n"
    )


@pytest.mark.parametrize(
    "value",
    ["no", "on", "Yes", "1:20", "0o17", "~", "1e3", "=", "a\tb", "a\x85b", "a\u2028b", "\ufeffx"],
)
def test_scalars_read_back_the_same_in_block_and_flow(value: str) -> None:
    text = yaml_str(value)
    assert "\n" not in text and "\x85" not in text and "\u2028" not in text
    assert yaml.safe_load(f"k: {text}\nf: {{a: {text}}}\n") == {"k": value, "f": {"a": value}}


def test_search_index_files_of_any_cbor_shape_are_read(tmp_path: Path) -> None:
    path = tmp_path / "x.pf_filter"
    value = ["role", [["a", [1]]], {"weights": [1.5, None, True]}]
    path.write_bytes(gzip.compress(pfstable.SIGNATURE + cbor2.dumps(value)))
    assert pfstable.read(path) == value
    path.write_bytes(gzip.compress(pfstable.SIGNATURE + cbor2.dumps(value)[:-3]))
    with pytest.raises(pfstable.FormatError):
        pfstable.read(path)


def test_page_references_with_any_html_entity_find_their_page() -> None:
    html = '<a class="page-ref" href="#a&quot;b&#x27;c&apos;">x</a>'
    numbered = with_page_numbers(Part("doc", 0, html), {"a\"b'c'": 7}).html
    assert 'data-page="7"' in numbered
