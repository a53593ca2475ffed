"""Round-trip edits of YAML written by people (ruamel.yaml).

A :class:`Document` is a YAML file (``roles.yml``, ``packs.yml``) or the
front-matter of a Markdown page. Its ``data`` is changed like plain lists and
dicts; :meth:`Document.text` writes it back with the comments, key order,
flow/block style, quoting, indentation and line ends as they were: only the
changed values differ. Reading for validation stays with
:mod:`compendium.source.yamlsrc`.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.tokens import CommentToken

_FENCE = re.compile(r"^---[ \t]*\r?\n", re.M)
_KEY_ONLY = re.compile(r"^( *)(- )?[^#\s][^#]*:[ \t]*(#.*)?$")


class YamlEditError(ValueError):
    """A document that cannot be edited: ``line: message``."""

    def __init__(self, line: int, message: str):
        super().__init__(f"{line}: {message}")
        self.line, self.message = line, message


def _indents(text: str) -> tuple[int, int]:
    """The mapping indent and the block-list offset the author used (default 2, 2)."""
    mapping = offset = None
    lines = [ln for ln in text.split("\n") if ln.strip() and not ln.lstrip().startswith("#")]
    for line, following in zip(lines, lines[1:], strict=False):
        m = _KEY_ONLY.match(line)
        if not m:
            continue
        parent = len(m.group(1)) + (2 if m.group(2) else 0)
        delta = len(following) - len(following.lstrip(" ")) - parent
        if following.lstrip(" ").startswith("- "):
            offset = delta if offset is None and delta >= 0 else offset
        elif mapping is None and delta > 0:
            mapping = delta
    return mapping or 2, 2 if offset is None else offset


class Document:
    """``text`` (a YAML file, or a page whose front-matter is edited) ready to edit."""

    def __init__(self, text: str, front_matter: bool = False):
        self.newline = "\r\n" if "\r\n" in text else "\n"
        text = text.replace("\r\n", "\n")
        self.head, self.tail, body = "", "", text
        if front_matter:
            fences = list(_FENCE.finditer(text))
            if not fences or fences[0].start() != 0 or len(fences) < 2:
                raise YamlEditError(1, "expected YAML front-matter between '---' lines at the top")
            self.head, body = text[: fences[0].end()], text[fences[0].end() : fences[1].start()]
            self.tail = text[fences[1].start() :]
        mapping, offset = _indents(body)
        self.yaml = YAML()
        self.yaml.preserve_quotes = True
        self.yaml.width = 1 << 20  # never fold a long line
        self.yaml.indent(mapping=mapping, sequence=offset + 2, offset=offset)
        try:
            self.data: Any = self.yaml.load(body)
        except YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 + self.head.count("\n") if mark else 1
            raise YamlEditError(line, str(getattr(exc, "problem", None) or exc)) from None
        if not isinstance(self.data, dict):
            raise YamlEditError(1, "expected a YAML mapping")

    def text(self) -> str:
        out = io.StringIO()
        self.yaml.dump(self.data, out)
        return (self.head + out.getvalue() + self.tail).replace("\n", self.newline)


def flow_list(*items: Any) -> CommentedSeq:
    """A list written ``[a, b]``."""
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def flow_map(**items: Any) -> CommentedMap:
    """A mapping written ``{key: value, ...}``."""
    mapping = CommentedMap(items)
    mapping.fa.set_flow_style()
    return mapping


def put_after(mapping: Any, after: str, key: str, value: Any) -> None:
    """Set ``mapping[key]``; a new key goes right after ``after`` (else first)."""
    if key in mapping:
        mapping[key] = value
        return
    keys = list(mapping)
    mapping.insert(keys.index(after) + 1 if after in keys else 0, key, value)


def _last(seq: Any, index: int) -> tuple[Any, Any]:
    """The container and key of the last line of list item ``index`` (where ruamel
    keeps the comments and blank lines that follow the item)."""
    holder, key = seq, index
    value = holder[key]
    while isinstance(value, CommentedMap | CommentedSeq) and value and not value.fa.flow_style():
        holder, key = (
            value,
            (list(value)[-1] if isinstance(value, CommentedMap) else len(value) - 1),
        )
        value = holder[key]
    return holder, key


def _take_after(holder: Any, key: Any) -> str:
    """Remove and return the lines after ``holder[key]``'s own line (comments, blanks)."""
    pos = 2 if isinstance(holder, CommentedMap) else 0
    token = (holder.ca.items.get(key) or [None] * 4)[pos]
    if token is None or "\n" not in token.value:
        return ""
    own, after = token.value.split("\n", 1)
    if own.strip():
        token.value = own + "\n"
    else:
        holder.ca.items[key][pos] = None
    return str(after)


def _give_after(holder: Any, key: Any, after: str) -> None:
    if not after:
        return
    pos = 2 if isinstance(holder, CommentedMap) else 0
    slot = holder.ca.items.setdefault(key, [None] * 4)
    if slot[pos] is None:
        slot[pos] = CommentToken("\n" + after, CommentMark(0))
    else:
        slot[pos].value += after


def insert_item(seq: Any, index: int, value: Any) -> None:
    """``seq.insert(index, value)``; what followed the last item stays after the list."""
    at_end = index >= len(seq) and len(seq) > 0 and not seq.fa.flow_style()
    after = _take_after(*_last(seq, len(seq) - 1)) if at_end else ""
    seq.insert(index, value)
    _give_after(*_last(seq, len(seq) - 1), after)


def delete_item(seq: Any, index: int) -> None:
    """``del seq[index]``; what followed the last item stays after the list."""
    last = index == len(seq) - 1 and index > 0 and not seq.fa.flow_style()
    after = _take_after(*_last(seq, index)) if last else ""
    del seq[index]
    if last:
        _give_after(*_last(seq, index - 1), after)
