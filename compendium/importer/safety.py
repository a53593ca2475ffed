"""Leftovers of an interrupted import (used by scripts/import_regulation.py).

The importer writes a regulation into ``.<id>.importing-*`` and renames it into place; an
existing folder is first renamed aside to ``.<id>.replaced-*`` and removed at the end. A crash
in between leaves one of them behind: this finds them and says how to recover.
"""

from __future__ import annotations

from pathlib import Path


def leftovers(parent: Path, reg_id: str) -> list[str]:
    """One message per leftover folder of ``reg_id`` under ``parent`` (docs/regulations)."""
    if not parent.is_dir():
        return []
    target = parent / reg_id
    out: list[str] = []
    for p in sorted(parent.glob(f".{reg_id}.importing-*")):
        out.append(
            f"{p}: an interrupted import left this unfinished folder "
            f"(expected none; delete it, then import again)"
        )
    for p in sorted(parent.glob(f".{reg_id}.replaced-*")):
        if target.exists():
            out.append(
                f"{p}: the previous version of {target.name}, left by an interrupted replace "
                f"(expected none; {target} is complete: delete {p.name})"
            )
        else:
            out.append(
                f"{p}: the previous version of {target.name}, left by an interrupted replace, "
                f"and {target} is missing (expected none; rename {p.name} back to {target.name})"
            )
    return out
