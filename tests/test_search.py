"""Search: article-number keys, the indexer's segmented copy, and the built bundle."""

from __future__ import annotations

import json
import re

import pytest

from compendium.site.search import (
    WORD_GAP,
    SearchIndexError,
    add_article_keys,
    article_key,
    build_index,
    chinese_cutter,
    ignore_permalinks,
    segment_html,
)


def test_article_keys_cover_plain_and_inserted_articles():
    assert article_key(17) == "artnum17"
    assert article_key(10, 1) == "artnum10s1"
    html = (
        '<h3 id="data-backup"><span id="art-17"></span><span class="num">第十七條</span></h3>'
        '<h3 id="offsite"><span id="art-10-1"></span><span class="num">第十條之一</span></h3>'
        '<h2 id="ch-x"><span id="chapter-2"></span>第二章</h2>'
    )
    out = add_article_keys(html, "digital-operations")
    assert (
        '<h3 id="data-backup" data-search-key="artnum17" data-pagefind-index-attrs="data-search-key"'
        ' data-pagefind-filter="regulation:digital-operations"><span id="art-17"></span>'
        '<span class="num">第十七條</span></h3>' in out
    )
    assert '<h3 id="offsite" data-search-key="artnum10s1"' in out
    assert '<h2 id="ch-x"><span id="chapter-2"></span>' in out  # chapters have no key
    assert out.count("data-search-key=") == 2


def test_article_keys_refuse_a_regulation_id_that_is_not_an_id():
    with pytest.raises(ValueError, match="not a regulation id"):
        add_article_keys('<h3 id="a"><span id="art-1"></span></h3>', 'x" onmouseover="alert(1)')


def test_permalinks_are_kept_out_of_the_index():
    html = '<h2 id="a">Title<a class="headerlink" href="#a" title="Permanent link">&para;</a></h2>'
    assert '<a class="headerlink" data-pagefind-ignore href="#a"' in ignore_permalinks(html)


@pytest.fixture(scope="module")
def cut():
    return chinese_cutter()


def test_segmented_copy_cuts_chinese_into_words_and_keeps_the_markup(cut):
    html = (
        '<p title="數據備份">數字化運營部門應重視數據備份。</p>'
        "<h3>第三條 備份</h3><p>Backups are kept.</p>"
        '<script>var x = "數據備份";</script>'
    )
    out = segment_html(html, cut)
    words = re.search(r"<p title=\"數據備份\">([^<]*)</p>", out).group(1).split(WORD_GAP)
    assert "數據" in words and "備份" in words, words
    assert "數字化" in words or "數字" in words, words
    assert "<h3>第三條 備份</h3>" in out.replace(WORD_GAP, "")
    assert " " in re.search(r"<h3>([^<]*)</h3>", out).group(1)  # the author's space stays
    assert "<p>Backups are kept.</p>" in out
    assert '<script>var x = "數據備份";</script>' in out
    assert out.replace(WORD_GAP, "") == html


def test_segmented_copy_separates_table_cells_and_item_numbers(cut):
    out = segment_html(
        '<tr><th>Code</th><th>Title</th></tr><p><span class="item-no">(a)</span>Data</p>', cut
    )
    assert f"<th>Code</th>{WORD_GAP}<th>Title</th>{WORD_GAP}" in out
    assert f'<span class="item-no">(a)</span>{WORD_GAP}Data' in out


def test_segmented_copy_keeps_character_references_whole(cut):
    out = segment_html("<p>部門&lt;svg onload=&#34;x&#34;&gt;備份</p>", cut)
    for ref in ("&lt;", "&#34;", "&gt;"):
        assert ref in out, out
    assert "&" + WORD_GAP not in out and WORD_GAP + ";" not in out, out


def test_build_index_needs_pages_marked_for_search(tmp_path):
    (tmp_path / "index.html").write_text("<html><body><p>x</p></body></html>", encoding="utf-8")
    with pytest.raises(SearchIndexError, match="no page marked data-pagefind-body"):
        build_index(tmp_path)
    assert not (tmp_path / "pagefind").exists()


def test_build_index_replaces_a_stale_bundle(tmp_path):
    (tmp_path / "index.html").write_text(
        '<html lang="en"><body><main data-pagefind-body><h1>Title</h1><p>Backups are kept.</p>'
        "</main></body></html>",
        encoding="utf-8",
    )
    stale = tmp_path / "pagefind" / "stale.txt"
    stale.parent.mkdir()
    stale.write_text("old", encoding="utf-8")
    stats = build_index(tmp_path)
    assert not stale.exists()
    assert (tmp_path / "pagefind" / "pagefind.js").is_file()
    assert stats.files > 3 and stats.bytes > 1000


@pytest.mark.build
def test_site_has_one_pagefind_index_per_language_and_no_material_index(mini_site):
    entry = json.loads((mini_site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    assert set(entry["languages"]) == {"zh-tw", "en"}, entry["languages"]
    assert entry["languages"]["zh-tw"]["page_count"] >= 5
    assert not (mini_site / "search" / "search_index.json").exists()


@pytest.mark.build
def test_pages_carry_keys_search_box_and_external_script_only(mini_site):
    zh = (mini_site / "regulations/alpha/index.html").read_text(encoding="utf-8")
    assert 'id="backup-offsite" data-search-key="artnum3s1"' in zh
    assert '<span id="art-3-1"></span><span class="num">' in zh
    assert "data-pagefind-body" in zh
    dialog = re.search(r'<dialog id="cs-search".*?</dialog>', zh, re.S).group(0)
    assert "<script" not in dialog
    assert 'aria-labelledby="cs-search-label"' in dialog
    assert re.search(r'<script src="[./]*assets/search\.js"', zh)
    en = (mini_site / "en/regulations/alpha/index.html").read_text(encoding="utf-8")
    assert 'data-bundle="../../../pagefind/"' in en
    # 404 has no page content to index; its bundle link is absolute, never "//pagefind/".
    missing = (mini_site / "404.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in missing
    assert 'data-bundle="/pagefind/"' in missing


def test_segmented_copy_leaves_what_is_not_indexed_alone(cut):
    html = (
        '<nav><a href="x">資訊安全</a></nav><article data-pagefind-body><p>資訊安全</p>'
        '<div data-pagefind-ignore="all"><div>管理辦法</div><br/><p>管理辦法</p></div>'
        "<div><p>管理辦法</p></div></article>"
    )
    out = segment_html(html, cut)
    assert out.startswith('<nav><a href="x">資訊安全</a></nav>')  # before the body
    assert f"<p>資訊{WORD_GAP}安全</p>" in out
    assert '<div data-pagefind-ignore="all"><div>管理辦法</div><br/><p>管理辦法</p></div>' in out
    assert f"<div><p>管理{WORD_GAP}辦法</p></div>" in out  # indexed again after it
    assert out.replace(WORD_GAP, "") == html
