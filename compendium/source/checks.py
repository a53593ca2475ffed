"""Every validation of a docs folder in one call, for ``make check``, the site
and the PDFs alike: the model (loader), ``packs.yml``, the stub pages, the HTML
policy over every text, the size limits, symbolic links and leftovers of an
interrupted import; the entries no tree reads (symbolic links, hard links,
named pipes, submodules) are reported by the loader.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

from compendium.buildtime import build_date
from compendium.source import htmlpolicy
from compendium.source.fields import one_line_problem
from compendium.source.layout import REGISTRY_FILES, file_type_problem
from compendium.source.limits import MAX_ARTICLE_CHARS, MAX_NESTING, paragraph_problems
from compendium.source.loader import REGULATIONS_DIR, ROLES_FILE, load
from compendium.source.model import Compendium
from compendium.source.packs import load_packs
from compendium.source.problems import Problems
from compendium.source.reviews import check_reviews
from compendium.source.stubs import stub_warnings
from compendium.source.tree import DirTree, Tree
from compendium.source.yamlsrc import (
    BOM_MESSAGE,
    Document,
    Lines,
    YamlError,
    control_chars,
    load_yaml,
    split_front_matter,
    type_name,
)

# Page kinds a stub page may name in ``compendium:`` (filled in by the site hooks).
PAGE_KINDS = (
    "regulation",
    "home",
    "glossary",
    "role",
    "roles",
    "revisions",
    "translations",
    "reviews",
    "verify",
)


LEFTOVER_RE = re.compile(r"^\.(?P<id>[a-z0-9-]+)\.(?P<kind>importing|replaced)-")

# Errors that only repeat a broken roles.yml (suppressed when it did not load).
_ROLE_CASCADE = (
    "unknown role",
    "unknown owner role",
    "page for unknown role",
    "duty summary for role",
)


def validate(tree: Tree, as_of: dt.date | None = None) -> tuple[Compendium, Problems]:
    """Load ``tree`` and run every check; the problems of all of them together.

    ``as_of`` is the date overdue reviews are counted from (default: the build
    date, SOURCE_DATE_EPOCH or the commit's, else today).
    """
    comp, problems = load(tree)
    _, pack_problems = load_packs(tree, comp)
    problems.items.extend(pack_problems.items)
    roles_path = _display(tree, ROLES_FILE)
    if (
        any(p.path == roles_path and p.severity == "error" for p in problems.items)
        and not comp.roles
    ):
        # roles.yml did not load: its own error is the root cause, the rest repeat it
        # (in the regulations and in packs.yml alike).
        problems.items = [
            p
            for p in problems.items
            if p.path == roles_path or not p.message.startswith(_ROLE_CASCADE)
        ]
    roles_broken = any(p.path == roles_path and p.severity == "error" for p in problems.items)
    if as_of is None:
        try:
            as_of = build_date()
        except ValueError as exc:
            problems.error("SOURCE_DATE_EPOCH", 0, f"{exc} (unset it or give seconds)")
    problems.items.extend(check_reviews(comp, as_of or dt.date.today()).items)
    problems.items.extend(stub_warnings(comp))
    check_sources(tree, problems)
    check_content_ids(tree, comp, problems)
    check_file_types(tree, problems)
    check_stub_pages(tree, problems, None if roles_broken else set(comp.roles))
    if isinstance(tree, DirTree):  # symbolic links and other refused entries: see load()
        check_leftovers(tree.root, tree.display_root, problems)
    return comp, problems


def _display(tree: Tree, rel: str) -> str:
    return f"{tree.display_root}/{rel}" if tree.display_root else rel


def check_file_types(tree: Tree, problems: Problems) -> None:
    """Only the content file types, named in lower case (``layout.file_type_problem``)."""
    for rel in tree.files():
        why = file_type_problem(rel)
        if why is not None:
            problems.error(_display(tree, rel), 1, why)


def check_sources(tree: Tree, problems: Problems) -> None:
    """The HTML policy, size and nesting limits, stub page kinds and control characters
    in Markdown bodies, file by file (each file read and split once)."""
    for rel in tree.files():
        if not rel.endswith((".md", ".yml", ".yaml")):
            continue
        path = _display(tree, rel)
        base = posixpath.dirname(rel)  # relative links start from the file's folder
        try:
            text = tree.read(rel)
        except (UnicodeDecodeError, OSError):
            continue  # reported by the loader
        if rel.endswith(".md"):
            try:
                doc = split_front_matter(text)
            except YamlError as exc:
                if "control character" not in exc.message:  # else reported with the front-matter
                    _control_chars(problems, path, text, 1)
                if rel.startswith(REGULATIONS_DIR + "/"):
                    continue  # reported by the loader
                _check_text(problems, path, text, 1, body=True, base=base)
                continue
            _control_chars(problems, path, doc.body, doc.body_line)
            _check_data(problems, path, doc.meta, doc.lines, base)
            _check_text(problems, path, doc.body, doc.body_line, body=True, base=base)
            _check_kind(problems, path, rel, doc)
        else:
            try:
                data, lines = load_yaml(text)
            except YamlError as exc:
                if rel not in REGISTRY_FILES:  # which the loader and the packs reader report
                    problems.error(path, exc.line, exc.message)
                continue
            _check_data(problems, path, data, lines, base)


def _check_data(problems: Problems, path: str, data: Any, lines: Lines, base: str = "") -> None:
    for key_path, value in htmlpolicy.walk_strings(data):
        line = lines(*key_path)
        heading = "\n" not in value  # a title or a caption: read as a heading too
        for offset, message in htmlpolicy.text_problems(value, base, heading):
            problems.error(path, line + (offset if "\n" in value else 0), message)
        for offset, message in paragraph_problems(value):
            problems.error(path, line + (offset if "\n" in value else 0), message)


def check_content_ids(tree: Tree, comp: Compendium, problems: Problems) -> None:
    """Every id an attribute list sets is used once in the docs folder (the PDFs join
    every regulation, in both languages, into one document) and is none of the ids its
    regulation's page has already (its article ids, its title's slug)."""
    seen: dict[str, str] = {}
    for rel in tree.files():
        if not rel.endswith(".md"):
            continue
        try:
            text = tree.read(rel)
            doc = split_front_matter(text)
            body, first = doc.body, doc.body_line
        except YamlError:
            body, first = text, 1
        except (UnicodeDecodeError, OSError):
            continue  # reported by the loader
        if "{" not in body:
            continue
        parts = rel.split("/")
        reg = (
            comp.regulations.get(parts[1])
            if len(parts) == 3 and parts[0] == REGULATIONS_DIR
            else None
        )
        taken = (
            htmlpolicy.page_ids(reg.listed | set(reg.articles), list(reg.title.values()))
            if reg
            else set()
        )
        path = _display(tree, rel)
        for offset, value in htmlpolicy.content_ids(body):
            where = f"{path}:{first + offset}"
            if htmlpolicy.id_problem(value):
                continue  # reported with the attribute list
            if value in taken:
                problems.error(
                    path,
                    first + offset,
                    f"id '{value}' is already an id of this regulation's page (an article "
                    "id or the title's anchor) (expected an id of its own, e.g. {: #fees })",
                )
            elif value in seen:
                problems.error(
                    path,
                    first + offset,
                    f"id '{value}' is already set at {seen[value]} (expected each id once in "
                    "the docs folder, in either language: the PDFs hold every text)",
                )
            else:
                seen[value] = where


_HALF_REF_RE = re.compile(r"(?<!\[)\[\[[^\[\]\n]*\](?!\])|(?<!\[)\[[^\[\]\n]*\]\](?!\])")


def _check_text(
    problems: Problems, path: str, text: str, first_line: int, body: bool, base: str = ""
) -> None:
    for offset, message in htmlpolicy.text_problems(text, base):
        problems.error(path, first_line + offset, message)
    for offset, line in enumerate(text.split("\n")):
        for m in _HALF_REF_RE.finditer(line):
            problems.error(
                path,
                first_line + offset,
                f"malformed cross reference '{m.group(0)}' "
                "(expected [[article-id]] or [[regulation-id/article-id]])",
            )
    if len(text) > MAX_ARTICLE_CHARS:
        problems.error(
            path,
            first_line,
            f"the text is {len(text):,} characters long (expected at most {MAX_ARTICLE_CHARS:,}; "
            "split it into several articles)",
        )
    for offset, message in paragraph_problems(text):
        problems.error(path, first_line + offset, message)
    for offset, line in enumerate(text.split("\n")):
        depth = nesting_depth(line)
        if depth > MAX_NESTING:
            problems.error(
                path,
                first_line + offset,
                f"lists or quotes nested {depth} levels deep (expected at most {MAX_NESTING})",
            )
            break


_MARKER_RE = re.compile(r"\s*(?:>|[-*+](?=\s)|\d{1,9}[.)](?=\s))")


def nesting_depth(line: str) -> int:
    """How deeply ``line`` nests lists and quotes: its markers plus its indentation."""
    indent = len(line) - len(line.lstrip(" \t"))
    depth = indent // 2
    pos = 0
    while m := _MARKER_RE.match(line, pos):
        if m.end() == pos:
            break
        depth += 1
        pos = m.end()
    return depth


def _check_kind(problems: Problems, path: str, rel: str, doc: Document) -> None:
    kind = doc.meta.get("compendium")
    if kind is None or (rel.startswith(REGULATIONS_DIR + "/") and rel.count("/") == 2):
        return  # not a stub page, or an article / manifest (the loader checks those)
    if kind not in PAGE_KINDS:
        problems.error(
            path,
            doc.lines("compendium"),
            f"unknown page kind '{kind}' in front-matter (expected one of: {', '.join(PAGE_KINDS)})",
        )


def check_leftovers(root: Path, display_root: str, problems: Problems) -> None:
    """Warn about folders an interrupted import left in docs/regulations/."""
    regs = root / REGULATIONS_DIR
    if not regs.is_dir():
        return
    prefix = f"{display_root}/" if display_root else ""
    for entry in sorted(regs.iterdir()):
        m = LEFTOVER_RE.match(entry.name)
        if not m:
            continue
        rid = m.group("id")
        where = f"{prefix}{REGULATIONS_DIR}/{entry.name}"
        live = (regs / rid).is_dir()
        if m.group("kind") == "importing":
            how = (
                "an import was interrupted before it finished; delete this folder and import again"
            )
        elif live:
            how = (
                f"an import replaced '{rid}' and was interrupted before removing the old copy; "
                "delete this folder once the new one is checked"
            )
        else:
            how = (
                f"an import was interrupted while replacing '{rid}', which is now missing; "
                f"rename this folder back to {REGULATIONS_DIR}/{rid} (or import again)"
            )
        problems.warning(where, 1, f"leftover of an interrupted import: {how}")


# Front-matter keys a stub page may have (every .md outside regulations/<id>/): the
# page kind, what the kind needs, and a title (escaped by the site hook). Anything
# else would reach the theme's templates (<meta> tags, the nav) as it is.
STUB_KEYS = ("compendium", "title")
KIND_KEYS = {"role": ("role",)}
KIND_REQUIRED = {"role": ("role",)}
# MultiMarkdown-style metadata (``key: value`` lines at the top), which MkDocs also reads.
_MMD_META_RE = re.compile(r"\A[ ]{0,3}[A-Za-z0-9_-]+:")
_HTML_IN_META_RE = re.compile(r"[<>]|&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def _is_stub(rel: str) -> bool:
    return rel.endswith(".md") and not (
        rel.startswith(REGULATIONS_DIR + "/") and rel.count("/") == 2
    )


def check_stub_pages(tree: Tree, problems: Problems, roles: Collection[str] | None = None) -> None:
    """Stub pages (with or without ``compendium:``) may only hold the allowed
    front-matter keys, and no value of theirs may hold HTML; a role page names a
    role of ``roles`` (not checked when None: ``roles.yml`` did not load)."""
    for rel in tree.files():
        if not _is_stub(rel):
            continue
        path = _display(tree, rel)
        try:
            text = tree.read(rel)
        except (UnicodeDecodeError, OSError):
            continue  # reported by the loader
        if text.startswith("\ufeff"):
            problems.error(path, 1, BOM_MESSAGE)
            continue
        if not text.startswith("---"):
            if _MMD_META_RE.match(text):
                problems.error(
                    path,
                    1,
                    "metadata lines at the top of a page are not allowed (expected YAML "
                    "front-matter between '---' lines, or none; put a blank line or a "
                    "heading first)",
                )
            continue
        try:
            doc = split_front_matter(text)
        except YamlError as exc:
            problems.error(path, exc.line, exc.message)
            continue
        kind = doc.meta.get("compendium")
        allowed = STUB_KEYS + KIND_KEYS.get(kind, ()) if isinstance(kind, str) else STUB_KEYS
        for key in doc.meta:
            if key not in allowed:
                problems.error(
                    path,
                    doc.lines(key),
                    f"unknown front-matter field '{key}' on this page "
                    f"(expected only: {', '.join(allowed)})",
                )
        if kind == "regulation":
            problems.error(
                path,
                doc.lines("compendium"),
                "page kind 'regulation' belongs only in "
                f"{REGULATIONS_DIR}/<regulation-id>/index.md",
            )
        for key in KIND_REQUIRED.get(kind, ()) if isinstance(kind, str) else ():
            if key not in doc.meta:
                problems.error(
                    path, doc.lines(), f"missing front-matter field '{key}' (page kind '{kind}')"
                )
        for key in allowed:
            value = doc.meta.get(key)
            if key in doc.meta and not isinstance(value, str):
                problems.error(
                    path,
                    doc.lines(key),
                    f"front-matter field '{key}' must be plain text, got a {type(value).__name__}",
                )
            elif message := one_line_problem(value, f"front-matter field '{key}'"):
                problems.error(path, doc.lines(key), message)
            elif isinstance(value, str) and _HTML_IN_META_RE.search(value):
                problems.error(
                    path,
                    doc.lines(key),
                    f"front-matter field '{key}' holds HTML ('<', '>' or a character "
                    "reference); expected plain text",
                )
        role = doc.meta.get("role")
        if kind == "role" and isinstance(role, str) and roles is not None and role not in roles:
            problems.error(
                path,
                doc.lines("role"),
                f"role page for unknown role {type_name(role)} "
                f"(expected a role id from docs/{ROLES_FILE})",
            )


def _control_chars(problems: Problems, path: str, body: str, first: int) -> None:
    """Control characters in a Markdown body (the YAML reader reports its own)."""
    for offset, message in control_chars(body):
        problems.error(path, first + offset, message)
