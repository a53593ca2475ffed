"""One-line fields, attribute lists, search metadata and invisible characters.

What a reader sees must be what a reviewer sees in the diff: a caption or title
holds no second line (a fake heading, a link), attribute lists set an id and
nothing else (no ``hidden``, ``data-pagefind-meta``, ``dir``, class), and no
bidirectional control reorders the text. Validation refuses each with
``path:line``; a build that ignored validation renders none of it.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import shutil
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from compendium.printing.assembly import BuildInfo, Printer
from compendium.site.render import Renderer
from compendium.source.checks import validate
from compendium.source.htmlpolicy import (
    ALLOWED_CLASSES,
    SafeHtmlExtension,
    attribute_problem,
    escape_text,
    id_problem,
)
from compendium.source.loader import load
from compendium.source.tree import MemoryTree
from tests.conftest import make_project, mkdocs_build
from tests.hostile.conftest import MINI, UNCHECKED_BUILD, run

ALPHA = "regulations/alpha"
PURPOSE = f"{ALPHA}/purpose.zh-Hant.md"  # "---", "id: purpose", "---", one line of text
FIRST = 6  # the first line of text appended by ``with_body``

LINE_BREAKS = ["\n", "\r", "\r\n", "\x85", "\u2028", "\u2029"]
BIDI = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f"]


def mini_files() -> dict[str, str]:
    return {
        p.relative_to(MINI).as_posix(): p.read_text("utf-8")
        for p in sorted(MINI.rglob("*"))
        if p.is_file()
    }


def with_body(extra: str, rel: str = PURPOSE, files: dict[str, str] | None = None) -> dict:
    files = dict(files or mini_files())
    files[rel] = files[rel].rstrip("\n") + "\n\n" + extra + "\n"
    return files


def errors(files: dict[str, str]) -> list[str]:
    _, problems = validate(MemoryTree(files, display_root="docs"))
    return [f"{p.path}:{p.line}: {p.message}" for p in problems.errors]


def assert_refused(files: dict[str, str], where: str, *words: str) -> None:
    found = [e for e in errors(files) if e.startswith(where + ": ")]
    assert found, (where, errors(files))
    assert any(all(w in e for w in words) for e in found), (words, found)
    assert all("(expected" in e for e in found), found


# -- attribute lists: validation ---------------------------------------------------

ATTRIBUTE_VARIANTS = [
    # (text appended to an article, line offset of the list, a word of the message)
    ("本條廢止。\n{: hidden }", 1, "'hidden'"),
    ("本條廢止。\n{ hidden }", 1, "'hidden'"),
    ("本條廢止。\n{:hidden}", 1, "'hidden'"),
    ("本條廢止。\n{#fees .note key=value}", 1, "'key'"),
    ("本條廢止。\n{#fees .note key=value}", 1, "class 'note'"),
    ("段落\n{: data-x=1 }", 1, "'data-x'"),
    ('段落\n{: data-pagefind-meta="url:https://evil.example/login" }', 1, "data-pagefind-meta"),
    ("段落\n{: data-pagefind-meta='url:https://evil.example/login' }", 1, "data-pagefind-meta"),
    ("段落\n{: data-pagefind-meta=url:https://evil.example/login }", 1, "data-pagefind-meta"),
    ("段落\n{: data-pagefind-body }", 1, "data-pagefind-body"),
    ("段落\n{: data-pagefind-ignore=all }", 1, "data-pagefind-ignore"),
    ("段落\n{: contenteditable }", 1, "'contenteditable'"),
    ("段落\n{: dir=rtl }", 1, "'dir'"),
    ("段落\n{: popover }", 1, "'popover'"),
    ("段落\n{: tabindex=1 autofocus }", 1, "'tabindex'"),
    ("段落\n{: lang=en }", 1, "'lang'"),
    ("段落\n{: ID=art-1 }", 1, "'ID'"),
    ("[入口](https://example.com){: ping=https://evil.example/log }", 0, "'ping'"),
    ("[入口](https://example.com){: title=官方 }", 0, "'title'"),
    ("見 *附表*{: hidden } 所列", 0, "'hidden'"),
    ("見 **附表**{: .md-typeset }", 0, "class 'md-typeset'"),
    ("### 附則 {: hidden }", 0, "'hidden'"),
    ("### 附則 {: .sr-only }", 0, "class 'sr-only'"),
    ("- 第一項\n  {: hidden }\n- 第二項", 1, "'hidden'"),
    ("1. 第一款\n\n    第二段\n    {: hidden }", 3, "'hidden'"),
    ("| 項目 | 說明 |\n|---|---|\n| 甲 {: hidden } | 乙 |", 2, "'hidden'"),
    ("| 項目 | 說明 |\n|---|---|\n| 甲 | 乙 {: .md-sidebar } |", 2, "class 'md-sidebar'"),
    ("段落\n{: class=hidden }", 1, "class 'hidden'"),
    ("段落\n{: .visually-hidden }", 1, "class 'visually-hidden'"),
    ("段落\n{: .admonition }", 1, "class 'admonition'"),
    ("段落\n{: .headerlink }", 1, "class 'headerlink'"),
    ("段落\n{: .items }", 1, "class 'items'"),
    ("段落\n{: .role }", 1, "class 'role'"),
    ("段落\n{: .article-other }", 1, "class 'article-other'"),
    ("段落\n{: .js }", 1, "class 'js'"),
    ("段落\n{: .note #fees }", 1, "class 'note'"),
]


@pytest.mark.parametrize(("text", "offset", "word"), ATTRIBUTE_VARIANTS)
def test_attribute_lists_set_an_id_only(text, offset, word):
    assert_refused(with_body(text), f"docs/{PURPOSE}:{FIRST + offset}", word)


RESERVED_IDS = [
    "art-3",
    "art-1",
    "art-3-1",
    "chapter-2",
    "ch-general",
    "sec-storage",
    "section-1",
    "cs-search",
    "cs-search-input",
    "role-ops-dept",
    "duties",
    "duties-ops-dept",
    "org-chart",
    "org-chart-title",
    "p1",
    "cp-token-1",
    "reg-alpha",
    "release-2026-1",
    "md-content",
    "__search",
    "__drawer",
    "_1",
    "alpha--purpose",
    "p1--alpha--purpose",
    "Fees",
    "fees_1",
    "費用",
    "9fees",
    "fees-",
]


@pytest.mark.parametrize("value", RESERVED_IDS)
def test_ids_the_build_makes_or_could_make_are_refused(value):
    assert id_problem(value) is not None
    assert_refused(with_body(f"段落\n{{#{value}}}"), f"docs/{PURPOSE}:{FIRST + 1}", f"'{value}'")


@pytest.mark.build
def test_every_id_of_a_built_regulation_page_is_refused_to_content(mini_site):
    """The real rule: every id the built regulation pages have (Material's, the search
    dialog's, the numbered headings', the toc's, the articles') is one content may not
    set: refused by ``id_problem`` or, for the page's own ids, by the page check."""
    ids = set()
    for page in ("regulations/alpha/index.html", "en/regulations/alpha/index.html"):
        ids |= set(re.findall(r'\sid="([^"]+)"', (mini_site / page).read_text("utf-8")))
    assert {"art-1", "ch-general", "__search", "cs-search", "purpose"} <= ids
    for value in sorted(ids):
        if id_problem(value) is None:
            assert_refused(with_body(f"段落\n{{#{value}}}"), f"docs/{PURPOSE}:{FIRST + 1}", value)


