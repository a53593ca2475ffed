"""The one pull/merge-request comment CI keeps up to date with the change summary.

The comment is the Markdown summaries written by ``make diff`` (Chinese first,
then English), under a hidden marker line. CI finds its earlier comment by that
marker and its author (the token's own user: ``GET /user``, or github-actions[bot]
for the workflow's token; a comment by anyone else is never edited, marker or not)
and edits it instead of adding a new one, through the REST API of GitHub
(issue comments of the pull request) or GitLab (notes of the merge request). The
API address, project and request number come from the CI's own variables, the
token from the environment; nothing goes through a shell.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compendium import LANGUAGES
from compendium.changes.outputs import report_name

MARKER = "<!-- compendium-change-summary -->"
GITHUB_ACTIONS_BOT = "github-actions[bot]"  # who the workflow's GITHUB_TOKEN posts as
LIMIT = 60000  # both GitHub (65,536) and GitLab (1,000,000) accept this
PER_PAGE = 100
PLATFORMS = ("github", "gitlab")
# platform -> the variables it needs (GitHub Actions sets all but PR_NUMBER and GITHUB_TOKEN,
# which the workflow passes; GitLab CI sets all but the token, a masked CI/CD variable)
VARIABLES = {
    "github": ("GITHUB_API_URL", "GITHUB_REPOSITORY", "PR_NUMBER", "GITHUB_TOKEN"),
    "gitlab": ("CI_API_V4_URL", "CI_PROJECT_ID", "CI_MERGE_REQUEST_IID", "COMPENDIUM_BOT_TOKEN"),
}


class CommentError(RuntimeError):
    pass


def comment_body(diff_dir: Path, langs: tuple[str, ...] = LANGUAGES) -> str:
    parts = []
    for lang in langs:
        path = Path(diff_dir) / report_name("md", lang)
        if not path.is_file():
            raise CommentError(f"{path}: no such summary (expected the output of make diff)")
        parts.append(path.read_text(encoding="utf-8").strip())
    body = MARKER + "\n" + "\n\n---\n\n".join(parts) + "\n"
    if len(body) > LIMIT:
        body = body[: LIMIT - 200] + "\n\n…(truncated; see the diff artifact for the full report)\n"
    return body


Request = Callable[[str, str, dict[str, Any] | None], Any]


def http_request(headers: Mapping[str, str]) -> Request:
    """A JSON-over-HTTP(S) caller sending ``headers`` (the authentication) with each request."""

    def call(method: str, url: str, data: dict[str, Any] | None) -> Any:
        body = json.dumps(data).encode("utf-8") if data is not None else None
        req = urllib.request.Request(url, data=body, method=method)
        for name, value in headers.items():
            req.add_header(name, value)
        req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 (http(s) only, checked)
                raw = resp.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace").strip()
            raise CommentError(
                f"{method} {url}: HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "")
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise CommentError(f"{method} {url}: {reason}") from exc
        try:
            return json.loads(raw or "null")
        except json.JSONDecodeError as exc:
            raise CommentError(f"{method} {url}: the answer is not JSON ({exc})") from exc

    return call


@dataclass(frozen=True)
class Author:
    """Who the token posts as: only comments by this author are ever edited."""

    login: str  # GitHub login, GitLab username
    id: int | None = None  # None: the login alone (GitHub's github-actions[bot])
    bot: bool = False  # GitHub: the comment's user must also be of type Bot

    def wrote(self, user: Any) -> bool:
        """Whether ``user`` (a comment's ``user`` or a note's ``author``) is this author."""
        if not isinstance(user, dict) or user.get("login", user.get("username")) != self.login:
            return False
        if self.id is not None and user.get("id") != self.id:
            return False
        return not self.bot or user.get("type") == "Bot"


GITHUB_ACTIONS = Author(GITHUB_ACTIONS_BOT, bot=True)


def github_author(api: str, request: Request, env: Mapping[str, str]) -> Author:
    """The author of the token's comments: ``GET /user`` for a personal or app user token;
    the workflow's GITHUB_TOKEN may not read it (HTTP 403), and posts as github-actions[bot]
    (``COMPENDIUM_BOT_LOGIN`` names another bot, such as a GitHub App's ``name[bot]``)."""
    if env.get("COMPENDIUM_BOT_LOGIN"):
        return Author(
            env["COMPENDIUM_BOT_LOGIN"], bot=env["COMPENDIUM_BOT_LOGIN"].endswith("[bot]")
        )
    try:
        user = request("GET", f"{api.rstrip('/')}/user", None)
    except CommentError:
        return GITHUB_ACTIONS
    if not isinstance(user, dict) or not isinstance(user.get("login"), str):
        return GITHUB_ACTIONS
    uid = user.get("id")
    return Author(user["login"], uid if isinstance(uid, int) else None, user.get("type") == "Bot")


def gitlab_author(api: str, request: Request) -> Author:
    """The token's user (``GET /user``): its notes are the only ones edited."""
    user = request("GET", f"{api.rstrip('/')}/user", None)
    if not (
        isinstance(user, dict)
        and isinstance(user.get("id"), int)
        and isinstance(user.get("username"), str)
    ):
        raise CommentError(
            f"GET {api.rstrip('/')}/user: expected the token's user (id and username)"
        )
    return Author(user["username"], user["id"])


def upsert(
    list_url: str,
    create_url: str,
    item_url: Callable[[Any], str],
    update: str,
    body: str,
    request: Request,
    own: Callable[[dict[str, Any]], bool],
) -> str:
    """Update the first comment that ``own`` accepts (ours: the token's author) and that
    carries the marker, else create one: 'updated' or 'created'. A comment by anyone
    else is never edited, whatever it contains."""
    page = 1
    sep = "&" if "?" in list_url else "?"
    while True:
        items = request("GET", f"{list_url}{sep}per_page={PER_PAGE}&page={page}", None) or []
        if not isinstance(items, list):
            raise CommentError(f"GET {list_url}: expected a list of comments")
        for item in items:
            if (
                isinstance(item, dict)
                and isinstance(item.get("body"), str)
                and MARKER in item["body"]
                and own(item)
            ):
                request(update, item_url(item["id"]), {"body": body})
                return "updated"
        if len(items) < PER_PAGE:
            break
        page += 1
    request("POST", create_url, {"body": body})
    return "created"


def upsert_gitlab_note(
    api: str, project: str, mr_iid: str, body: str, request: Request, author: Author
) -> str:
    """Create or update the merge request's summary note; returns 'created' or 'updated'."""
    project_q = urllib.parse.quote(project, safe="")
    base = f"{api.rstrip('/')}/projects/{project_q}/merge_requests/{mr_iid}/notes"

    def own(note: dict[str, Any]) -> bool:
        return not note.get("system") and author.wrote(note.get("author"))

    return upsert(base, base, lambda nid: f"{base}/{int(nid)}", "PUT", body, request, own)


def upsert_github_comment(
    api: str, repo: str, number: str, body: str, request: Request, author: Author
) -> str:
    """Create or update the pull request's summary comment; returns 'created' or 'updated'."""
    root = f"{api.rstrip('/')}/repos/{repo}/issues"
    base = f"{root}/{number}/comments"

    def own(comment: dict[str, Any]) -> bool:
        return author.wrote(comment.get("user"))

    return upsert(
        base, base, lambda cid: f"{root}/comments/{int(cid)}", "PATCH", body, request, own
    )


def post(platform: str, body: str, env: Mapping[str, str], request: Request | None = None) -> str:
    """Post or update the comment on ``platform`` with the CI variables in ``env``."""
    if platform not in VARIABLES:
        raise CommentError(
            f"unknown platform '{platform}' (expected one of: {', '.join(PLATFORMS)})"
        )
    values = {k: env.get(k, "") for k in VARIABLES[platform]}
    if platform == "github" and not values["PR_NUMBER"]:
        values["PR_NUMBER"] = _event_number(env.get("GITHUB_EVENT_PATH", ""))
    missing = [k for k, v in values.items() if not v]
    if missing:
        raise CommentError(f"missing CI variables: {', '.join(missing)}")
    api, project, number, token = values.values()
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", api):
        raise CommentError(f"{VARIABLES[platform][0]} must be an http(s) URL, got '{api}'")
    if not re.fullmatch(r"\d+", number):
        raise CommentError(f"{VARIABLES[platform][2]} must be a number, got '{number}'")
    if platform == "github":
        if not re.fullmatch(r"[\w.-]+/[\w.-]+", project):
            raise CommentError(f"GITHUB_REPOSITORY must be <owner>/<name>, got '{project}'")
        request = request or http_request(
            {
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
            }
        )
        author = github_author(api, request, env)
        return upsert_github_comment(api, project, number, body, request, author)
    request = request or http_request({"PRIVATE-TOKEN": token})
    return upsert_gitlab_note(api, project, number, body, request, gitlab_author(api, request))


def _event_number(path: str) -> str:
    """The pull-request number in the GitHub event file, or ''."""
    try:
        event = json.loads(Path(path).read_text(encoding="utf-8")) if path else {}
    except (OSError, ValueError):
        return ""
    number = (event.get("pull_request") or {}).get("number") if isinstance(event, dict) else None
    return str(number) if isinstance(number, int) else ""
