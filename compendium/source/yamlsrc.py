"""YAML and front-matter parsing that remembers the line of every value.

``load_yaml`` returns plain Python data plus a ``Lines`` map from a key path
(``("chapters", 0, "articles", 2)``) to the 1-based line in the file, so that
validation can say exactly where a problem is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from compendium.source.chars import BIDI_RE, CONTROL_RE, char_name
from compendium.source.problems import shown

try:  # the C loader is several times faster on large compendiums
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path = tuple[Any, ...]


@dataclass
class Lines:
    """Line numbers of the values of one YAML document."""

    offset: int = 0
    where: dict[Path, int] = field(default_factory=dict)

    def __call__(self, *path: Any) -> int:
        """The line of ``path``, or of its nearest ancestor that has one."""
        p: Path = tuple(path)
        while p:
            if p in self.where:
                return self.where[p] + self.offset
            p = p[:-1]
        return self.where.get((), 0) + self.offset if self.where else 1 + self.offset


class YamlError(ValueError):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(f"{line}: {message}")


_TIMESTAMP = "tag:yaml.org,2002:timestamp"

MAX_YAML_CHARS = 1_000_000  # one YAML document; the largest real one is about 20,000
MAX_FIELD_CHARS = 20_000  # one text value; real notes and titles are under 1,000
MAX_YAML_DEPTH = 20  # lists and mappings inside each other; real files use at most 6

BOM_MESSAGE = (
    "the file starts with a byte order mark (BOM) "
    "(expected UTF-8 without BOM; save it again without the BOM)"
)


def control_chars(text: str) -> Iterator[tuple[int, str]]:
    """``(line offset, message)`` for each line of ``text`` with a control character."""
    seen: set[int] = set()
    for m in CONTROL_RE.finditer(text):
        offset = text.count("\n", 0, m.start())
        if offset in seen:
            continue
        seen.add(offset)
        if BIDI_RE.match(m.group(0)):
            yield (
                offset,
                f"bidirectional control character {char_name(m.group(0))} is not allowed: "
                "it shows the text in another order than it is written (expected text "
                "without it; delete the invisible character on this line)",
            )
            continue
        yield (
            offset,
            (
                f"control character {char_name(m.group(0))} is not allowed "
                "(expected printable text; delete the invisible character on this line)"
            ),
        )


def _check_events(text: str) -> None:
    """Anchors and aliases, and nesting deeper than ``MAX_YAML_DEPTH``, are refused
    from the event stream, before anything is built: an alias bomb expands, and
    deep nesting recurses, only while the document is constructed."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        mark = event.start_mark  # the parser sets it on every event
        line = mark.line + 1 if mark is not None else 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlError(
                line,
                "YAML anchors and aliases are not allowed (expected every value written out "
                "in full; remove the '&name' / '*name')",
            )
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise YamlError(
                    line,
                    f"lists and mappings nested more than {MAX_YAML_DEPTH} levels "
                    f"(expected at most {MAX_YAML_DEPTH} levels of '[', '{{' or indentation)",
                )
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def _construct(loader: Any, node: yaml.Node, path: Path, lines: Lines) -> Any:
    lines.where.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _construct(loader, key_node, path, Lines())
            if isinstance(key, (list, dict)):
                raise YamlError(key_node.start_mark.line + 1, "a key must be a plain value")
            if key in out:
                raise YamlError(key_node.start_mark.line + 1, f"duplicate key '{shown(str(key))}'")
            lines.where[path + (key,)] = key_node.start_mark.line + 1
            out[key] = _construct(loader, value_node, path + (key,), lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, v, path + (i,), lines) for i, v in enumerate(node.value)]
    if node.tag == _TIMESTAMP:
        try:
            return loader.construct_object(node, deep=True)
        except ValueError:
            return node.value  # looks like a date but is not one: validation says so
    if isinstance(node, yaml.ScalarNode) and len(node.value) > MAX_FIELD_CHARS:
        raise YamlError(
            node.start_mark.line + 1,
            f"the text is {len(node.value):,} characters long "
            f"(expected at most {MAX_FIELD_CHARS:,} in one field)",
        )
    value = loader.construct_object(node, deep=True)
    if isinstance(value, str):  # an escape ("\\u202e", "\\x01") writes what CONTROL_RE finds
        for _offset, message in control_chars(value):
            raise YamlError(node.start_mark.line + 1, message + " (written as an escape)")
    return value


