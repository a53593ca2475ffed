"""The organisation chart as a drawing computed at build time (no script, no network).

The belongs-to relation of ``roles.yml`` is laid out as an indented tree: one row
per role, children below and to the right of their unit, elbow connectors from the
unit's left edge. The layout stays narrow however wide the organisation gets, so it
reads on a phone without zooming; it is drawn as SVG by
``templates/compendium/org_chart.html`` (site) and the print templates (PDF).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from compendium.source.model import Compendium

ROW = 34  # px between rows
BOX_H = 26
INDENT = 28  # px per level
PAD_X = 10  # px of text padding inside a box
FONT_PX = 14
MARGIN = 2


@dataclass(frozen=True)
class Node:
    id: str
    name: str
    kind: str
    depth: int
    x: int
    y: int
    width: int
    height: int = BOX_H

    @property
    def text_x(self) -> int:
        return self.x + PAD_X

    @property
    def text_y(self) -> int:
        return self.y + self.height // 2 + FONT_PX * 5 // 14


@dataclass(frozen=True)
class Edge:
    """An elbow from below the parent's box down and right into the child's box."""

    parent: str
    child: str
    path: str  # SVG path data


@dataclass
class OrgChart:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    width: int = 0
    height: int = 0
    font_px: int = FONT_PX


def text_width(text: str, font_px: int = FONT_PX) -> int:
    """An estimate of the rendered width: wide (CJK) characters 1 em, others ~0.6 em."""
    em = sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6 for ch in text)
    return int(em * font_px + 0.5)


def layout(comp: Compendium, lang: str) -> OrgChart:
    """The chart of every role, in registry order under its parent (roots first)."""
    roles = comp.roles
    children: dict[str | None, list[str]] = {}
    for rid, role in roles.items():
        parent = role.parent if role.parent in roles and role.parent != rid else None
        children.setdefault(parent, []).append(rid)

    chart = OrgChart()
    seen: set[str] = set()

    def place(rid: str, depth: int) -> Node:
        seen.add(rid)
        role = roles[rid]
        name = role.name.get(lang, rid)
        node = Node(
            id=rid,
            name=name,
            kind=role.kind,
            depth=depth,
            x=MARGIN + depth * INDENT,
            y=MARGIN + len(chart.nodes) * ROW,
            width=text_width(name) + 2 * PAD_X,
        )
        chart.nodes.append(node)
        for child in children.get(rid, []):
            if child in seen:  # a cycle: validation reports it; draw each role once
                continue
            placed = place(child, depth + 1)
            x = node.x + INDENT // 2
            y_mid = placed.y + placed.height // 2
            chart.edges.append(
                Edge(rid, child, f"M{x} {node.y + node.height} V{y_mid} H{placed.x}")
            )
        return node

    for rid in children.get(None, []):
        place(rid, 0)
    for rid in roles:  # roles only reachable through a cycle
        if rid not in seen:
            place(rid, 0)
    chart.width = max((n.x + n.width for n in chart.nodes), default=0) + MARGIN
    chart.height = max((n.y + n.height for n in chart.nodes), default=0) + MARGIN
    return chart
