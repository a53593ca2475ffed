"""The page stubs of the roles: ``roles/<id>.md`` for each role and the overview.

A stub only says which role a page shows; the build fills it. ``make roles``
(scripts/sync_role_pages.py) writes the stubs this module asks for.
"""

from __future__ import annotations

from typing import Any

from compendium.source.layout import ROLES_INDEX, role_page

ROLES_INDEX_STUB = "---\ncompendium: roles\n---\n"


def role_stub(role_id: str) -> str:
    """The text of ``roles/<role_id>.md``."""
    return f"---\ncompendium: role\nrole: {role_id}\n---\n"


def role_ids(roles_data: Any) -> list[str]:
    """The role ids listed in the data of ``roles.yml`` (entries without an id are skipped)."""
    entries = roles_data.get("roles", []) if isinstance(roles_data, dict) else []
    return [str(r["id"]) for r in entries if isinstance(r, dict) and isinstance(r.get("id"), str)]


def wanted_role_pages(ids: list[str]) -> dict[str, str]:
    """Every role page stub, keyed by its path relative to ``docs/``."""
    wanted = {role_page(rid): role_stub(rid) for rid in ids}
    wanted[ROLES_INDEX] = ROLES_INDEX_STUB
    return wanted
