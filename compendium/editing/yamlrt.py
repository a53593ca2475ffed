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
from difflib import SequenceMatcher
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
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
            self.body, self.before = body, self._dump()
        except YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 + self.head.count("\n") if mark else 1
            raise YamlEditError(line, str(getattr(exc, "problem", None) or exc)) from None
        except RecursionError:
            raise YamlEditError(
                1, "the YAML is nested too deeply (expected a few levels)"
            ) from None
        if not isinstance(self.data, dict):
            raise YamlEditError(1, "expected a YAML mapping")

    def _dump(self) -> str:
        out = io.StringIO()
        self.yaml.dump(self.data, out)
        return out.getvalue()

    def text(self) -> str:
        after = _carry(self.body, self.before, self._dump())
        return (self.head + after + self.tail).replace("\n", self.newline)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


_COMMENT = re.compile(r"(\s+)(#[^'\"]*)$")  # a comment after a value (no quote: not in a string)


def _gap(original: str, line: str) -> str:
    """``line`` with the spaces before its comment as in ``original``."""
    m = _COMMENT.search(original)
    if m and line.endswith(m.group(2)) and line[: -len(m.group(2))].strip():
        return line[: -len(m.group(2))].rstrip() + m.group(1) + m.group(2)
    return line


def _carry(original: str, before: str, after: str) -> str:
    """The change from dump ``before`` to dump ``after`` made to ``original``, the text
    as written (ruamel writes one indentation per file and moves comments), or
    ``after`` when the change cannot be placed."""
    o, b, e = (t.split("\n") for t in (original, before, after))
    pos: dict[int, int] = {}  # line of ``before`` -> the same line (bar spacing) of ``original``
    bare = [" ".join(x.split()) for x in b], [" ".join(x.split()) for x in o]
    same = SequenceMatcher(None, *bare, autojunk=False)
    for i, j, n in same.get_matching_blocks():
        pos.update({i + k: j + k for k in range(n)})
    out, done = [], 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, b, e, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        anchor = i1 if tag != "insert" else i1 - 1
        start = pos.get(i1, len(o)) if tag != "insert" else pos.get(i1 - 1, -2) + 1
        last = pos.get(i2 - 1) if i2 > i1 else start - 1
        if anchor not in pos or start < done or last != start + i2 - i1 - 1:
            return after
        shift = _indent(o[pos[anchor]]) - _indent(b[anchor])
        new = [" " * max(0, _indent(x) + shift) + x.lstrip(" ") if x else x for x in e[j1:j2]]
        if i2 - i1 == j2 - j1:  # lines changed in place keep their comment's spacing
            new = [_gap(o[start + k], x) for k, x in enumerate(new)]
        out += o[done:start] + new
        done = start + i2 - i1
    return "\n".join(out + o[done:])


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
    lines_after = _take_after(*_last(mapping, after)) if after in keys else ""
    mapping.insert(keys.index(after) + 1 if after in keys else 0, key, value)
    _give_after(*_last(mapping, key), lines_after)


def rename_key(mapping: Any, old: str, new: str) -> None:
    """Rename the key ``old`` of ``mapping`` in place, with its comments."""
    at = list(mapping).index(old)
    comments = mapping.ca.items.pop(old, None)
    mapping.insert(at, new, mapping.pop(old))
    if comments is not None:
        mapping.ca.items[new] = comments


def _last(container: Any, at: Any) -> tuple[Any, Any]:
    """The container and key of the last line of ``container[at]`` (where ruamel
    keeps the comments and blank lines that follow it)."""
    holder, key = container, at
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


_SCALAR = YAML()
_SCALAR.width, _SCALAR.default_flow_style = 1 << 20, True
_ANALYSIS = Emitter(io.StringIO(), allow_unicode=True)


def scalar(value: str) -> str:
    """``value`` as a YAML scalar for a block or a flow context: plain when ruamel.yaml
    may write it plain and PyYAML (YAML 1.1, the validator: ``no`` is false there)
    reads it back the same, else double-quoted."""
    if _ANALYSIS.analyze_scalar(value).allow_flow_plain and _reads(value) == value:
        return value
    out = io.StringIO()
    _SCALAR.dump([DoubleQuotedScalarString(value)], out)
    return out.getvalue().rstrip("\n")[1:-1]


def _reads(text: str) -> Any:
    try:
        return yaml.safe_load(f"[{text}]")[0]
    except yaml.YAMLError:
        return None
