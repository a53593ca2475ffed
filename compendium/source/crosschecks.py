"""Checks across the whole loaded compendium: cross references resolve, every role
has its page and its duties, and the texts declare the roles they give duties to."""

from __future__ import annotations

from compendium.numbering.xref import XREF_RE, parse_target
from compendium.source.fields import LoadContext
from compendium.source.layout import ROLES_FILE, role_of_page, role_page
from compendium.source.model import ArticleText, Compendium
from compendium.source.rolementions import duty_matrix, undeclared_duties


def check_compendium(ctx: LoadContext, comp: Compendium, files: list[str]) -> None:
    """Every check that needs the whole model."""
    check_references(ctx, comp)
    _check_role_pages(ctx, comp, files)
    check_roles_used(ctx, comp)


def check_references(ctx: LoadContext, comp: Compendium) -> None:
    """Every cross reference in every text and duty summary resolves."""
    for reg in comp.regulations.values():
        for art in reg.articles.values():
            for text in art.texts.values():
                for lineno, line in enumerate(text.body.split("\n"), start=text.body_line):
                    for m in XREF_RE.finditer(line):
                        target = parse_target(m.group(1), reg.id)
                        if target is None:
                            ctx.problems.error(
                                text.path,
                                lineno,
                                f"malformed cross reference '{m.group(0)}' "
                                "(expected [[article-id]] or [[regulation-id/article-id]])",
                            )
                        elif comp.article(*target) is None and not _listed(comp, *target):
                            where = "regulation" if target[0] not in comp.regulations else "article"
                            ctx.problems.error(
                                text.path,
                                lineno,
                                f"unresolved cross reference '{m.group(0)}': no {where} "
                                f"'{target[0] if where == 'regulation' else target[1]}'"
                                + ("" if where == "regulation" else f" in '{target[0]}'")
                                + " (expected the id of an existing article)",
                            )
                        elif (ref := comp.article(*target)) is not None and ref.repealed:
                            ctx.problems.warning(
                                text.path,
                                lineno,
                                f"cross reference '{m.group(0)}' points to an article repealed "
                                f"on {ref.repealed.isoformat()} (expected a reference to a "
                                "provision in force, or an editorial note explaining it)",
                            )
                for rid, summary in text.duties.items():
                    _check_duty_references(ctx, comp, reg.id, text, rid, summary)


def _check_duty_references(
    ctx: LoadContext, comp: Compendium, reg_id: str, text: ArticleText, rid: str, summary: str
) -> None:
    """Cross references inside a duty summary (``duties:``) must resolve like the body's."""
    for m in XREF_RE.finditer(summary):
        target = parse_target(m.group(1), reg_id)
        if target is None:
            problem = "is malformed (expected [[article-id]] or [[regulation-id/article-id]])"
        elif comp.article(*target) is None and not _listed(comp, *target):
            problem = (
                f"is unresolved: no article '{target[1]}' in '{target[0]}'"
                if target[0] in comp.regulations
                else f"is unresolved: no regulation '{target[0]}'"
            )
            problem += " (expected the id of an existing article)"
        else:
            continue
        ctx.problems.error(
            text.path,
            text.lines("duties", rid),
            f"cross reference '{m.group(0)}' in the duty summary for '{rid}' {problem}",
        )


def _check_role_pages(ctx: LoadContext, comp: Compendium, files: list[str]) -> None:
    """Every role has its page stub docs/roles/<id>.md and every stub a role."""
    if not comp.roles:
        return
    pages = {rid for f in files if (rid := role_of_page(f)) is not None}
    for rid, role in comp.roles.items():
        if rid not in pages:
            ctx.problems.error(
                ctx.display(ROLES_FILE),
                role.line,
                f"role '{rid}' has no page "
                f"(expected {ctx.display(role_page(rid))}; run make roles)",
            )
    for stub in sorted(pages - set(comp.roles) - {"index"}):
        ctx.problems.error(
            ctx.display(role_page(stub)),
            1,
            f"page for unknown role '{stub}' "
            f"(expected a role id from docs/{ROLES_FILE}; run make roles)",
        )


def _listed(comp: Compendium, reg_id: str, art_id: str) -> bool:
    """True when the target is in a manifest but its file failed to load (reported already)."""
    reg = comp.regulations.get(reg_id)
    return reg is not None and art_id in reg.listed


def check_roles_used(ctx: LoadContext, comp: Compendium) -> None:
    """Warnings: roles without duties, duties the texts give to undeclared roles."""
    matrix = duty_matrix(comp)
    parents = {r.parent for r in comp.roles.values()}
    owners = {reg.owner for reg in comp.regulations.values()}
    for rid, row in matrix.items():
        if not row and rid not in parents and rid not in owners:
            ctx.problems.warning(
                ctx.display(ROLES_FILE),
                comp.roles[rid].line,
                f"role '{rid}' has no duties (no article lists it in 'roles')",
            )
    for art, lang, rid in undeclared_duties(comp):
        text = art.texts[lang]
        ctx.problems.warning(
            text.path,
            text.body_line,
            f"the text names role '{rid}' with a duty word "
            f"but the article does not declare it (expected '{rid}' in 'roles')",
        )
