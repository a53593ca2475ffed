"""The dependency graph that decides what a preview rebuilds after an edit
(compendium/site/depgraph.py): its edges, and that the pages it leaves out render
exactly as in a clean build of the edited sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from compendium import LANGUAGES
from compendium.site.depgraph import (
    SEARCH,
    affected_pages,
    build_graph,
    changed_articles,
)
from compendium.site.render import Renderer
from compendium.source.layout import ROLES_INDEX
from compendium.source.loader import load
from compendium.source.model import Compendium
from compendium.source.tree import MemoryTree

DOCS = Path(__file__).resolve().parent / "fixtures" / "mini" / "docs"
ALPHA = "regulations/alpha/index.md"
BETA = "regulations/beta/index.md"


def sources() -> dict[str, str]:
    return {
        p.relative_to(DOCS).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(DOCS.rglob("*"))
        if p.is_file()
    }


def model(files: dict[str, str]) -> Compendium:
    comp, problems = load(MemoryTree(files))
    assert not problems.errors, [p.located() for p in problems.errors]
    return comp


def render_all(comp: Compendium) -> dict[tuple[str, str], str]:
    """Every page the graph covers, in every language, as a clean build renders it."""

    def url(src: str, anchor: str | None) -> str:
        return f"{src}#{anchor}" if anchor else src

    pages: dict[tuple[str, str], str] = {}
    for lang in LANGUAGES:
        r = Renderer(comp, lang, role_url=lambda rid: url(f"roles/{rid}.md", None), bilingual=True)
        for rid in comp.regulations:
            pages[(f"regulations/{rid}/index.md", lang)] = "".join(r.regulation_page(rid, url))
        for role in comp.roles:
            pages[(f"roles/{role}.md", lang)] = "".join(r.role_page(role, url))
        pages[(ROLES_INDEX, lang)] = "".join(r.roles_page(url, csv_href="m.csv"))
    return pages


def stale_pages(old: Compendium, new: Compendium, affected: set[str]) -> set[str]:
    """Pages a partial rebuild would leave different from a clean build of ``new``."""
    before, after = render_all(old), render_all(new)
    return {
        page for (page, lang), html in after.items() if before.get((page, lang)) != html
    } - affected


def test_graph_edges_follow_references_and_roles():
    graph = build_graph(model(sources()), article_pages=["translations.md"])
    backup = graph.pages_of(("alpha", "backup"))
    # its own page, the page citing it (beta/intro), its role and the overview, search
    assert {ALPHA, BETA, "roles/ops-dept.md", ROLES_INDEX, SEARCH, "translations.md"} <= backup
    # beta/principles is cited only inside beta and names no role
    assert graph.pages_of(("beta", "principles")) == {BETA, SEARCH, "translations.md"}
    assert BETA not in graph.pages_of(("alpha", "purpose"))


def test_no_change_rebuilds_nothing():
    comp = model(sources())
    assert changed_articles(comp, model(sources())) == set()
    assert affected_pages(comp, model(sources())) == set()


def test_renumbered_cited_article_updates_the_citing_page():
    files = sources()
    old = model(files)
    # a new article before backup: backup is renumbered, beta/intro cites it
    files["regulations/alpha/index.md"] = files["regulations/alpha/index.md"].replace(
        "articles: [backup,", "articles: [encryption, backup,"
    )
    files["regulations/alpha/encryption.zh-Hant.md"] = "---\nid: encryption\n---\n數據應加密。\n"
    files["regulations/alpha/encryption.en.md"] = "---\nid: encryption\n---\nData is encrypted.\n"
    new = model(files)
    affected = affected_pages(old, new)
    assert affected is not None and BETA in affected and SEARCH in affected
    assert ("alpha", "backup") in (changed_articles(old, new) or set())
    assert stale_pages(old, new, affected) == set()
    # the citing page really changed: without the graph it would have gone stale
    assert render_all(old)[(BETA, "zh-Hant")] != render_all(new)[(BETA, "zh-Hant")]


def test_edited_duty_updates_the_role_page():
    files = sources()
    old = model(files)
    path = "regulations/alpha/backup.zh-Hant.md"
    files[path] = files[path].replace("運營部門應辦理下列事項", "運營部門應每日辦理下列事項")
    new = model(files)
    affected = affected_pages(old, new)
    assert affected is not None and "roles/ops-dept.md" in affected
    assert BETA in affected  # cites backup (its text is unchanged, the graph says so)
    assert stale_pages(old, new, affected) == set()


def test_role_removed_from_an_article_updates_the_page_it_left():
    files = sources()
    old = model(files)
    path = "regulations/alpha/backup.zh-Hant.md"
    files[path] = files[path].replace("roles: [ops-dept]\n", "")
    new = model(files)
    affected = affected_pages(old, new)
    assert affected is not None and {"roles/ops-dept.md", ROLES_INDEX} <= affected
    assert stale_pages(old, new, affected) == set()


@pytest.mark.parametrize(
    ("path", "old_text", "new_text"),
    [
        ("regulations/alpha/index.md", "甲管理制度", "甲數據管理制度"),  # in the nav
        ("roles.yml", "ops-dept", "ops-dept"),  # unchanged: not everything
    ],
)
def test_titles_rebuild_everything(path, old_text, new_text):
    files = sources()
    old = model(files)
    files[path] = files[path].replace(old_text, new_text)
    result = affected_pages(old, model(files))
    if old_text == new_text:
        assert result == set()
    else:
        assert result is None
