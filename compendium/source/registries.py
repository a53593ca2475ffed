"""The registries at the top of the docs folder: the roles (``roles.yml``) and the
bilingual glossary (``glossary.yml``)."""

from __future__ import annotations

from typing import Any

from compendium import LANGUAGES
from compendium.source.fields import (
    LoadContext,
    check_fields,
    check_id,
    check_one_line,
    localized,
    read_yaml_file,
    text_value,
)
from compendium.source.layout import GLOSSARY_FILE, ROLES_FILE
from compendium.source.model import ROLE_KINDS, GlossarySense, GlossaryTerm, Role
from compendium.source.yamlsrc import Lines, type_name

# -- roles ---------------------------------------------------------------------


def load_roles(ctx: LoadContext, files: list[str]) -> dict[str, Role]:
    """The role registry, in file order (empty when there is no ``roles.yml``)."""
    roles: dict[str, Role] = {}
    if ROLES_FILE not in files:
        return roles
    loaded = read_yaml_file(ctx, ROLES_FILE)
    if loaded is None:
        return roles
    data, lines = loaded
    path = ctx.display(ROLES_FILE)
    if not isinstance(data, dict) or not isinstance(data.get("roles"), list):
        ctx.problems.error(path, lines(), "expected a mapping with a 'roles' list")
        return roles
    _only_key(ctx, path, data, lines, "roles")
    alias_owner: dict[tuple[str, str], str] = {}
    for i, entry in enumerate(data["roles"]):
        role = _role(ctx, path, entry, lines, i, roles)
        if role is not None:
            _claim_names(ctx, path, role, lines, i, alias_owner)
            roles[role.id] = role
    _check_parents(ctx, path, roles)
    return roles


def _only_key(ctx: LoadContext, path: str, data: dict[str, Any], lines: Lines, key: str) -> None:
    """A registry file holds its one list and nothing else."""
    for other in data:
        if other != key:
            ctx.problems.error(
                path, lines(other), f"unknown field {type_name(other)} (expected only '{key}')"
            )


def _role(
    ctx: LoadContext, path: str, entry: Any, lines: Lines, i: int, roles: dict[str, Role]
) -> Role | None:
    """One entry of the ``roles`` list, or None when it has no usable id."""
    line = lines("roles", i)
    if not isinstance(entry, dict):
        ctx.problems.error(path, line, f"a role must be a mapping, got {type_name(entry)}")
        return None
    check_fields(
        ctx,
        path,
        entry,
        lines,
        ("roles", i),
        {"id": "", "kind": "", "name": ""},
        {"aliases", "parent", "note"},
    )
    rid = entry.get("id")
    if not check_id(ctx, path, lines("roles", i, "id"), rid, "role id"):
        return None
    if rid in roles:
        ctx.problems.error(
            path, line, f"duplicate role id '{rid}' (first at line {roles[rid].line})"
        )
        return None
    kind = entry.get("kind")
    if kind not in ROLE_KINDS:
        ctx.problems.error(
            path,
            lines("roles", i, "kind"),
            f"unknown role kind {type_name(kind)} (expected one of: {', '.join(ROLE_KINDS)})",
        )
    name = localized(ctx, path, entry.get("name"), lines("roles", i, "name"), "name")
    aliases = _aliases(ctx, path, entry.get("aliases"), lines, i)
    parent = entry.get("parent")
    if parent is not None and not check_id(
        ctx, path, lines("roles", i, "parent"), parent, "parent role id"
    ):
        parent = None
    note = text_value(
        ctx, path, lines("roles", i, "note"), entry.get("note"), "field 'note'", one_line=False
    )
    return Role(str(rid), str(kind), name, aliases, parent, note, line)


def _aliases(ctx: LoadContext, path: str, raw: Any, lines: Lines, i: int) -> dict[str, list[str]]:
    """A role's other names per language (absent or ``aliases:`` with no value, reported
    by ``check_fields``: none; an empty text or an empty list is not a mapping)."""
    aliases: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    if raw is None:
        return aliases
    if not isinstance(raw, dict):
        ctx.problems.error(
            path,
            lines("roles", i, "aliases"),
            f"'aliases' must map each language ({', '.join(LANGUAGES)}) to a list of names, "
            f"got {type_name(raw)}",
        )
        return aliases
    for lang, names in raw.items():
        if (
            lang not in LANGUAGES
            or not isinstance(names, list)
            or not all(isinstance(n, str) for n in names)
        ):
            ctx.problems.error(
                path,
                lines("roles", i, "aliases", lang),
                f"aliases must be listed per language ({', '.join(LANGUAGES)}) as lists of names",
            )
            continue
        for j, alias in enumerate(names):
            check_one_line(ctx, path, lines("roles", i, "aliases", lang, j), alias, "an alias")
        aliases[lang] = list(names)
    return aliases


