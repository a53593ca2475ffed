"""Variables given to ``make`` on its command line, validated before use.

Make puts command-line variables into the environment of every recipe. The
recipes never splice them into shell text: they run ``scripts/make_target.py
<target>``, which reads the variables from the environment, checks each one
against what it may be (a git ref name, a version, an id, a known option) and
turns them into one argument list for the target's script. No shell ever sees
a value, so quotes, ``$(...)``, ``;`` and braces in a value are just characters.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from compendium.changes.git import VERSION_RE
from compendium.changes.outputs import OUTPUT_NAMES
from compendium.source.fields import date_value
from compendium.source.loader import ID_EXPECTED, is_id
from compendium.source.paths import ALLOW_OUTSIDE, PathRefused, check_input, check_output

# A relative path made of plain name characters (output folders, article paths).
SAFE_PATH_RE = re.compile(r"\A(?!-)(?!/)[A-Za-z0-9._/-]+\Z")
DIFF_FORMATS = tuple(OUTPUT_NAMES)  # the formats of make diff


class MakeVarError(ValueError):
    """A make variable with a value it may not have; ``str()`` is the message."""


def check_ref(name: str, value: str, allow_worktree: bool = False) -> str:
    """A git ref name (branch, tag, release version or commit), per git's own rules,
    never taken for an option."""
    if allow_worktree and value == "WORKTREE":
        return value
    bad = None
    if not value:
        bad = "it is empty"
    elif value.startswith("-"):
        bad = "it starts with '-'"
    elif any(ord(c) < 0x20 or c == "\x7f" for c in value):
        bad = "it contains a control character"
    elif m := re.search(r"[ ~^:?*\[\\]", value):
        bad = f"it contains {m.group(0)!r}"
    elif ".." in value or "@{" in value or "//" in value:
        bad = "it contains '..', '@{' or '//'"
    elif value.endswith((".", "/", ".lock")) or value.startswith("/") or value == "@":
        bad = "it starts or ends with a character git does not allow there"
    elif any(part.startswith(".") for part in value.split("/")):
        bad = "a part of it starts with '.'"
    if bad:
        raise MakeVarError(
            f"{name}={value!r} is not a git ref name ({bad}); expected a release such as "
            "2026.1, a tag, a branch or a commit" + (", or WORKTREE" if allow_worktree else "")
        )
    return value


def check_version(name: str, value: str) -> str:
    if not VERSION_RE.fullmatch(value):
        raise MakeVarError(
            f"{name}={value!r} is not a release version (expected <year>.<n>, e.g. 2026.2)"
        )
    return value


def check_id(name: str, value: str) -> str:
    if not is_id(value):
        raise MakeVarError(f"{name}={value!r} is not an id ({ID_EXPECTED})")
    return value


def check_path(name: str, value: str) -> str:
    if not SAFE_PATH_RE.fullmatch(value) or ".." in value.split("/"):
        raise MakeVarError(
            f"{name}={value!r} is not a plain relative path (expected letters, digits, '.', '_', "
            "'-' and '/', not starting with '-' or '/', without '..')"
        )
    return value


def check_csv(name: str, value: str, allowed: tuple[str, ...]) -> str:
    items = [v for v in value.split(",") if v]
    unknown = [v for v in items if v not in allowed]
    if unknown or not items:
        raise MakeVarError(
            f"{name}={value!r}: unknown value {', '.join(map(repr, unknown)) or '(empty)'} "
            f"(expected a comma-separated list of: {', '.join(allowed)})"
        )
    return ",".join(items)


def check_text(name: str, value: str) -> str:
    """Free text (release notes): any printable text, passed on as one argument."""
    if any(ord(c) < 0x20 and c not in "\n\t" for c in value):
        raise MakeVarError(f"{name} contains a control character (expected plain text)")
    return value


@dataclass(frozen=True)
class Option:
    """One option allowed in an ``*_ARGS`` variable; ``check`` validates its value."""

    takes_value: bool = False
    check: str = ""  # "", "id", "path", "version", "text", "article", "date", "style"


_DATE_RE = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_ARTICLE_RE = re.compile(r"\A(?!-)[A-Za-z0-9._/-]+\Z")
_FILE_PATH_RE = re.compile(r"\A[^\x00-\x1f]+\Z")
_CODE_RE = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9_.-]*\Z")


def check_args(name: str, value: str, allowed: Mapping[str, Option]) -> list[str]:
    """Split ``value`` like a shell would (without running one) and allow only the
    listed options, each value checked."""
    try:
        words = shlex.split(value)
    except ValueError as exc:
        raise MakeVarError(
            f"{name}={value!r}: {exc} (expected options such as {_sample(allowed)})"
        ) from None
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        opt, eq, inline = word.partition("=")
        spec = allowed.get(opt)
        if spec is None:
            raise MakeVarError(
                f"{name}: option {word!r} is not allowed here (expected one of: {_sample(allowed)})"
            )
        out.append(opt)
        if spec.takes_value:
            if eq:
                val = inline
            else:
                i += 1
                if i >= len(words):
                    raise MakeVarError(f"{name}: option {opt} needs a value")
                val = words[i]
            values = [val]
            # --only takes several articles
            while (
                spec.check == "article" and i + 1 < len(words) and not words[i + 1].startswith("-")
            ):
                i += 1
                values.append(words[i])
            for v in values:
                _check_option_value(name, opt, v, spec.check)
            out.extend(values)
        elif eq:
            raise MakeVarError(f"{name}: option {opt} takes no value")
        i += 1
    return out


def _check_option_value(name: str, opt: str, value: str, kind: str) -> None:
    ok = True
    if value.startswith("-"):
        ok = False
    elif kind == "id":
        ok = is_id(value)
    elif kind == "path":
        ok = bool(_FILE_PATH_RE.fullmatch(value))
    elif kind == "article":
        ok = bool(_ARTICLE_RE.fullmatch(value))
    elif kind == "date":
        ok = bool(_DATE_RE.fullmatch(value)) and date_value(value) is not None
    elif kind == "version":
        ok = bool(VERSION_RE.fullmatch(value))
    elif kind == "code":
        ok = bool(_CODE_RE.fullmatch(value))
    elif kind == "text":
        ok = not any(ord(c) < 0x20 and c not in "\n\t" for c in value)
    if not ok:
        raise MakeVarError(
            f"{name}: {opt} {value!r} is not a valid value (expected {_KINDS.get(kind, 'a value')})"
        )


_KINDS = {
    "id": "an id such as hr-dept",
    "path": "a file path",
    "article": "<regulation-id>/<article-id> or an article's path",
    "date": "a date YYYY-MM-DD",
    "version": "a version such as 2026.2",
    "code": "a code such as HR-02",
    "text": "plain text",
}


def _sample(allowed: Mapping[str, Option]) -> str:
    return ", ".join(sorted(allowed))


CHECK_OPTIONS = {"--strict": Option()}
STAMP_OPTIONS = {
    "--all": Option(),
    "--only": Option(True, "article"),
    "--dry-run": Option(),
    "--check-drift": Option(),
}
RELEASE_OPTIONS = {
    "--dry-run": Option(),
    ALLOW_OUTSIDE: Option(),
    "--notes-file": Option(True, "path"),
    "--notes-out": Option(True, "path"),
}
IMPORT_OPTIONS = {
    "--code": Option(True, "code"),
    "--title-zh": Option(True, "text"),
    "--title-en": Option(True, "text"),
    "--owner": Option(True, "id"),
    "--version": Option(True, "text"),
    "--effective": Option(True, "date"),
    "--style": Option(True, "text"),
    "--english": Option(True, "path"),
    "--ids": Option(True, "text"),
    "--clean-scrape": Option(),
    "--fix-traditional": Option(),
    "--fullwidth-punct": Option(),
    "--drop-incomplete": Option(),
    "--link-references": Option(),
    "--no-roles": Option(),
    "--accept-anomalies": Option(),
    "--update": Option(),
    "--missing": Option(True, "text"),
    "--force": Option(),
    "--dry-run": Option(),
}
DIFF_OPTIONS = {"--strict": Option(), "--lang": Option(True, "text"), ALLOW_OUTSIDE: Option()}
# Options naming a file or folder: checked by the one path rule (compendium.source.paths).
PATH_OPTIONS: dict[str, Callable[..., Path]] = {
    "--notes-file": check_input,
    "--notes-out": check_output,
}


def _paths(name: str, args: list[str], root: Path) -> list[str]:
    """``args`` with each path option checked by the path rule (inside the repository
    ``root``, outputs never in docs/ or .git/; ``--allow-outside`` lifts the first)."""
    outside = ALLOW_OUTSIDE in args
    for opt, value in zip(args, args[1:], strict=False):
        if opt in PATH_OPTIONS:
            try:
                PATH_OPTIONS[opt](f"{name}: {opt}", value, root, allow_outside=outside, base=root)
            except PathRefused as exc:
                raise MakeVarError(str(exc)) from None
    return args


def _out(value: str, root: Path, allow_outside: bool) -> str:
    check_path("OUT", value)
    try:
        check_output("OUT", value, root, allow_outside=allow_outside, base=root)
    except PathRefused as exc:
        raise MakeVarError(str(exc)) from None
    return value


def arguments(target: str, env: Mapping[str, str], root: Path | None = None) -> list[str]:
    """The argument list of ``target``'s script, built from the make variables in ``env``;
    paths are relative to ``root``, the repository (default: the current folder).

    Raises ``MakeVarError`` with a message naming the variable when a value is wrong.
    """
    top = root if root is not None else Path.cwd()

    def get(key: str) -> str:
        return env.get(key, "")

    if target == "check":
        return check_args("CHECK_ARGS", get("CHECK_ARGS"), CHECK_OPTIONS)
    if target == "drift":
        return ["--check-drift"]
    if target == "stamp":
        return check_args("STAMP_ARGS", get("STAMP_ARGS"), STAMP_OPTIONS)
    if target == "diff":
        if not get("OLD") or not get("NEW"):
            raise MakeVarError(
                "usage: make diff OLD=<ref> NEW=<ref|WORKTREE> [OUT=build/diff] [FORMATS=html,table,md,json]"
            )
        extra = check_args("DIFF_ARGS", get("DIFF_ARGS"), DIFF_OPTIONS)
        args = [
            check_ref("OLD", get("OLD")),
            check_ref("NEW", get("NEW"), allow_worktree=True),
            "--out",
            _out(get("OUT") or "build/diff", top, ALLOW_OUTSIDE in extra),
        ]
        if get("FORMATS"):
            args += ["--format", check_csv("FORMATS", get("FORMATS"), DIFF_FORMATS)]
        return args + extra
    if target == "release":
        args = [check_version("VERSION", get("VERSION"))] if get("VERSION") else []
        if get("NOTES"):
            args += ["--notes", check_text("NOTES", get("NOTES"))]
        if get("NOTES_EN"):
            args += ["--notes-en", check_text("NOTES_EN", get("NOTES_EN"))]
        extra = check_args("RELEASE_ARGS", get("RELEASE_ARGS"), RELEASE_OPTIONS)
        return args + _paths("RELEASE_ARGS", extra, top)
    if target == "import":
        if not get("SRC") or not get("ID"):
            raise MakeVarError(
                "usage: make import SRC=regulation.txt ID=regulation-id "
                "[IMPORT_ARGS='--code HR-01 --title-en ...']"
            )
        src = get("SRC")
        _check_option_value("SRC", "SRC", src, "path")
        return [src, "--id", check_id("ID", get("ID"))] + check_args(
            "IMPORT_ARGS", get("IMPORT_ARGS"), IMPORT_OPTIONS
        )
    if target == "pytest":
        # Developers' own option list for pytest; split without a shell.
        try:
            return shlex.split(get("PYTEST_ARGS"))
        except ValueError as exc:
            raise MakeVarError(f"PYTEST_ARGS: {exc}") from None
    raise MakeVarError(f"unknown make target '{target}'")
