"""Where everything lives inside a docs folder: the one place that names its paths.

Every path here is relative to the docs folder and uses ``/`` (as a ``Tree`` and
MkDocs' ``src_uri`` do). Change a file name or folder here and every reader, check,
editor command and hook follows::

    docs/
      index.md                               HOME_PAGE
      roles.yml                              ROLES_FILE
      glossary.yml                           GLOSSARY_FILE
      packs.yml                              PACKS_FILE
      assets/                                CODE_DIR (site code, reviewed as code)
      roles/index.md, roles/<role-id>.md     ROLES_DIR, role_page()
      regulations/<regulation-id>/index.md   REGULATIONS_DIR, MANIFEST, manifest_path()
      regulations/<regulation-id>/<article-id>.<lang>.md   article_path()

The built site adds RELEASE_REPORTS_DIR (``releases/<version>/...``).
"""

from __future__ import annotations

import re

DOCS_DIR = "docs"  # the docs folder inside a repository (default of every command)
HOME_PAGE = "index.md"  # the home page (counts the articles of every regulation)
REGULATIONS_DIR = "regulations"
MANIFEST = "index.md"  # a regulation's manifest, inside its folder
ROLES_FILE = "roles.yml"
GLOSSARY_FILE = "glossary.yml"
PACKS_FILE = "packs.yml"
ROLES_DIR = "roles"  # one page stub per role, and the overview page
ROLES_INDEX = f"{ROLES_DIR}/index.md"
REGISTRY_FILES = (ROLES_FILE, GLOSSARY_FILE, PACKS_FILE)  # the YAML files at the top

# A file of a regulation folder other than the manifest: <article-id>.<lang>.md
ARTICLE_FILE_RE = re.compile(r"\A(?P<id>[^/.]+)\.(?P<lang>[A-Za-z-]+)\.md\Z")

# Site folder of the release redlines and reports: releases/<version>/redline.<lang>.html
RELEASE_REPORTS_DIR = "releases"


def regulation_dir(reg_id: str) -> str:
    """``regulations/<reg_id>``."""
    return f"{REGULATIONS_DIR}/{reg_id}"


def manifest_path(reg_id: str) -> str:
    """``regulations/<reg_id>/index.md``: the regulation's manifest (and its page)."""
    return f"{REGULATIONS_DIR}/{reg_id}/{MANIFEST}"


def article_file(art_id: str, lang: str) -> str:
    """``<art_id>.<lang>.md``: an article's file name inside its regulation folder."""
    return f"{art_id}.{lang}.md"


def article_path(reg_id: str, art_id: str, lang: str) -> str:
    """``regulations/<reg_id>/<art_id>.<lang>.md``."""
    return f"{regulation_dir(reg_id)}/{article_file(art_id, lang)}"


def role_page(role_id: str) -> str:
    """``roles/<role_id>.md``: the page stub of a role."""
    return f"{ROLES_DIR}/{role_id}.md"


def role_of_page(rel: str) -> str | None:
    """The role id of a role page stub ``roles/<id>.md`` (None for any other path)."""
    prefix = f"{ROLES_DIR}/"
    if rel.startswith(prefix) and rel.endswith(".md") and rel.count("/") == 1:
        return rel[len(prefix) : -3]
    return None


def regulation_of_manifest(rel: str) -> str | None:
    """The regulation id when ``rel`` is a manifest ``regulations/<id>/index.md``."""
    parts = rel.split("/")
    if len(parts) == 3 and parts[0] == REGULATIONS_DIR and parts[2] == MANIFEST:
        return parts[1]
    return None


def regulation_of(rel: str) -> str | None:
    """The regulation id of any file directly in a regulation folder ``regulations/<id>/<file>``."""
    parts = rel.split("/")
    if len(parts) == 3 and parts[0] == REGULATIONS_DIR:
        return parts[1]
    return None


# What content may be, outside docs/assets/ (the site's code, reviewed as code): Markdown,
# YAML and media types no browser runs. MkDocs publishes every other file as it is, and a
# server could send it as a page of the site's own origin (.xht, .xsl, .svgz, ...).
CONTENT_SUFFIXES = (
    ".md", ".yml", ".yaml", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".csv", ".txt",
)  # fmt: skip
DATA_SUFFIXES = (".yml", ".yaml")  # read by the build, never published
CODE_DIR = "assets/"


READ_SUFFIXES = (".md",) + DATA_SUFFIXES  # the types the build reads instead of publishing


def file_type_problem(rel: str) -> str | None:
    """Why the file ``rel`` may not be content, or None: the one rule for file names.

    A content file ends in one of CONTENT_SUFFIXES, in any case for media (published as
    they are either way), but exactly as written there for the types the build reads:
    MkDocs decides by the exact name, so ``Page.MD`` or ``data.YAML`` would be published
    as they are instead of being read and checked.
    """
    lower = rel.lower()
    if rel.startswith(CODE_DIR) or rel.endswith(READ_SUFFIXES):
        return None
    read = next((s for s in READ_SUFFIXES if lower.endswith(s)), None)
    if read is not None:
        return (
            f"the file name ends in '{rel[-len(read) :]}' (expected '{read}' in lower "
            "case: the site would publish this file as it is instead of reading it)"
        )
    if lower.endswith(CONTENT_SUFFIXES):
        return None
    return (
        "this type of file is not allowed in content (the site would publish it as it "
        f"is); expected one of {' '.join(CONTENT_SUFFIXES)} "
        f"(site code belongs in docs/{CODE_DIR})"
    )


def is_published_source(rel: str) -> bool:
    """True for a file of docs/ the site may publish or render: a content file that is
    not data (YAML) and not an article (assembled into its regulation's page)."""
    return (
        file_type_problem(rel) is None
        and not rel.endswith(DATA_SUFFIXES)
        and not is_article_file(rel)
    )


def is_article_file(rel: str) -> bool:
    """True for ``regulations/<id>/<article-id>.<lang>.md`` (the files the site assembles)."""
    return (
        rel.startswith(f"{REGULATIONS_DIR}/")
        and rel.count("/") == 2
        and rel.endswith(".md")
        and rel.count(".") >= 2
    )