def load_yaml(text: str, offset: int = 0) -> tuple[Any, Lines]:
    """Parse one YAML document; raise ``YamlError`` with the file line on failure.

    ``offset`` is added to every line (front-matter starts below the ``---``).
    """
    lines = Lines(offset=offset)
    if offset == 0 and text.startswith("\ufeff"):
        raise YamlError(1, BOM_MESSAGE)
    if len(text) > MAX_YAML_CHARS:
        raise YamlError(
            1 + offset,
            f"the YAML is {len(text):,} characters long (expected at most {MAX_YAML_CHARS:,})",
        )
    for line_offset, message in control_chars(text):
        raise YamlError(line_offset + 1 + offset, message)
    try:
        _check_events(text)
    except yaml.MarkedYAMLError:
        pass  # reported with its line below
    except YamlError as exc:
        raise YamlError(exc.line + offset, exc.message) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, lines
        return _construct(loader, node, (), lines), lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + offset
        message = f"malformed YAML: {exc.problem or exc.context}"
        if exc.context and exc.context_mark and exc.problem_mark:
            message += f" ({exc.context} started at line {exc.context_mark.line + 1 + offset})"
        raise YamlError(line, message) from None
    except YamlError as exc:
        raise YamlError(exc.line + offset, exc.message) from None
    except yaml.YAMLError as exc:  # e.g. a reader error without a mark
        raise YamlError(1 + offset, f"malformed YAML: {exc}") from None
    finally:
        loader.dispose()


# Front-matter: from a first line '---' to the first line that is '---' or '...' (a YAML
# document end), as MkDocs reads it too; the build renders the body this split returns
# (the hook replaces MkDocs' own split), so what is checked is what is rendered.
_FRONT_START = re.compile(r"---[ \t]*\r?(?:\n|\Z)")
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)^(---|\.\.\.)[ \t]*\r?$\n?", re.S | re.M)


@dataclass
class Document:
    """A Markdown file split into front-matter and body."""

    meta: dict[str, Any]
    lines: Lines
    body: str
    body_line: int  # line number of the first body line


def split_front_matter(text: str) -> Document:
    """Split ``text`` into its YAML front-matter and Markdown body.

    Raises ``YamlError`` when the front-matter is missing, malformed or not a mapping.
    """
    if text.startswith("\ufeff"):
        raise YamlError(
            1,
            "the file starts with a byte order mark (BOM) before the front-matter "
            "(expected UTF-8 without BOM, '---' as the very first characters)",
        )
    m = _FRONT.match(text)
    if not m:
        raise YamlError(1, "expected YAML front-matter between '---' lines at the top of the file")
    if m.group(2) != "---":
        raise YamlError(
            text.count("\n", 0, m.start(2)) + 1,
            "the front-matter ends with '...' (expected a line '---' to end it; "
            "the lines after '...' would be read as the page's text)",
        )
    data, lines = load_yaml(m.group(1), offset=1)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise YamlError(2, f"front-matter must be a mapping of fields, got {type_name(data)}")
    body_line = text.count("\n", 0, m.end()) + 1
    return Document(data, lines, text[m.end() :], body_line)


def page_document(text: str) -> Document:
    """A page as the build renders it: its front-matter, when its first line is ``---``,
    and its body; otherwise no fields and the whole text as body.

    MkDocs' other header style (``key: value`` lines without ``---``) is not read: such
    lines are text, and validation refuses them at the top of a page.
    """
    if _FRONT_START.match(text):
        return split_front_matter(text)
    return Document({}, Lines(), text, 1)


def type_name(value: Any) -> str:
    """A reader's name for the type of ``value``, used in messages."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dt.datetime):
        return f"the timestamp {value.isoformat(sep=' ')}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"'{shown(str(value))}'"
