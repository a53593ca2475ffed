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
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

_FENCE = re.compile(r"^---[ \t]*\r?\n", re.M)


class YamlEditError(ValueError):
    """A document that cannot be edited: ``line: message``."""

    def __init__(self, line: int, message: str):
        super().__init__(f"{line}: {message}")
        self.line, self.message = line, message


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
        self.yaml = YAML()
        self.yaml.preserve_quotes = True
        self.yaml.width = 1 << 20  # never fold a long line
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


def _note(line: str) -> bool:
    return not line.strip() or line.lstrip().startswith("#")


def _carry(original: str, before: str, after: str) -> str:
    """The change from dump ``before`` to dump ``after`` made to ``original``, the text
    as written (ruamel writes one indentation per file and keeps the comments and
    blank lines after an entry with it), or ``after`` when the change cannot be placed."""
    o, b, e = (t.split("\n") for t in (original, before, after))
    pos: dict[int, int] = {}  # line of ``before`` -> the same line (bar spacing) of ``original``
    bare = ["".join(x.split()) for x in b], ["".join(x.split()) for x in o]
    for i, j, n in SequenceMatcher(None, *bare, autojunk=False).get_matching_blocks():
        pos.update({i + k: j + k for k in range(n)})
    out, done = [], 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, b, e, autojunk=False).get_opcodes():
        while tag == "delete" and i2 > i1 and _note(b[i2 - 1]):
            i2 -= 1  # the comments after a removed entry belong to the next one
        while tag == "insert" and i1 > 1 and _note(b[i1 - 1]):
            i1, i2 = i1 - 1, i2 - 1  # a new entry goes before the next one's comments
        if tag == "equal" or (i1 == i2 and j1 == j2):
            continue
        lead = _indent(e[j1]) if tag == "insert" else -1
        siblings = (k for k in range(i1 - 1, 0, -1) if not _note(b[k]) and _indent(b[k]) == lead)
        anchor = next(siblings, i1 - 1) if tag == "insert" else i1
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
    mapping.insert(keys.index(after) + 1 if after in keys else 0, key, value)


def rename_key(mapping: Any, old: str, new: str) -> None:
    """Rename the key ``old`` of ``mapping`` in place, with its comments."""
    at = list(mapping).index(old)
    comments = mapping.ca.items.pop(old, None)
    mapping.insert(at, new, mapping.pop(old))
    if comments is not None:
        mapping.ca.items[new] = comments


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
