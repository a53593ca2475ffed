"""The one pull/merge-request comment CI keeps up to date with the change summary.

The comment is the Markdown summaries written by ``make diff`` (Chinese first,
then English), under a hidden marker line. CI finds its earlier comment by that
marker and edits it instead of adding a new one.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from compendium import LANGUAGES

MARKER = "<!-- compendium-change-summary -->"
LIMIT = 60000  # both GitHub (65,536) and GitLab (1,000,000) accept this


class CommentError(RuntimeError):
    pass


def comment_body(diff_dir: Path, langs: tuple[str, ...] = LANGUAGES) -> str:
    parts = []
    for lang in langs:
        path = Path(diff_dir) / f"summary.{lang}.md"
        if not path.is_file():
            raise CommentError(f"{path}: no such summary (expected the output of make diff)")
        parts.append(path.read_text(encoding="utf-8").strip())
    body = MARKER + "\n" + "\n\n---\n\n".join(parts) + "\n"
    if len(body) > LIMIT:
        body = body[: LIMIT - 200] + "\n\n…(truncated; see the diff artifact for the full report)\n"
    return body


Request = Callable[[str, str, dict[str, Any] | None], Any]


def http_request(token: str) -> Request:
    """A JSON-over-HTTPS caller for the GitLab API, authenticated with ``token``."""

    def call(method: str, url: str, data: dict[str, Any] | None) -> Any:
        body = json.dumps(data).encode("utf-8") if data is not None else None
        req = urllib.request.Request(url, data=body, method=method)
        req.add_header("PRIVATE-TOKEN", token)
        req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 (https API URL from CI)
            return json.loads(resp.read().decode("utf-8") or "null")

    return call


def upsert_gitlab_note(api: str, project: str, mr_iid: str, body: str, request: Request) -> str:
    """Create or update the merge request's summary note; returns 'created' or 'updated'."""
    base = f"{api.rstrip('/')}/projects/{urllib.parse.quote(project, safe='')}/merge_requests/{mr_iid}/notes"
    page = 1
    while True:
        notes = request("GET", f"{base}?per_page=100&page={page}", None) or []
        for note in notes:
            if MARKER in (note.get("body") or ""):
                request("PUT", f"{base}/{note['id']}", {"body": body})
                return "updated"
        if len(notes) < 100:
            break
        page += 1
    request("POST", base, {"body": body})
    return "created"
