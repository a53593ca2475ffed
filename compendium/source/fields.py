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
from compendium.source.chars import INVISIBLE_RE, LINE_BREAK_RE, char_name
from compendium.source.encoding import decode_message
from compendium.source.problems import Problems
from compendium.source.tree import Tree
from compendium.source.yamlsrc import (
    Document,
    Lines,
    YamlError,
    load_yaml,
    split_front_matter,
    type_name,
)

# Validating patterns match the whole value: `\Z`, never `$`, which also matches before
# a final newline ("scope\n" would pass). ID_PATTERN is shared with the JSON Schemas.
# One rule for every id (article, chapter, section, regulation, role, pack, make's ID
# and REG): lower-case ASCII words joined by single hyphens, at most MAX_ID_CHARS (an id
# names files: a 250-character pack id made a PDF name longer than the system allows),
# not starting with a prefix of the build's own anchors. ``id_problem`` says why not.
MAX_ID_CHARS = 64
ID_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ID_RE = re.compile(rf"\A(?=.{{1,{MAX_ID_CHARS}}}\Z){ID_PATTERN}\Z", re.S)
RESERVED_PREFIXES = ("ch-", "sec-", "art-")
ID_RULE = (
    f"lower-case letters, digits and single hyphens, at most {MAX_ID_CHARS} characters, "
    f"not starting with {', '.join(RESERVED_PREFIXES)}"
)
ID_EXPECTED = f"expected {ID_RULE}; e.g. 'data-backup'"

# Dates: a real calendar day in these years. A regulation dated 9999 is a typo, and a
# review cycle counted from it runs past the calendar (year 10000 does not exist).
MIN_YEAR, MAX_YEAR = 1900, 2199
_DATE_RE = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
DATE_EXPECTED = f"a valid date YYYY-MM-DD in the years {MIN_YEAR} to {MAX_YEAR}"


def id_problem(value: Any, what: str) -> str | None:
    """Why ``value`` is not a valid ``what`` (an article id, a pack id, ...), or None."""
    if is_id(value):
        return None
    if not isinstance(value, str):
        return f"{what} must be one id (text), got {type_name(value)} ({ID_EXPECTED})"
    long = isinstance(value, str) and len(value) > MAX_ID_CHARS
    size = f" of {len(value):,} characters" if long else ""
    return f"invalid {what} {type_name(value)}{size} ({ID_EXPECTED})"


def is_id(value: Any) -> bool:
    """True when ``value`` follows the id rule (``id_problem`` says why not)."""
    return (
        isinstance(value, str)
        and ID_RE.fullmatch(value) is not None
        and not value.startswith(RESERVED_PREFIXES)
    )


def date_value(value: Any) -> dt.date | None:
    """``value`` (a YAML date or a text YYYY-MM-DD) as a date in the years
    ``MIN_YEAR``..``MAX_YEAR``, or None when it is not one. A timestamp (a date with a
    time of day, ``2026-05-17T10:30:00``) is not a date: which day it means depends on
    the time zone, and every date field holds a day."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value) if _DATE_RE.fullmatch(value) else None
        except ValueError:
            return None
    if isinstance(value, dt.date) and MIN_YEAR <= value.year <= MAX_YEAR:
        return value
    return None


def date_problem(value: Any, what: str) -> str:
    """The message for a ``what`` (such as "field 'effective'") that is not a date."""
    if isinstance(value, dt.datetime):
        return (
            f"{what} must be {DATE_EXPECTED}, got {type_name(value)} "
            f"(expected the day alone, without a time: {value.date().isoformat()})"
        )
    return f"{what} must be {DATE_EXPECTED}, got {type_name(value)}"


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
    """Report ``value`` unless it is a valid ``what`` (``id_problem``)."""
    if message := id_problem(value, what):
        ctx.problems.error(path, line, message)
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
    None when it is absent (None) or not text, the problem reported."""
    if value is None:
        return None
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
    if (day := date_value(v)) is None:
        ctx.problems.error(path, lines(*where, key), date_problem(v, f"field '{key}'"))
    return day