def test_ids_of_the_page_and_repeated_ids_are_refused():
    en = f"{ALPHA}/purpose.en.md"
    files = with_body("段落\n{#scope}\n\n段\n{#alpha-management-regulation}\n\n甲\n{#fees}")
    files = with_body("Para\n{#fees}", en, files)
    found = errors(files)
    assert any(e.startswith(f"docs/{PURPOSE}:{FIRST + 1}: id 'scope'") for e in found), found
    assert any(
        e.startswith(f"docs/{PURPOSE}:{FIRST + 4}: id 'alpha-management-regulation'") for e in found
    ), found
    assert any(
        e.startswith(f"docs/{PURPOSE}:{FIRST + 7}: id 'fees' is already set at docs/{en}:")
        for e in found
    ), found


def test_an_id_used_once_passes():
    files = with_body("附表如下。\n{: #fees }\n\n見[附表](#fees)。")
    assert errors(files) == []


def test_the_allow_list_is_an_allow_list():
    for name in ("hidden", "data-anything", "x-new-attribute", "aria-hidden", "inert", "slot"):
        assert attribute_problem(name, "x") is not None, name
    assert attribute_problem("id", "fees") is None
    assert attribute_problem("class", "anything-new") is not None
    assert ALLOWED_CLASSES == frozenset()  # a class comes with the CSS that defines it


