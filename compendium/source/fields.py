"""What every part of the loader shares: the load context (the tree being read and
the problems found) and the checks of single fields, each reporting
``path:line: message`` instead of raising.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from compendium import LANGUAGES
from compendium.source.encoding import decode_message
from compendium.source.problems import Problems
from compendium.source.tree import Tree
from compendium.source.yamlsrc import (
    INVISIBLE_RE,
    LINE_BREAK_RE,
    Document,
    Lines,
    YamlError,
    char_name,
    load_yaml,
    split_front_matter,
    type_name,
)

# Validating patterns match the whole value: `\Z`, never `$`, which also matches before
# a final newline ("scope\n" would pass). ID_PATTERN is shared with the JSON Schemas.
ID_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ID_RE = re.compile(rf"\A{ID_PATTERN}\Z")
RESERVED_PREFIXES = ("ch-", "sec-", "art-")


@dataclass
class LoadContext:
    """The tree being loaded and the problems found so far."""

    tree: Tree
    problems: Problems
    repealed: dict[tuple[str, str], dt.date] = field(default_factory=dict)  # (manifest, id)

    def display(self, rel: str) -> str:
        return f"{self.tree.display_root}/{rel}" if self.tree.display_root else rel


def report_refused(ctx: LoadContext, refused: list[tuple[str, str]]) -> None:
    """An error for each entry the tree refused to read (a symbolic link, a hard link,
    a named pipe, a submodule; see ``compendium.source.tree.refusal``)."""
    for rel, message in refused:
        ctx.problems.error(ctx.display(rel) if rel else ctx.tree.display_root, 1, message)


def read_yaml_file(ctx: LoadContext, rel: str) -> tuple[Any, Lines] | None:
    """The YAML file ``rel`` and its line map, or None (the problem reported)."""
    try:
        return load_yaml(ctx.tree.read(rel))
    except YamlError as exc:
        ctx.problems.error(ctx.display(rel), exc.line, exc.message)
    except UnicodeDecodeError as exc:
        ctx.problems.error(ctx.display(rel), *decode_message(exc))
    return None


def read_front_matter(ctx: LoadContext, rel: str) -> Document | None:
    """The Markdown file ``rel`` split into front-matter and body, or None (reported)."""
    path = ctx.display(rel)
    try:
        return split_front_matter(ctx.tree.read(rel))
    except YamlError as exc:
        ctx.problems.error(path, exc.line, exc.message)
    except UnicodeDecodeError as exc:
        ctx.problems.error(path, *decode_message(exc))
    return None


def check_fields(
    ctx: LoadContext,
    path: str,
    meta: dict[str, Any],
    lines: Lines,
    where: tuple[str | int, ...],
    required: Iterable[str],
    optional: Iterable[str],
) -> None:
    allowed = set(required) | set(optional)
    for key, value in meta.items():
        if key not in allowed:
            ctx.problems.error(
                path,
                lines(*where, key),
                f"unknown field '{key}' (expected one of: {', '.join(sorted(allowed))})",
            )
        elif value is None:  # `key:` with nothing after it: not the same as leaving it out
            ctx.problems.error(
                path,
                lines(*where, key),
                f"field '{key}' has no value (expected a value after '{key}:', or remove the line)",
            )
    for key in required:
        if key not in meta:
            desc = required[key] if isinstance(required, dict) and required[key] else None
            ctx.problems.error(
                path,
                lines(*where),
                f"missing field '{key}'" + (f" (expected {desc})" if desc else ""),
            )


def check_id(ctx: LoadContext, path: str, line: int, value: Any, what: str) -> bool:
    if not isinstance(value, str) or not ID_RE.fullmatch(value):
        ctx.problems.error(
            path,
            line,
            f"invalid {what} {type_name(value)} (expected lower-case letters, digits and hyphens, e.g. 'data-backup')",
        )
        return False
    if value.startswith(RESERVED_PREFIXES):
        ctx.problems.error(
            path,
            line,
            f"invalid {what} '{value}': ids must not start with {', '.join(RESERVED_PREFIXES)}",
        )
        return False
    return True


def one_line_problem(value: Any, what: str) -> str | None:
    """Why ``value``, a field that is one line in the model (a caption, title, name,
    code), is refused: a line break or an invisible character; else None."""
    if not isinstance(value, str):
        return None
    if m := LINE_BREAK_RE.search(value):
        return (
            f"{what} must be one line, but holds a line break ({char_name(m.group(0))}) "
            "(expected the text on one line: no '|' or '>' block, no \\n, no line separator)"
        )
    if m := INVISIBLE_RE.search(value):
        return (
            f"{what} holds the invisible character {char_name(m.group(0))} (expected only "
            "characters that show: delete it, or write a plain space or hyphen)"
        )
    return None


def check_one_line(ctx: LoadContext, path: str, line: int, value: Any, what: str) -> bool:
    """Report a line break in a one-line field (a caption, title, name, code, ...)."""
    if message := one_line_problem(value, what):
        ctx.problems.error(path, line, message)
        return False
    return True


def text_value(
    ctx: LoadContext, path: str, line: int, value: Any, what: str, one_line: bool = True
) -> str | None:
    """``value`` when it is text (one line, for a field that is one line in the model);
    else None, the problem reported."""
    if not isinstance(value, str):
        ctx.problems.error(path, line, f"{what} must be text, got {type_name(value)}")
        return None
    if one_line and not check_one_line(ctx, path, line, value, what):
        return None
    return value


def localized(ctx: LoadContext, path: str, value: Any, line: int, what: str) -> dict[str, str]:
    """A one-line text per language (a title, a name)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        ctx.problems.error(
            path,
            line,
            f"{what} must give the text per language ({', '.join(LANGUAGES)}), got {type_name(value)}",
        )
        return {}
    out = {}
    for lang in LANGUAGES:
        v = value.get(lang)
        if not isinstance(v, str) or not v.strip():
            ctx.problems.error(
                path, line, f"{what} has no {lang} text (expected a '{lang}:' entry)"
            )
        else:
            check_one_line(ctx, path, line, v, f"{what} ({lang})")
            out[lang] = v
    for k in value:
        if k not in LANGUAGES:
            ctx.problems.error(
                path,
                line,
                f"{what} has unknown language '{k}' (expected one of: {', '.join(LANGUAGES)})",
            )
    return out


def string_field(
    ctx: LoadContext, path: str, meta: dict[str, Any], lines: Lines, key: str
) -> str | None:
    v = meta.get(key)
    if v is None:
        return None
    if not isinstance(v, str):
        hint = f' (quote it: "{v}")' if isinstance(v, (int, float)) else ""
        ctx.problems.error(
            path, lines(key), f"field '{key}' must be text, got {type_name(v)}{hint}"
        )
        return str(v)
    check_one_line(ctx, path, lines(key), v, f"field '{key}'")
    return v


def str_list(
    ctx: LoadContext, path: str, meta: dict[str, Any], lines: Lines, key: str
) -> list[str]:
    v = meta.get(key)
    if v is None:
        return []
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        ctx.problems.error(path, lines(key), f"field '{key}' must be a list of text notes")
        return []
    return v


def date_field(
    ctx: LoadContext,
    path: str,
    meta: dict[str, Any],
    lines: Lines,
    key: str,
    where: tuple[str | int, ...] = (),
) -> dt.date | None:
    v = meta.get(key)
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            pass
    ctx.problems.error(
        path,
        lines(*where, key),
        f"field '{key}' must be a valid date YYYY-MM-DD, got {type_name(v)}",
    )
    return None
