"""Load ``docs/`` into the model and validate it, collecting every problem.

Each problem names the file and line and says what was expected. Nothing here
raises for an author's mistake: callers decide whether errors stop the build.

This module only orchestrates; the parts are:

- :mod:`compendium.source.layout`: where each file lives;
- :mod:`compendium.source.registries`: ``roles.yml`` and ``glossary.yml``;
- :mod:`compendium.source.manifest`: a regulation's manifest and its folder;
- :mod:`compendium.source.articles`: one article's files;
- :mod:`compendium.source.fields`: the load context and single-field checks;
- :mod:`compendium.source.crosschecks`: checks across the whole model.
"""

from __future__ import annotations

from compendium.source.articles import EN_FIELDS, EN_OPTIONAL, ZH_FIELDS, ZH_OPTIONAL
from compendium.source.crosschecks import check_compendium
from compendium.source.fields import (
    ID_EXPECTED,
    ID_PATTERN,
    ID_RE,
    RESERVED_PREFIXES,
    LoadContext,
    id_problem,
    is_id,
    report_refused,
)
from compendium.source.layout import (
    ARTICLE_FILE_RE,
    GLOSSARY_FILE,
    MANIFEST,
    REGULATIONS_DIR,
    ROLES_FILE,
)
from compendium.source.manifest import MANIFEST_FIELDS, MANIFEST_OPTIONAL, load_regulation
from compendium.source.model import Compendium, Regulation
from compendium.source.problems import Problems
from compendium.source.registries import load_glossary, load_roles
from compendium.source.terminology import check_terminology
from compendium.source.tree import Tree

__all__ = [  # the names other modules import from here
    "ARTICLE_FILE_RE",
    "EN_FIELDS",
    "EN_OPTIONAL",
    "GLOSSARY_FILE",
    "ID_EXPECTED",
    "ID_PATTERN",
    "ID_RE",
    "MANIFEST",
    "MANIFEST_FIELDS",
    "MANIFEST_OPTIONAL",
    "REGULATIONS_DIR",
    "RESERVED_PREFIXES",
    "ROLES_FILE",
    "ZH_FIELDS",
    "ZH_OPTIONAL",
    "id_problem",
    "is_id",
    "load",
]


def load(tree: Tree) -> tuple[Compendium, Problems]:
    """Load and validate every source under ``tree``.

    Returns the model (with whatever could be loaded) and the problems found.
    """
    ctx = LoadContext(tree, Problems())
    report_refused(ctx, tree.refused())
    files = tree.files()
    roles = load_roles(ctx, files)
    glossary = load_glossary(ctx, files)
    regulations: dict[str, Regulation] = {}
    for folder, names in sorted(_regulation_folders(ctx, files).items()):
        reg = load_regulation(ctx, folder, names, roles)
        if reg is not None:
            regulations[reg.id] = reg
    comp = Compendium(tree.display_root, regulations, roles, glossary)
    check_compendium(ctx, comp, files)
    check_terminology(comp, ctx.problems, ctx.display(GLOSSARY_FILE))
    return comp, ctx.problems


def _regulation_folders(ctx: LoadContext, files: list[str]) -> dict[str, list[str]]:
    """The file names of each folder ``regulations/<id>/`` (subfolders are refused)."""
    by_folder: dict[str, list[str]] = {}
    for rel in files:
        parts = rel.split("/")
        if parts[0] == REGULATIONS_DIR and len(parts) == 3:
            by_folder.setdefault(parts[1], []).append(parts[2])
        elif parts[0] == REGULATIONS_DIR and len(parts) > 3 and rel.endswith(".md"):
            ctx.problems.error(
                ctx.display(rel),
                1,
                "unexpected Markdown file in a subfolder of a regulation "
                "(expected docs/regulations/<regulation-id>/<article-id>.<lang>.md)",
            )
    return by_folder
