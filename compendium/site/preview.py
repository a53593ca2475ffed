"""The live preview's decisions, without MkDocs: what a saved file changes and what to
re-render first.

After a save the preview (``hooks/preview.py``, under ``mkdocs serve``) asks:

- ``changed_files``: which files of ``docs/`` and ``templates/`` changed since the last
  scan (a stat snapshot: size and modification time in nanoseconds);
- ``reload_regulation``: the model with the one regulation whose folder holds the saved
  file read again, checked like ``make check`` checks it (the file checks of that
  folder and the checks across the whole model), instead of reading all of ``docs/``;
- ``plan_rebuild``: from ``depgraph.affected_pages``, the pages to re-render now and in
  which order (the edited regulation's page in the language being read first), or
  ``None`` when only a full build is right (anything but a regulation's own files, or a
  change the dependency graph does not follow).

Pages that show what the working tree changed since the last release (the revisions
page) read the releases from git: the preview renders them again after the fast path,
with the search index, while the updated pages are already served.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from compendium import DEFAULT_LANGUAGE
from compendium.site.depgraph import SEARCH, affected_pages
from compendium.source.checks import check_sources
from compendium.source.crosschecks import check_references, check_roles_used
from compendium.source.fields import LoadContext, report_refused
from compendium.source.layout import (
    ARTICLE_FILE_RE,
    GLOSSARY_FILE,
    manifest_path,
    regulation_dir,
    regulation_of,
)
from compendium.source.manifest import load_regulation
from compendium.source.model import Compendium, Regulation
from compendium.source.problems import Problems
from compendium.source.terminology import check_terminology
from compendium.source.tree import Tree

Snapshot = dict[str, tuple[int, int]]  # path -> (size, mtime in ns)


def snapshot(roots: Iterable[Path]) -> Snapshot:
    """Size and modification time of every file under ``roots`` (hidden files skipped)."""
    out: Snapshot = {}
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if name.startswith("."):
                    continue
                path = os.path.join(dirpath, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue  # removed while we looked
                out[path] = (st.st_size, st.st_mtime_ns)
    return out


def changed_files(before: Snapshot, after: Snapshot) -> list[str]:
    """Paths added, removed or modified between two snapshots, sorted."""
    keys = set(before) | set(after)
    return sorted(k for k in keys if before.get(k) != after.get(k))


class FolderTree:
    """``tree`` seen through the files of one regulation folder only (for the file checks)."""

    def __init__(self, tree: Tree, folder: str):
        self.tree = tree
        self.display_root = tree.display_root
        prefix = self._prefix = regulation_dir(folder) + "/"
        self._files = [f for f in tree.files() if f.startswith(prefix)]

    def files(self) -> list[str]:
        return list(self._files)

    def read(self, rel: str) -> str:
        return self.tree.read(rel)

    def refused(self) -> list[tuple[str, str]]:
        return [(rel, why) for rel, why in self.tree.refused() if rel.startswith(self._prefix)]


def reload_regulation(comp: Compendium, tree: Tree, folder: str) -> tuple[Compendium, Problems]:
    """``comp`` with regulation ``folder`` read again from ``tree``, and the problems found.

    The other regulations, the roles and the glossary are taken from ``comp`` as they
    are: call this only when nothing but files of ``regulations/<folder>/`` changed.
    """
    ctx = LoadContext(tree, Problems())
    local = FolderTree(tree, folder)
    report_refused(ctx, local.refused())
    names = [f.rsplit("/", 1)[1] for f in local.files() if f.count("/") == 2]
    reg = load_regulation(ctx, folder, names, comp.roles) if names else None
    regulations: dict[str, Regulation] = {}
    for rid, old in comp.regulations.items():
        if rid != folder:
            regulations[rid] = old
        elif reg is not None:
            regulations[rid] = reg
    if reg is not None and folder not in comp.regulations:
        regulations[folder] = reg
    new = Compendium(comp.docs_path, regulations, comp.roles, comp.glossary, comp.languages)
    check_references(ctx, new)  # also references from other regulations into this one
    if reg is not None:  # warnings about this regulation's texts only
        alone = Compendium(comp.docs_path, {folder: reg}, comp.roles, comp.glossary)
        check_terminology(alone, ctx.problems, ctx.display(GLOSSARY_FILE))
        _roles_used(ctx, alone, folder)
    check_sources(local, ctx.problems)
    if reg is None and not ctx.problems.errors:
        ctx.problems.error(ctx.display(regulation_dir(folder)), 1, "the regulation did not load")
    return new, ctx.problems


def _roles_used(ctx: LoadContext, alone: Compendium, folder: str) -> None:
    """The duty warnings of ``folder``'s texts (not "role has no duties": that needs all)."""
    probe = LoadContext(ctx.tree, Problems())
    check_roles_used(probe, alone)
    prefix = ctx.display(regulation_dir(folder)) + "/"
    ctx.problems.items.extend(p for p in probe.problems.items if p.path.startswith(prefix))


@dataclass(frozen=True)
class Plan:
    """What the fast path re-renders: ``(language, page)`` in order, then the full build."""

    steps: list[tuple[str, str]]


def regulation_change(paths: Sequence[str]) -> str | None:
    """The one regulation whose folder holds every changed docs-relative path, or None
    (a change elsewhere, in several regulations, or of a file that is no source)."""
    regs = {regulation_of(p) for p in paths}
    if len(regs) != 1:
        return None
    rid = regs.pop()
    if rid is None:
        return None
    for p in paths:
        name = p.rsplit("/", 1)[1]
        if p != manifest_path(rid) and not (
            name.endswith(".md") and ARTICLE_FILE_RE.fullmatch(name)
        ):
            return None
    return rid


def plan_rebuild(
    old: Compendium,
    new: Compendium,
    changed: Sequence[str],
    current: str,
    languages: Sequence[str],
    article_pages: Iterable[str] = (),
) -> Plan | None:
    """The pages to re-render after ``changed`` (docs-relative) turned ``old`` into
    ``new``, the language being read (``current``) first and the edited regulation's
    page first of all; None when only a full build is right."""
    rid = regulation_change(changed)
    if rid is None or rid not in old.regulations or rid not in new.regulations:
        return None
    pages = affected_pages(old, new, article_pages)
    if pages is None:
        return None
    pages.discard(SEARCH)  # the full build after the fast path makes the search index
    edited = manifest_path(rid)
    pages.add(edited)
    rest = sorted(pages - {edited})
    order = [current] + [lang for lang in languages if lang != current]
    steps = [(current, edited)] + [(current, p) for p in rest]
    for lang in order[1:]:
        steps += [(lang, edited)] + [(lang, p) for p in rest]
    return Plan(steps)


def current_language(url_path: str | None, languages: Sequence[str]) -> str:
    """The language of a site path (``/en/...`` is English; the default has no prefix)."""
    if url_path:
        first = url_path.lstrip("/").split("/", 1)[0]
        if first in languages and first != DEFAULT_LANGUAGE:
            return first
    return DEFAULT_LANGUAGE