def test_attribute_lists_in_yaml_text_are_refused():
    files = mini_files()
    files[PURPOSE] = "---\nid: purpose\ncaption: '目的 {: hidden }'\n---\n為規範數據管理。\n"
    files["roles.yml"] = files["roles.yml"].replace(
        "name: {zh-Hant: 運營部門,", "name: {zh-Hant: '運營部門 {: .md-typeset }',", 1
    )
    assert_refused(files, f"docs/{PURPOSE}:3", "'hidden'")
    assert_refused(files, "docs/roles.yml:4", "class 'md-typeset'")


def test_admonitions_take_only_materials_kinds():
    files = mini_files()
    files["notes.md"] = '# 說明\n\n!!! hidden "x"\n    本段。\n\n!!! note md-sidebar\n    乙\n'
    assert_refused(files, "docs/notes.md:3", "'!!! hidden'")
    assert_refused(files, "docs/notes.md:6", "'!!! md-sidebar'")
    files["notes.md"] = '# 說明\n\n!!! warning "注意"\n    本段。\n'
    assert errors(files) == []


# -- attribute lists: rendering without validation ------------------------------------

HOSTILE_BODY = "\n\n".join(
    [
        "本條廢止。\n{: hidden }",
        "可編輯\n{: contenteditable }",
        "反向\n{ dir=rtl popover }",
        '搜尋\n{: data-pagefind-meta="url:https://evil.example/login" data-x=1 }',
        "[入口](https://example.com){: ping=https://evil.example/log }",
        "見 *附表*{: .md-typeset #art-3 }",
        "### 附則 {: hidden .sr-only }",
        "- 第一項\n  {: hidden }\n- 第二項",
        "| 項目 | 說明 |\n|---|---|\n| 甲 {: hidden } | 乙 {: .md-sidebar } |",
        "重複\n{#scope}",
        "費用\n{#fees .hidden}",
        "再一次\n{#fees}",
    ]
)
BAD_NAMES = {"hidden", "contenteditable", "dir", "popover", "ping", "data-x", "tabindex"}


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


def bad_attributes(html: str) -> list[tuple[str, str]]:
    """(tag, attribute) of every attribute content could have set to hide, move or
    redirect something."""
    return [
        (tag, name)
        for tag, attrs in elements(html)
        for name in attrs
        if name in BAD_NAMES or name == "data-pagefind-meta"
    ]


def assert_clean_body(html: str) -> None:
    assert not bad_attributes(html), bad_attributes(html)
    for tag, attrs in elements(html):
        for cls in (attrs.get("class") or "").split():
            assert cls in {"items", "item-no", "role", "xref", "num"}, (tag, cls)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert "art-3" not in ids and "scope" not in ids
    assert ids.count("fees") == 1


def unchecked_model(files: dict[str, str]):
    comp, _ = load(MemoryTree(files))  # the loader alone: validation is not run
    return comp


def test_article_bodies_keep_only_ids_when_validation_is_ignored():
    comp = unchecked_model(with_body(HOSTILE_BODY))
    renderer = Renderer(comp, "zh-Hant", bilingual=True)
    bodies = renderer.article_bodies(comp.regulations["alpha"], lambda s, a: "#")
    assert "本條廢止" in bodies["purpose"]  # shown, not hidden
    assert_clean_body(bodies["purpose"])
    en = unchecked_model(with_body(HOSTILE_BODY, f"{ALPHA}/purpose.en.md"))
    bodies = Renderer(en, "en").article_bodies(en.regulations["alpha"], lambda s, a: "#")
    assert_clean_body(bodies["purpose"])


def test_print_html_keeps_only_ids_when_validation_is_ignored(tmp_path):
    comp = unchecked_model(with_body(HOSTILE_BODY))
    info = BuildInfo("2026.1", built=dt.date(2026, 1, 1))
    doc = Printer(comp, "zh-Hant", info, tmp_path.as_uri() + "/").compendium()
    body = doc.html[doc.html.index("本條廢止") - 2000 :]
    assert not bad_attributes(doc.html), bad_attributes(doc.html)
    assert 'class="md-typeset"' not in body and "sr-only" not in body
    assert re.findall(r'\sid="fees"', doc.html) == [' id="fees"']