def _claim_names(
    ctx: LoadContext,
    path: str,
    role: Role,
    lines: Lines,
    i: int,
    alias_owner: dict[tuple[str, str], str],
) -> None:
    """Each name and alias belongs to one role (case-insensitively, per language)."""
    for lang in LANGUAGES:
        for alias in [role.name.get(lang, "")] + role.aliases[lang]:
            if not alias:
                continue
            key = (lang, alias.casefold())
            if key in alias_owner and alias_owner[key] != role.id:
                ctx.problems.error(
                    path,
                    lines("roles", i, "aliases"),
                    f"name '{alias}' is claimed by roles '{alias_owner[key]}' and '{role.id}' "
                    "(expected each name to belong to one role)",
                )
            alias_owner.setdefault(key, role.id)


def _check_parents(ctx: LoadContext, path: str, roles: dict[str, Role]) -> None:
    """Every parent is a known role, and no role is its own ancestor."""
    for role in roles.values():
        if role.parent is not None and role.parent not in roles:
            ctx.problems.error(
                path,
                role.line,
                f"role '{role.id}' has unknown parent '{role.parent}' "
                "(expected a role id from this file)",
            )
    for role in roles.values():  # cycles in belongs-to
        seen, cur = {role.id}, role.parent
        while cur in roles:
            if cur in seen:
                ctx.problems.error(
                    path, role.line, f"role '{role.id}' is its own ancestor through 'parent'"
                )
                break
            seen.add(cur)
            cur = roles[cur].parent


# -- glossary ------------------------------------------------------------------


def load_glossary(ctx: LoadContext, files: list[str]) -> list[GlossaryTerm]:
    """The glossary terms, in file order (empty when there is no ``glossary.yml``)."""
    out: list[GlossaryTerm] = []
    if GLOSSARY_FILE not in files:
        return out
    loaded = read_yaml_file(ctx, GLOSSARY_FILE)
    if loaded is None:
        return out
    data, lines = loaded
    path = ctx.display(GLOSSARY_FILE)
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        ctx.problems.error(path, lines(), "expected a mapping with a 'terms' list")
        return out
    _only_key(ctx, path, data, lines, "terms")
    for i, entry in enumerate(data["terms"]):
        if not isinstance(entry, dict):
            ctx.problems.error(
                path, lines("terms", i), f"a term must be a mapping, got {type_name(entry)}"
            )
            continue
        check_fields(
            ctx,
            path,
            entry,
            lines,
            ("terms", i),
            {lang: "" for lang in LANGUAGES},
            {"note", "senses", "check"},
        )
        terms = {}
        for lang in LANGUAGES:
            if entry.get(lang) is not None:
                where = lines("terms", i, lang)
                if (
                    term := text_value(ctx, path, where, entry[lang], f"the {lang} term")
                ) is not None:
                    terms[lang] = term
        note = _note(ctx, path, entry, lines, ("terms", i))
        senses = _glossary_senses(ctx, path, entry.get("senses"), lines, ("terms", i, "senses"))
        check = entry.get("check", True)
        if not isinstance(check, bool):
            ctx.problems.error(
                path, lines("terms", i, "check"), f"expected true or false, got {type_name(check)}"
            )
            check = True
        out.append(GlossaryTerm(terms, note, senses, check, lines("terms", i)))
    return out


def _glossary_senses(
    ctx: LoadContext, path: str, value: Any, lines: Lines, where: tuple[Any, ...]
) -> list[GlossarySense]:
    """The second senses of a glossary term: a list of {en, note} mappings."""
    if value is None:
        return []
    if not isinstance(value, list):
        ctx.problems.error(
            path, lines(*where), f"expected a list of {{en, note}} senses, got {type_name(value)}"
        )
        return []
    out = []
    for j, sense in enumerate(value):
        if not isinstance(sense, dict) or not sense.get("en"):
            ctx.problems.error(
                path,
                lines(*where, j),
                "a sense must be a mapping with 'en' (the rendering) and 'note' (when to use it)",
            )
            continue
        check_fields(ctx, path, sense, lines, (*where, j), {"en": ""}, {"note"})
        en = text_value(ctx, path, lines(*where, j, "en"), sense["en"], "a sense's 'en'")
        if en is not None:
            out.append(GlossarySense(en, _note(ctx, path, sense, lines, (*where, j))))
    return out


def _note(
    ctx: LoadContext, path: str, entry: dict[str, Any], lines: Lines, where: tuple[Any, ...]
) -> str | None:
    """The optional ``note`` of a glossary term or sense: text, on any number of lines."""
    if entry.get("note") is None:
        return None
    return text_value(ctx, path, lines(*where, "note"), entry["note"], "a note", one_line=False)
