"""Roles and duties: duty listings per role, the role tree, the duty matrix as CSV.

Role mentions and the duty matrix are :mod:`compendium.source.rolementions`.
"""

from __future__ import annotations

import csv
import io

from compendium.source.model import Article, Compendium, Role
from compendium.source.rolementions import duty_matrix


def duties_of(comp: Compendium, role_id: str) -> list[tuple[str, Article]]:
    """``(regulation id, article)`` of every article that lists ``role_id``, in order."""
    return [
        (reg.id, art)
        for reg in comp.regulations.values()
        for art in reg.articles.values()
        if role_id in art.roles
    ]


def children_of(comp: Compendium, role_id: str) -> list[Role]:
    return [r for r in comp.roles.values() if r.parent == role_id]


def matrix_csv(comp: Compendium, lang: str) -> str:
    """The duty matrix as CSV: one row per role, one column per regulation."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    regs = list(comp.regulations.values())
    writer.writerow(
        ["role_id", "role", *[f"{r.code} {r.title.get(lang, r.id)}" for r in regs], "total"]
    )
    for rid, row in duty_matrix(comp).items():
        role = comp.roles[rid]
        counts = [row.get(r.id, 0) for r in regs]
        writer.writerow([rid, role.name.get(lang, rid), *counts, sum(counts)])
    return buf.getvalue()