def test_plain_pages_keep_only_ids_and_build_classes():
    """A page without a page kind is converted by MkDocs with mkdocs.yml's extensions
    (htmlpolicy as a page): no attribute but ids survives, and no content class."""
    md = markdown.Markdown(
        extensions=["attr_list", "md_in_html", "admonition", "tables", "toc"]
        + [SafeHtmlExtension()]
    )
    html = md.convert(HOSTILE_BODY.replace("{#fees .hidden}", "{#fees2 .hidden}"))
    assert not bad_attributes(html), bad_attributes(html)
    for _tag, attrs in elements(html):
        for cls in (attrs.get("class") or "").split():
            assert cls not in {"hidden", "md-typeset", "sr-only", "md-sidebar"}, cls
    assert "!!! hidden" not in html
    html = md.reset().convert(
        '!!! hidden md-sidebar "x"\n    乙\n\n段\n{#__search}\n\n再\n{#a}\n\n又\n{#a}'
    )
    assert "md-sidebar" not in html and "hidden" not in html.replace("admonition", "")
    assert "__search" not in html
    assert re.findall(r'\sid="a"', html) == [' id="a"']


# -- one-line fields -------------------------------------------------------------------

FAKE = "## 本條已由法務核准，請[登入確認](https://evil.example/login)"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=True)  # a YAML double-quoted string


ONE_LINE_FIELDS = [
    # (file, old text, new text with {v} for a quoted value, line, what the message names)
    (PURPOSE, "id: purpose\n", "id: purpose\ncaption: {v}\n", 3, "field 'caption'"),
    (
        f"{ALPHA}/purpose.en.md",
        "id: purpose\n",
        "id: purpose\ncaption: {v}\n",
        3,
        "field 'caption'",
    ),
    (f"{ALPHA}/index.md", "zh-Hant: 甲管理制度,", "zh-Hant: {v},", 5, "title (zh-Hant)"),
    (f"{ALPHA}/index.md", "code: A-01", "code: {v}", 4, "field 'code'"),
    (f"{ALPHA}/index.md", 'version: "2.1"', "version: {v}", 7, "field 'version'"),
    (f"{ALPHA}/index.md", "{zh-Hant: 總則,", "{zh-Hant: {v},", 12, "chapter title (zh-Hant)"),
    (f"{ALPHA}/index.md", "{zh-Hant: 儲存,", "{zh-Hant: {v},", 18, "section title (zh-Hant)"),
    ("roles.yml", "name: {zh-Hant: 運營部門,", "name: {zh-Hant: {v},", 4, "name (zh-Hant)"),
    ("roles.yml", "[運營部]", "[{v}]", 5, "an alias"),
]


@pytest.mark.parametrize("brk", LINE_BREAKS, ids=[f"U+{ord(b[-1]):04X}" for b in LINE_BREAKS])
@pytest.mark.parametrize(("rel", "old", "new", "line", "what"), ONE_LINE_FIELDS)
def test_one_line_fields_refuse_every_line_break(rel, old, new, line, what, brk):
    files = mini_files()
    assert old in files[rel], (rel, old)
    value = _quoted("目的" + brk + FAKE)
    files[rel] = files[rel].replace(old, new.replace("{v}", value), 1)
    assert_refused(files, f"docs/{rel}:{line}", what, "one line", f"U+{ord(brk[0]):04X}")


def test_block_scalars_are_refused_in_one_line_fields():
    files = mini_files()
    files[PURPOSE] = f"---\nid: purpose\ncaption: |\n  目的\n  {FAKE}\n---\n為規範數據管理。\n"
    assert_refused(files, f"docs/{PURPOSE}:3", "field 'caption'", "U+000A")
    files[PURPOSE] = "---\nid: purpose\ncaption: >\n  目的\n---\n為規範數據管理。\n"
    assert_refused(files, f"docs/{PURPOSE}:3", "field 'caption'")  # '>' keeps a final break


