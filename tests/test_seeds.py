"""Rules the shipped compendium keeps, whatever regulations and articles it holds.

Nothing here names a regulation or counts articles: adding, removing or renaming
one in docs/ keeps these tests passing as long as the rules hold. Point them at
another docs folder with ``pytest tests/test_seeds.py --docs PATH``.
"""

from __future__ import annotations

import re
from html import escape

import pytest

from compendium.source.checks import validate
from compendium.source.tree import DirTree

from .conftest import without_other_language

PINYIN = re.compile(r"[\u4e00-\u9fff][（(][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[）)]")
SCRAPE_NOISE = (
    "文檔簡介",
    "溫馨提示",
    "下載本文檔",
    "版權說明",
    "全文預覽",
    "提交評論",
    "PAGE",
    "_第1頁",
)
NUM = re.compile(r'<span class="num">([^<]+)</span>')
# English article numbers: "Article 10" / "Article 10-1" (chapter-article), "3." / "3-1." (outline)
ARTICLE_EN = re.compile(r"(?:Article (\d+)(?:-(\d+))?|(\d+)(?:-(\d+))?\.)")
CHAPTER_EN = re.compile(r"Chapter \d+(?:-\d+)?|[IVXLCDM]+\.")
ARTICLE_ZH = re.compile(
    r"第[〇一二三四五六七八九十百千]+條(?:之[一二三四五六七八九十]+)?|（[〇一二三四五六七八九十百千]+）"
)


@pytest.fixture(scope="module")
def compendium(docs_dir):
    comp, problems = validate(DirTree(docs_dir, "docs"))
    assert problems.errors == [], [str(p) for p in problems.errors]
    return comp


def test_docs_validate_without_errors(compendium):
    assert compendium.regulations, "docs/ holds no regulation"


def test_every_regulation_has_articles_in_both_languages(compendium):
    for reg in compendium.regulations.values():
        assert reg.shown_articles, f"{reg.path}: no article"
        for lang in compendium.languages:
            assert reg.title.get(lang), f"{reg.path}: no title in {lang}"
        for art in reg.articles.values():
            for lang in compendium.languages:
                assert art.is_translated(lang), f"{reg.id}/{art.id} has no {lang} text"


def test_every_role_named_exists(compendium):
    for reg in compendium.regulations.values():
        assert reg.owner in compendium.roles, f"{reg.path}: unknown owner {reg.owner!r}"
        for art in reg.articles.values():
            unknown = [r for r in art.roles if r not in compendium.roles]
            assert unknown == [], f"{reg.id}/{art.id}: unknown roles {unknown}"


def test_no_scraping_artefacts_left(docs_dir):
    for path in (docs_dir / "regulations").rglob("*.md"):
        body = path.read_text(encoding="utf-8").split("---", 2)[-1]
        assert not PINYIN.search(body), f"{path}: pinyin annotation {PINYIN.search(body).group(0)}"
        for noise in SCRAPE_NOISE:
            assert noise not in body, f"{path}: scraping artefact {noise!r}"


def _contiguous(labels: list[str], style: str) -> list[tuple[int, int]]:
    """The (base, sub) numbers of the English article labels; checks that they run on
    without gaps or repeats (an inserted 10-1 follows 10), restarting in each chapter
    for the outline style."""
    numbers: list[tuple[int, int]] = []
    last = (0, 0)
    for label in labels:
        if CHAPTER_EN.fullmatch(label):
            if style == "outline":
                last = (0, 0)
            continue
        m = ARTICLE_EN.fullmatch(label)
        if not m:
            continue
        base, sub = int(m[1] or m[3]), int(m[2] or m[4] or 0)
        want = (last[0], last[1] + 1) if sub else (last[0] + 1, 0)
        assert (base, sub) == want, f"{label} follows {last}: numbers must run on"
        numbers.append((base, sub))
        last = (base, sub)
    return numbers


def _page(site, lang: str, path: str) -> str:
    prefix = "" if lang == "zh-Hant" else f"{lang}/"
    return (site / prefix / path / "index.html").read_text(encoding="utf-8")


@pytest.mark.build
def test_article_numbers_run_on_in_both_languages(real_site, compendium):
    for reg in compendium.regulations.values():
        zh = without_other_language(_page(real_site, "zh-Hant", f"regulations/{reg.id}"))
        en = without_other_language(_page(real_site, "en", f"regulations/{reg.id}"))
        shown = len(reg.shown_articles)
        assert len(_contiguous(NUM.findall(en), reg.numbering)) == shown, reg.id
        assert len([n for n in NUM.findall(zh) if ARTICLE_ZH.fullmatch(n)]) == shown, reg.id
        for chapter in reg.chapters:
            assert escape(chapter.title["zh-Hant"], quote=False) in zh, (reg.id, chapter.id)
            assert escape(chapter.title["en"], quote=False) in en, (reg.id, chapter.id)


@pytest.mark.build
def test_home_lists_every_regulation_in_both_languages(real_site, compendium):
    zh = _page(real_site, "zh-Hant", "")
    en = _page(real_site, "en", "")
    for reg in compendium.regulations.values():
        for home in (zh, en):
            assert f'href="regulations/{reg.id}/"' in home, reg.id
            assert escape(reg.code) in home, reg.id


@pytest.mark.build
def test_truncation_notes_are_in_the_page_language(real_site, compendium):
    for reg in compendium.regulations.values():
        for lang in compendium.languages:
            note = reg.truncated_in(lang)
            page = _page(real_site, lang, f"regulations/{reg.id}")
            if note:
                start = escape(note.split()[0], quote=False)
                assert f'<li class="truncated">{start}' in page, (reg.id, lang)
            else:
                assert '<li class="truncated">' not in page, (reg.id, lang)
