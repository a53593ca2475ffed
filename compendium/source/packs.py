"""Onboarding packs: which articles a new employee in a given role receives.

The packs are defined in ``docs/packs.yml``::

    packs:
      - id: operations-specialist            # lower-case id, used in the PDF file name
        title:                               # per language
          zh-Hant: 運營專員入職資料
          en: Onboarding Pack for Operations Specialists
        roles: [operations-specialist, all-employees]   # role ids from docs/roles.yml
        contents:                            # the parts of the pack, in this order
          - general-provisions               # the first chapter of every regulation
          - duties                           # every article assigning duties to the roles
          - regulation: black-iron-operations           # one regulation in full
          - regulation: digital-operations              # ... or some of its chapters
            chapters: [data-management]
          - articles: [digital-operations/data-backup]  # single articles
            title: {zh-Hant: 其他條文, en: Further articles}   # optional part title

An article appears once in a pack, in the first part that selects it; a later
part lists it as "see page N". Articles keep the numbers they have in their
regulation: a pack never renumbers.

``load_packs`` validates the file and reports every problem as ``path:line: message``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from compendium import LANGUAGES
from compendium.source.encoding import decode_message
from compendium.source.fields import id_problem, one_line_problem
from compendium.source.layout import PACKS_FILE
from compendium.source.model import Compendium
from compendium.source.problems import Problems
from compendium.source.tree import Tree
from compendium.source.yamlsrc import Lines, YamlError, load_yaml, type_name

PART_KINDS = ("general-provisions", "duties", "regulation", "articles")
_PACK_FIELDS = {"id", "title", "roles", "contents"}
_PART_FIELDS = {
    "regulation": {"regulation", "chapters", "title"},
    "articles": {"articles", "title"},
}


@dataclass
class Part:
    """One part of a pack: what it selects, resolved to (regulation, article) pairs."""

    kind: str  # one of PART_KINDS
    articles: list[tuple[str, str]]  # in compendium order
    title: dict[str, str] = field(default_factory=dict)  # optional override per language
    regulation: str | None = None  # for kind 'regulation'
    line: int = 0


@dataclass
class Pack:
    id: str
    title: dict[str, str]
    roles: list[str]
    parts: list[Part]
    line: int = 0

    def article_keys(self) -> list[tuple[str, str]]:
        """Every selected article once, in pack order."""
        seen: dict[tuple[str, str], None] = {}
        for part in self.parts:
            for key in part.articles:
                seen.setdefault(key, None)
        return list(seen)


def load_packs(tree: Tree, comp: Compendium) -> tuple[list[Pack], Problems]:
    """Read and validate ``packs.yml`` of ``tree`` against the loaded compendium."""
    problems = Problems()
    path = f"{tree.display_root}/{PACKS_FILE}" if tree.display_root else PACKS_FILE
    if PACKS_FILE not in tree.files():
        return [], problems
    try:
        data, lines = load_yaml(tree.read(PACKS_FILE))
    except YamlError as exc:
        problems.error(path, exc.line, exc.message)
        return [], problems
    except UnicodeDecodeError as exc:
        problems.error(path, *decode_message(exc))
        return [], problems
    if not isinstance(data, dict) or not isinstance(data.get("packs"), list):
        problems.error(path, lines(), "expected a mapping with a 'packs' list")
        return [], problems
    for key in data:
        if key != "packs":
            problems.error(path, lines(key), f"unknown field '{key}' (expected only 'packs')")
    packs: list[Pack] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(data["packs"]):
        pack = _pack(problems, path, lines, i, raw, comp)
        if pack is None:
            continue
        if pack.id in seen:
            problems.error(
                path,
                lines("packs", i, "id"),
                f"duplicate pack id '{pack.id}' (first at line {seen[pack.id]})",
            )
            continue
        seen[pack.id] = pack.line
        packs.append(pack)
    return packs, problems


@dataclass
class _Reader:
    """Reads the packs of one file: where problems go and what ids are known."""

    problems: Problems
    path: str
    lines: Lines
    comp: Compendium

    def error(self, where: tuple[Any, ...], message: str) -> None:
        self.problems.error(self.path, self.lines(*where), message)

    def all_given(self, where: tuple[Any, ...], item: dict[Any, Any]) -> bool:
        """Whether every field of ``item`` has a value (``key:`` alone is reported)."""
        empty = [key for key, value in item.items() if value is None]
        for key in empty:
            self.error(
                where + (key,),
                f"field '{key}' has no value (expected a value after '{key}:', or remove the line)",
            )
        return not empty

    def localized(self, where: tuple[Any, ...], value: Any, what: str) -> dict[str, str]:
        return _localized(self.problems, self.path, self.lines, where, value, what)


def _pack(
    problems: Problems, path: str, lines: Lines, i: int, raw: Any, comp: Compendium
) -> Pack | None:
    r = _Reader(problems, path, lines, comp)
    where = ("packs", i)
    if not isinstance(raw, dict):
        r.error(
            where,
            f"a pack must be a mapping with id, title, roles and contents, got {type_name(raw)}",
        )
        return None
    for key in raw:
        if key not in _PACK_FIELDS:
            r.error(
                where + (key,),
                f"unknown field '{key}' (expected one of: {', '.join(sorted(_PACK_FIELDS))})",
            )
    for key in sorted(_PACK_FIELDS):
        if key not in raw:
            r.error(where, f"missing field '{key}' in pack")
    pid = raw.get("id")
    ok = r.all_given(where, raw)
    if message := id_problem(pid, "pack id"):
        r.error(where + ("id",), message)
        ok = False
    title = r.localized(where + ("title",), raw.get("title"), "pack title")
    role_ids, roles_ok = _pack_roles(r, where, raw.get("roles"))
    parts, parts_ok = _pack_parts(r, where, raw.get("contents"), role_ids)
    if not (ok and roles_ok and parts_ok) or not isinstance(pid, str) or not parts:
        return None
    if len(title) != len(LANGUAGES):
        return None
    pack = Pack(pid, title, role_ids, parts, lines(*where))
    if not pack.article_keys():
        r.error(
            where + ("contents",),
            f"pack '{pid}' selects no article (expected contents that select at least one article)",
        )
        return None
    for rid in role_ids:
        if not any(rid in a.roles for g in comp.regulations.values() for a in g.articles.values()):
            problems.warning(
                path,
                lines(*where, "roles"),
                f"no article assigns duties to role '{rid}': its duty summary will be empty",
            )
    return pack


def _pack_roles(r: _Reader, where: tuple[Any, ...], roles: Any) -> tuple[list[str], bool]:
    """The role ids of a pack (each once) and whether the list was valid."""
    ok = True
    role_ids: list[str] = []
    if roles is not None and (not isinstance(roles, list) or not roles):
        r.error(where + ("roles",), "field 'roles' must be a non-empty list of role ids")
        ok = False
    for j, rid in enumerate(roles if isinstance(roles, list) else []):
        if not isinstance(rid, str) or rid not in r.comp.roles:
            r.error(
                where + ("roles", j),
                f"unknown role {type_name(rid)} (expected a role id from docs/roles.yml)",
            )
            ok = False
        elif rid in role_ids:
            r.error(where + ("roles", j), f"role '{rid}' is listed twice")
        else:
            role_ids.append(rid)
    return role_ids, ok


def _pack_parts(
    r: _Reader, where: tuple[Any, ...], contents: Any, role_ids: list[str]
) -> tuple[list[Part], bool]:
    """The parts of a pack and whether every one was valid."""
    ok = True
    parts: list[Part] = []
    if contents is not None and (not isinstance(contents, list) or not contents):
        r.error(
            where + ("contents",),
            f"field 'contents' must be a non-empty list of parts ({', '.join(PART_KINDS)})",
        )
        ok = False
    for j, item in enumerate(contents if isinstance(contents, list) else []):
        part = _part(r, where + ("contents", j), item, role_ids)
        if part is None:
            ok = False
        else:
            parts.append(part)
    return parts, ok


def _part(r: _Reader, where: tuple[Any, ...], item: Any, roles: list[str]) -> Part | None:
    line = r.lines(*where)
    comp = r.comp
    if item == "general-provisions":
        keys = [
            (reg.id, aid)
            for reg in comp.regulations.values()
            if reg.chapters
            for aid in reg.chapters[0].article_ids
            if aid in reg.articles
        ]
        return Part("general-provisions", keys, line=line)
    if item == "duties":
        keys = [
            (reg.id, aid)
            for reg in comp.regulations.values()
            for aid, art in reg.articles.items()
            if any(role in art.roles for role in roles)
        ]
        return Part("duties", keys, line=line)
    if not isinstance(item, dict) or not ({"regulation", "articles"} & set(item)):
        r.error(
            where,
            f"unknown pack part {type_name(item)} (expected 'general-provisions', "
            "'duties', a mapping with 'regulation' (and optionally 'chapters'), "
            "or a mapping with 'articles')",
        )
        return None
    kind = "regulation" if "regulation" in item else "articles"
    ok = True
    for key in item:
        if key not in _PART_FIELDS[kind]:
            r.error(
                where + (key,),
                f"unknown field '{key}' in a '{kind}' part "
                f"(expected one of: {', '.join(sorted(_PART_FIELDS[kind]))})",
            )
            ok = False
    ok = r.all_given(where, item) and ok
    title: dict[str, str] = {}
    if "title" in item:
        title = r.localized(where + ("title",), item["title"], "part title")
        ok = ok and len(title) == len(LANGUAGES)
    if kind == "regulation":
        return _regulation_part(r, where, item, title, ok)
    return _articles_part(r, where, item, title, ok)


def _regulation_part(
    r: _Reader, where: tuple[Any, ...], item: dict[str, Any], title: dict[str, str], ok: bool
) -> Part | None:
    """A part with a whole regulation, or some of its chapters."""
    rid = item["regulation"]
    reg = r.comp.regulations.get(rid) if isinstance(rid, str) else None
    if reg is None:
        r.error(
            where + ("regulation",),
            f"unknown regulation {type_name(rid)} "
            "(expected the id of a folder in docs/regulations/)",
        )
        return None
    chapters = item.get("chapters")
    if chapters is None:
        wanted = [ch.id for ch in reg.chapters]
    elif not isinstance(chapters, list) or not chapters:
        r.error(where + ("chapters",), "field 'chapters' must be a non-empty list of chapter ids")
        return None
    else:
        known = {ch.id for ch in reg.chapters}
        wanted = []
        for k, cid in enumerate(chapters):
            if not isinstance(cid, str) or cid not in known:
                r.error(
                    where + ("chapters", k),
                    f"unknown chapter {type_name(cid)} in regulation '{rid}' "
                    f"(expected one of: {', '.join(ch.id for ch in reg.chapters)})",
                )
                ok = False
            else:
                wanted.append(cid)
    keys = [
        (rid, aid)
        for ch in reg.chapters
        if ch.id in wanted
        for aid in ch.article_ids
        if aid in reg.articles
    ]
    return Part("regulation", keys, title, rid, r.lines(*where)) if ok else None


def _articles_part(
    r: _Reader, where: tuple[Any, ...], item: dict[str, Any], title: dict[str, str], ok: bool
) -> Part | None:
    """A part with chosen articles, in compendium order."""
    refs = item["articles"]
    if not isinstance(refs, list) or not refs:
        r.error(
            where + ("articles",),
            "field 'articles' must be a non-empty list of '<regulation-id>/<article-id>'",
        )
        return None
    chosen: set[tuple[str, str]] = set()
    for k, ref in enumerate(refs):
        target = tuple(ref.split("/")) if isinstance(ref, str) else ()
        if len(target) != 2 or r.comp.article(*target) is None:
            r.error(
                where + ("articles", k),
                f"unknown article {type_name(ref)} (expected '<regulation-id>/<article-id>' "
                "of an existing article)",
            )
            ok = False
        else:
            chosen.add((target[0], target[1]))
    keys = [
        (reg.id, aid)
        for reg in r.comp.regulations.values()
        for aid in reg.shown_articles
        if (reg.id, aid) in chosen
    ]
    return Part("articles", keys, title, None, r.lines(*where)) if ok else None


def _localized(
    problems: Problems, path: str, lines: Lines, where: tuple[Any, ...], value: Any, what: str
) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.error(
            path,
            lines(*where),
            f"{what} must give the text per language "
            f"({', '.join(LANGUAGES)}), got {type_name(value)}",
        )
        return {}
    out: dict[str, str] = {}
    for lang in LANGUAGES:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            problems.error(
                path, lines(*where), f"{what} has no {lang} text (expected a line '{lang}: ...')"
            )
        elif message := one_line_problem(text, f"{what} ({lang})"):
            problems.error(path, lines(*where, lang), message)
        else:
            out[lang] = text
    for key in value:
        if key not in LANGUAGES:
            problems.error(
                path,
                lines(*where, key),
                f"{what} has unknown language '{key}' (expected one of: {', '.join(LANGUAGES)})",
            )
    return out