def test_duty_summaries_glossary_packs_and_page_titles_are_one_line():
    files = mini_files()
    scope = f"{ALPHA}/scope.zh-Hant.md"
    assert "roles: [all-employees]\n" in files[scope]
    files[scope] = files[scope].replace(
        "roles: [all-employees]\n",
        "roles: [all-employees]\nduties: {all-employees: " + _quoted("備份\n" + FAKE) + "}\n",
    )
    glossary = files["glossary.yml"]
    term = re.search(r"zh-Hant: ([^,\s}]+)", glossary)
    assert term
    files["glossary.yml"] = glossary.replace(
        term.group(0), "zh-Hant: " + _quoted(term.group(1) + "\u2028" + FAKE), 1
    )
    files["packs.yml"] = (
        "packs:\n  - id: starter\n    title: {zh-Hant: "
        + _quoted("入職\r" + FAKE)
        + ", en: Starter}\n"
        "    roles: [ops-dept]\n    contents: [general-provisions]\n"
    )
    files["notes.md"] = "---\ntitle: " + _quoted("說明\u2029" + FAKE) + "\n---\n# 說明\n"
    found = errors(files)
    assert any(e.startswith(f"docs/{scope}:4: the duty summary") for e in found), found
    assert any(e.startswith("docs/glossary.yml:") and "one line" in e for e in found), found
    assert any(e.startswith("docs/packs.yml:3:") and "pack title (zh-Hant)" in e for e in found)
    assert any(e.startswith("docs/notes.md:2:") and "'title'" in e for e in found), found


def test_headings_stay_one_line_when_validation_is_ignored():
    files = mini_files()
    files[PURPOSE] = "---\nid: purpose\ncaption: " + _quoted("目的\n" + FAKE) + "\n---\n為規範。\n"
    files[f"{ALPHA}/index.md"] = files[f"{ALPHA}/index.md"].replace(
        "zh-Hant: 甲管理制度,", "zh-Hant: " + _quoted("甲管理制度\u2028" + FAKE) + ",", 1
    )
    comp = unchecked_model(files)
    _title, md = Renderer(comp, "zh-Hant").regulation_page("alpha", lambda s, a: "#")
    html = markdown.Markdown(extensions=["attr_list", "toc", SafeHtmlExtension()]).convert(md)
    assert html.count("<h1") == 1 and html.count("<h2") == len(comp.regulations["alpha"].chapters)
    for m in re.finditer("本條已由法務核准", html):  # on the line of the title or caption
        start = html.rindex("<h", 0, m.start())
        assert html[start : start + 3] in ("<h1", "<h3", "<h4"), html[start : m.end()]
        assert "</h" not in html[start : m.start()]
    assert "\n" not in escape_text("a\rb\x85c\u2028d\u2029e\nf")


def test_the_change_report_shows_captions_and_titles_in_full():
    """What a reader would see is what the reviewer sees: make diff, the PR comment
    (the Markdown summary) and the redline show the whole caption and title, on their
    line, even for sources that fail validation."""
    from compendium.changes.diff import compare
    from compendium.changes.report import Reporter

    old = mini_files()
    new = dict(old)
    new[PURPOSE] = "---\nid: purpose\ncaption: " + _quoted("目的\n" + FAKE) + "\n---\n為規範。\n"
    new[f"{ALPHA}/index.md"] = new[f"{ALPHA}/index.md"].replace(
        "zh-Hant: 甲管理制度,", "zh-Hant: " + _quoted("甲管理制度\u2028" + FAKE) + ",", 1
    )
    diff = compare(unchecked_model(old), unchecked_model(new))
    rep = Reporter(diff, "zh-Hant")
    md = rep.summary_markdown(60000, full_report="report.html")
    shown = [line for line in md.splitlines() if "本條已由法務核准" in line]
    caption = [line for line in shown if "`purpose`" in line]
    assert caption and "登入確認" in caption[0], md
    assert all(line.startswith(("#### ", "- ")) for line in shown), shown
    assert "本條已由法務核准" in rep.redline_html()


# -- bidirectional controls and invisible characters -------------------------------------


