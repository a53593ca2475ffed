"""Which site pages depend on which article: what a preview must rebuild after an edit.

``build_graph`` reads the model once and records, for every article, the pages that
show something of it:

- its regulation's page (text, number, caption, badges, the side-by-side view);
- the regulation page of every article that cites it (``[[id]]`` or
  ``[[regulation/id]]``: the citing page prints the cited number);
- the page of every role it lists (the role page lists its duties with numbers),
  the roles overview (the duty matrix counts them) and the role page of every duty
  summary that cites it, or that quotes (no summary) a body citing it;
- the pages listed in ``article_pages`` (pages that list articles, such as the
  outdated-translations page) and the search index (``SEARCH``);
- the home page, when an article is added or removed (it counts each regulation's
  articles).

``affected_pages`` compares the model before and after an edit and returns the
pages to rebuild: the dependents (in the old graph and in the new one, so a
reference or a role removed by the edit still updates the page it left) of every
article whose content or number changed. A change that shows on every page or that
the graph does not follow (a regulation's title or code, which the navigation and
cross-regulation references print; roles; the glossary; a regulation added or
removed) returns ``None``: rebuild everything. Nothing here imports MkDocs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from compendium.numbering.numbers import number_regulation
from compendium.numbering.xref import XREF_RE, parse_target
from compendium.source.layout import HOME_PAGE, ROLES_INDEX, manifest_path, role_page
from compendium.source.model import Article, Compendium, Regulation

SEARCH = "search index"  # not a page: the search index built after the pages

ArticleKey = tuple[str, str]  # (regulation id, article id)


@dataclass
class DependencyGraph:
    """article -> the pages (docs-relative source paths, plus ``SEARCH``) showing it."""

    dependents: dict[ArticleKey, set[str]] = field(default_factory=dict)

    def add(self, key: ArticleKey, page: str) -> None:
        self.dependents.setdefault(key, set()).add(page)

    def pages_of(self, key: ArticleKey) -> set[str]:
        return set(self.dependents.get(key, ()))


def references(text: str, reg_id: str) -> Iterable[ArticleKey]:
    """The articles ``text`` cites (well-formed references only)."""
    for m in XREF_RE.finditer(text):
        target = parse_target(m.group(1), reg_id)
        if target is not None:
            yield target


def build_graph(comp: Compendium, article_pages: Iterable[str] = ()) -> DependencyGraph:
    """The dependency graph of ``comp``; ``article_pages`` depend on every article."""
    graph = DependencyGraph()
    listing = list(article_pages)
    for reg in comp.regulations.values():
        page = manifest_path(reg.id)
        for art in reg.articles.values():
            key = (reg.id, art.id)
            graph.add(key, page)
            graph.add(key, SEARCH)
            for other in listing:
                graph.add(key, other)
            for rid in art.roles:
                graph.add(key, role_page(rid))
                graph.add(key, ROLES_INDEX)
            for text in art.texts.values():
                for target in references(text.body, reg.id):
                    graph.add(target, page)
                    for rid in art.roles:  # a role page without a summary quotes the body
                        graph.add(target, role_page(rid))
                for rid, summary in text.duties.items():
                    for target in references(summary, reg.id):
                        graph.add(target, role_page(rid))
    return graph


def article_fingerprint(art: Article) -> tuple[object, ...]:
    """Everything about an article that a page can show (not its line numbers)."""
    texts = tuple(
        (
            lang,
            t.caption,
            t.body,
            tuple(sorted(t.duties.items())),
            tuple(t.editorial),
            t.translates,
        )
        for lang, t in sorted(art.texts.items())
    )
    history = tuple((h.date, h.release, str(h.note), repr(h.note)) for h in art.history)
    return (
        art.chapter,
        art.section,
        art.inserted,
        texts,
        tuple(art.roles),
        art.effective,
        history,
        art.truncated,
        art.repealed,
    )


def _regulation_header(reg: Regulation) -> tuple[object, ...]:
    """What a regulation shows outside its articles (nav, headers, chapter titles)."""
    chapters = tuple(
        (
            ch.id,
            tuple(sorted(ch.title.items())),
            ch.inserted,
            tuple((s.id, tuple(sorted(s.title.items()))) for s in ch.sections),
        )
        for ch in reg.chapters
    )
    return (
        reg.code,
        tuple(sorted(reg.title.items())),
        reg.owner,
        reg.version,
        reg.effective,
        reg.numbering,
        tuple((k, tuple(v)) for k, v in sorted(reg.notes.items())),
        chapters,
        repr(reg.review),
        repr(reg.source),  # the home page's "truncated source" badge, the page's note
    )


def _roles_fingerprint(comp: Compendium) -> str:
    return repr(
        [
            (r.id, r.kind, sorted(r.name.items()), sorted(r.aliases.items()), r.parent)
            for r in comp.roles.values()
        ]
    )


def changed_articles(old: Compendium, new: Compendium) -> set[ArticleKey] | None:
    """Articles added, removed, edited or renumbered; None when more than articles changed."""
    if list(old.regulations) != list(new.regulations) or _roles_fingerprint(
        old
    ) != _roles_fingerprint(new):
        return None
    if repr(old.glossary) != repr(new.glossary):
        return None
    changed: set[ArticleKey] = set()
    for rid, before in old.regulations.items():
        after = new.regulations[rid]
        if _regulation_header(before) != _regulation_header(after):
            return None
        nums_before = number_regulation(before).articles
        nums_after = number_regulation(after).articles
        for aid in set(before.articles) | set(after.articles):
            a, b = before.articles.get(aid), after.articles.get(aid)
            if (
                a is None
                or b is None
                or article_fingerprint(a) != article_fingerprint(b)
                or nums_before.get(aid) != nums_after.get(aid)
            ):
                changed.add((rid, aid))
    return changed


def affected_pages(
    old: Compendium, new: Compendium, article_pages: Iterable[str] = ()
) -> set[str] | None:
    """The pages (and ``SEARCH``) to rebuild after ``old`` became ``new``; None: all."""
    changed = changed_articles(old, new)
    if changed is None:
        return None
    listing = list(article_pages)
    before, after = build_graph(old, listing), build_graph(new, listing)
    pages: set[str] = set()
    for key in changed:
        pages |= before.pages_of(key) | after.pages_of(key)
        pages.add(manifest_path(key[0]))
        if (key in before.dependents) != (key in after.dependents):
            pages.add(HOME_PAGE)  # an article added or removed: the count changed
    return pages
