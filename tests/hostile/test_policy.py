"""The HTML policy, the make variable checks and the output swap, unit by unit."""

from __future__ import annotations

import pytest

from compendium.buildtime import source_date_epoch
from compendium.site.sitebuild import clean_staging, staging, swap_in
from compendium.source.checks import nesting_depth, validate
from compendium.source.htmlpolicy import escape_raw_html, find_raw_html, link_scheme, unsafe_link
from compendium.source.tree import MemoryTree


@pytest.mark.parametrize(
    "dest",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "&#106;avascript:alert(1)",
        "jav&#x61;script&#58;alert(1)",
        "&amp;#106;avascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
    ],
)
def test_unsafe_links_are_recognised_however_written(dest):
    assert unsafe_link(dest), dest


@pytest.mark.parametrize(
    "dest",
    [
        "https://example.com/a",
        "http://x",
        "mailto:hr@example.com",
        "../beta/",
        "#art-3",
        "/assets/x.png",
    ],
)
def test_safe_links_pass(dest):
    assert not unsafe_link(dest)
    assert link_scheme("HTTPS://x") == "https"


def test_raw_html_is_found_and_autolinks_are_not():
    text = "a < b, <https://example.com/x> and <hr@example.com>; <b>bold</b> <!-- c --> <?php"
    tags = [tag for _, tag in find_raw_html(text)]
    assert tags == ["<b…>", "</b…>", "<!--…>", "<?php…>"]
    escaped = escape_raw_html(text)
    assert "&lt;b>bold&lt;/b>" in escaped and "<https://example.com/x>" in escaped
    assert "a < b" in escaped


def test_every_yaml_text_field_is_checked():
    files = {
        "glossary.yml": 'terms:\n  - zh-Hant: 術語\n    en: "<b onmouseover=x>term</b>"\n',
        "packs.yml": "packs:\n  - id: p\n    title: {zh-Hant: '<i>包</i>', en: Pack}\n",
        "notes.md": "---\ntitle: ok\n---\n[x](javascript:void(0))\n",
    }
    _, problems = validate(MemoryTree(files))
    found = {(p.path, p.line) for p in problems.errors if "not allowed" in p.message}
    assert ("docs/glossary.yml", 3) in found
    assert ("docs/packs.yml", 3) in found
    assert ("docs/notes.md", 4) in found


def test_nesting_depth():
    assert nesting_depth("plain text") == 0
    assert nesting_depth("- item") == 1
    assert nesting_depth("    - item") == 3
    assert nesting_depth("> > - quoted item") == 3
    assert nesting_depth("- " * 100 + "x") == 100


def test_output_swap_leaves_a_whole_site(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "old.html").write_text("old", "utf-8")
    new, old = staging(out)
    new.mkdir()
    (new / "half.html").write_text("stale", "utf-8")  # a killed build left this
    clean_staging(out)
    assert not new.exists() and (out / "old.html").exists()
    new.mkdir()
    (new / "index.html").write_text("new", "utf-8")
    swap_in(out)
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]
    assert not new.exists() and not old.exists()


def test_source_date_epoch(tmp_path):
    assert source_date_epoch(tmp_path, {"SOURCE_DATE_EPOCH": "1577934245"}) == "1577934245"
    with pytest.raises(ValueError, match="not a number of seconds"):
        source_date_epoch(tmp_path, {"SOURCE_DATE_EPOCH": "yesterday"})
    assert source_date_epoch(tmp_path, {}) is None  # not a git repository


@pytest.mark.parametrize("marker", ["- ", "> "])
def test_rendering_survives_nesting_beyond_the_limit(marker):
    """Validation refuses it; a build that went on anyway shows the text, not a traceback."""
    from compendium.printing.assembly import BuildInfo, Printer
    from compendium.source.loader import load
    from tests.test_printing import BASE, fixture_files

    files = fixture_files()
    files["regulations/alpha/access.zh-Hant.md"] = (
        "---\nid: access\n---\n數據存取權限。\n\n" + marker * 3000 + "深層\n"
    )
    comp, _ = load(MemoryTree(files, display_root="docs"))
    html = Printer(comp, "zh-Hant", BuildInfo(), BASE).compendium().html
    assert "深層" in html and "數據存取權限" in html