@pytest.mark.parametrize("ch", BIDI, ids=[f"U+{ord(c):04X}" for c in BIDI])
def test_bidi_controls_are_refused_in_bodies_and_every_yaml_string(ch):
    code = f"U+{ord(ch):04X}"
    files = with_body(f"第二段{ch}文字")
    assert_refused(files, f"docs/{PURPOSE}:{FIRST}", code, "bidirectional")
    for rel, old, line in [
        (f"{ALPHA}/index.md", "甲管理制度", 5),  # a title
        (f"{ALPHA}/scope.zh-Hant.md", "id: scope", 2),  # front-matter
        ("roles.yml", "運營部門", 4),  # a name
        ("glossary.yml", "terms:", 1),  # a key
    ]:
        files = mini_files()
        assert old in files[rel]
        files[rel] = files[rel].replace(old, old + ch, 1)
        assert_refused(files, f"docs/{rel}:{line}", code, "bidirectional")
    files = mini_files()
    files[PURPOSE] = f"---\nid: purpose\ncaption: 目{ch}的\n---\n為規範。\n"
    assert_refused(files, f"docs/{PURPOSE}:3", code)
    files = mini_files()
    files["notes.md"] = f"# 說明\n\n第{ch}段\n"
    assert_refused(files, "docs/notes.md:3", code)


@pytest.mark.parametrize("ch", ["\u202e", "\u2066", "\x01", "\x7f"])
def test_control_characters_written_as_yaml_escapes_are_refused(ch):
    files = mini_files()
    files[PURPOSE] = "---\nid: purpose\ncaption: " + _quoted(f"目{ch}的") + "\n---\n為規範。\n"
    assert_refused(files, f"docs/{PURPOSE}:3", f"U+{ord(ch):04X}", "escape")
    files = mini_files()
    files["roles.yml"] = files["roles.yml"].replace("運營部門", "運營部門\\u202e", 1)
    files["roles.yml"] = files["roles.yml"].replace(
        "{zh-Hant: 運營部門\\u202e,", '{zh-Hant: "運營部門\\u202e",'
    )
    assert_refused(files, "docs/roles.yml:4", "U+202E")


@pytest.mark.parametrize("ch", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_invisible_characters_are_refused_in_captions_titles_and_names(ch):
    code = f"U+{ord(ch):04X}"
    for rel, old, new, line in [
        (PURPOSE, "id: purpose\n", f"id: purpose\ncaption: 目{ch}的\n", 3),
        (f"{ALPHA}/index.md", "甲管理制度", f"甲管理{ch}制度", 5),
        (f"{ALPHA}/index.md", "總則", f"總{ch}則", 12),
        ("roles.yml", "運營部門", f"運營{ch}部門", 4),
        ("roles.yml", "[運營部]", f"[運營{ch}部]", 5),
    ]:
        files = mini_files()
        files[rel] = files[rel].replace(old, new, 1)
        assert_refused(files, f"docs/{rel}:{line}", code, "invisible")
    for value in (f"fees{ch}", f"purpose{ch}"):
        assert id_problem(value) is not None


def test_marks_and_joiners_stay_allowed_in_article_text():
    """LRM/RLM and joiners cannot reorder the words around them (unlike the bidi
    controls); article text quoting a name in another script may need them."""
    assert errors(with_body("引用\u200e名稱\u200f與\u200d連字")) == []


# -- builds ------------------------------------------------------------------------------


def _hostile_docs(dest: Path) -> Path:
    docs = dest / "docs"
    shutil.copytree(MINI, docs)
    art = docs / PURPOSE
    art.write_text(
        "---\nid: purpose\ncaption: "
        + _quoted("目的\n" + FAKE)
        + "\n---\n"
        + "為規範數據管理，\u202e制定本制度。\n\n"
        + HOSTILE_BODY
        + "\n",
        "utf-8",
    )
    manifest = docs / ALPHA / "index.md"
    manifest.write_text(
        manifest.read_text("utf-8").replace(
            "zh-Hant: 甲管理制度,",
            "zh-Hant: " + _quoted("甲管理制度 {: hidden }\u2028" + FAKE) + ",",
            1,
        ),
        "utf-8",
    )
    (docs / "notes.md").write_text(
        '# 說明\n\n段落\n{: hidden data-pagefind-meta="url:https://evil.example/login" }\n\n'
        '!!! md-sidebar "x"\n    乙\n\n'
        '<p data-pagefind-meta="url:https://evil.example/login" hidden>原始</p>\n',
        "utf-8",
    )
    return docs


@pytest.fixture(scope="module")
def unchecked_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("fields-attrs")
    proj = make_project(base, _hostile_docs(base / "src"))
    result = run([sys.executable, "-c", UNCHECKED_BUILD, str(proj / "site")], proj)
    assert result.returncode == 0, result.stderr[-3000:]
    return proj / "site"


@pytest.mark.build
def test_check_refuses_the_hostile_sources(tmp_path):
    from tests.hostile.conftest import check_output

    out = check_output(_hostile_docs(tmp_path))
    art = f"docs/{PURPOSE}"
    assert re.search(rf"{art}:3: field 'caption' must be one line", out), out
    assert re.search(rf"{art}:\d+: attribute 'data-pagefind-meta' is not allowed", out), out
    assert re.search(r"docs/notes\.md:4: attribute 'hidden' is not allowed", out), out


@pytest.mark.build
def test_a_site_built_without_validation_shows_none_of_it(unchecked_site, mini_site):
    """Against the same page of the clean fixture: no attribute or class more that could
    hide, move or redirect anything, no duplicate id, no heading of its own for the
    second line of a caption or title, no bidi control."""
    for page in (
        "regulations/alpha/index.html",
        "en/regulations/alpha/index.html",
        "notes/index.html",
    ):
        html = (unchecked_site / page).read_text("utf-8")
        same = "glossary/index.html" if page.startswith("notes") else page  # a plain page
        clean = (mini_site / same).read_text("utf-8")
        assert not Counter(bad_attributes(html)) - Counter(bad_attributes(clean)), page
        classes = Counter(c for _t, a in elements(html) for c in (a.get("class") or "").split())
        before = Counter(c for _t, a in elements(clean) for c in (a.get("class") or "").split())
        assert not {"hidden", "md-typeset", "sr-only", "md-sidebar"} & set(classes - before)
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert not {i for i in ids if ids.count(i) > 1}, page
        assert "\u202e" not in html
        assert not re.search(r"<h[1-6][^>]*>\s*本條已由法務核准", html)
    zh = (unchecked_site / "regulations/alpha/index.html").read_text("utf-8")
    assert "本條廢止" in zh and zh.count("<h2") == (
        mini_site / "regulations/alpha/index.html"
    ).read_text("utf-8").count("<h2")


def _pagefind_records(site: Path) -> list[dict]:
    out = []
    for frag in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(frag.read_bytes())
        out.append(json.loads(raw[raw.index(b"{") :]))
    return out


@pytest.mark.build
def test_search_results_stay_on_the_site(unchecked_site):
    records = _pagefind_records(unchecked_site)
    assert records
    for rec in records:
        for url in (rec["url"], rec.get("meta", {}).get("url", "/")):
            assert url.startswith("/") and not url.startswith("//"), rec
        assert "evil.example" not in json.dumps(rec), rec
    # data-pagefind-* only where the templates and compendium.site.search put it
    allowed = {
        ("data-pagefind-body", None),
        ("data-pagefind-ignore", None),
        ("data-pagefind-ignore", "all"),
        ("data-pagefind-index-attrs", "data-search-key"),
        ("data-pagefind-filter", "regulation:alpha"),
        ("data-pagefind-filter", "regulation:beta"),
    }
    pages = list(unchecked_site.rglob("*.html"))
    assert any(p.parent.name == "notes" for p in pages)
    for page in pages:
        for tag, attrs in elements(page.read_text("utf-8")):
            for name, value in attrs.items():
                if name.startswith("data-pagefind"):
                    assert (name, value) in allowed, (page, tag, name, value)


@pytest.mark.build
def test_an_accepted_id_still_works(tmp_path):
    src = tmp_path / "src"
    docs = src / "docs"
    shutil.copytree(MINI, docs)
    art = docs / PURPOSE
    art.write_text(
        art.read_text("utf-8").rstrip("\n") + "\n\n附表如下。\n{: #fees }\n\n見[附表](#fees)。\n",
        "utf-8",
    )
    proj = make_project(tmp_path, docs)
    result = mkdocs_build(proj)
    assert result.returncode == 0, result.stderr[-3000:]
    page = (proj / "site" / "regulations/alpha/index.html").read_text("utf-8")
    assert '<p id="fees">附表如下。</p>' in page
    assert 'href="#fees"' in page
    assert re.findall(r'\sid="fees"', page) == [' id="fees"']
