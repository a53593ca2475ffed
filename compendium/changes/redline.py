"""Redlines: compare two versions of an article text token by token.

Chinese is compared character by character, English word by word (one
tokeniser does both: a run of ASCII letters and digits is one token, every
other non-space character is a token of its own). Whitespace is never a token,
so re-wrapping lines or changing spaces is not a change; ``**``/``__``
emphasis markers are dropped too. The structure of the
text is: a *break* token at the start of every paragraph and list item; it is
compared like text (merging two items is a change) but shows no characters.
List items get the label the site shows (一、 / (1) / 1. ...), read by the rules
of :mod:`compendium.numbering.items` as the site reads them, so the redline
reads like the page.

The result is plain data (lines of runs); templates turn it into HTML or
Markdown.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from compendium import is_default
from compendium.numbering.items import ItemLevels
from compendium.numbering.xref import XREF_RE

TOKEN_RE = re.compile(r"\[\[[^\[\]\n]*\]\]|[A-Za-z0-9]+(?:['’.\-][A-Za-z0-9]+)*|\S")
MARKUP_RE = re.compile(r"\*\*|__")
BLOCK_RE = re.compile(r"^[ \t]*(?:\||>|#{1,6}[ \t])")  # table rows, quotes, headings start a line
EQUAL, DELETE, INSERT = "=", "-", "+"

# A reference ``[[...]]`` -> (value compared, text shown); None leaves it as written.
RefResolver = Callable[[str], "tuple[str, str] | None"]


ITEM, BLOCK, PARA, SOFT = "item", "block", "para", "soft"  # kinds of source line


def _read_lines(body: str, style: str, lang: str) -> Iterator[tuple[str, int, str | None, str]]:
    """``(kind, depth, label, text)`` of each non-blank line of ``body``, read as the
    site reads it (:mod:`compendium.numbering.items`): an item (its depth and label),
    a block line (table row, quote, heading), the first line of a paragraph, or a
    wrapped (soft) line of the one before; ``text`` without markers and emphasis."""
    levels = ItemLevels(style, lang)
    blank = True  # the next text line starts a paragraph
    prose = False  # the last line was a paragraph's, outside any list
    for raw in body.replace("\r\n", "\n").split("\n"):
        if not raw.strip():
            blank, prose = True, False
            continue
        m = None if prose else levels.marker(raw)
        text = MARKUP_RE.sub("", raw[m.end() :] if m else raw.strip())
        prose = False
        if m:
            depth, label = levels.item(m)
            yield ITEM, depth, label, text
        elif BLOCK_RE.match(raw):
            yield BLOCK, 0, None, text
        else:
            if blank:
                levels.paragraph(raw)
            prose = not levels
            yield PARA if blank else SOFT, 0, None, text
        blank = False


class Token(NamedTuple):
    value: str  # what is compared
    text: str  # what is shown
    space: bool = False  # shown with a space before it
    brk: int = 0  # break tokens only: 1 list item or block line, 2 paragraph
    label: str | None = None  # break tokens of list items: the item's label

    @property
    def is_break(self) -> bool:
        return self.brk > 0


@dataclass
class Run:
    op: str  # "=", "-", "+"
    text: str


@dataclass
class Line:
    """One paragraph or list item of a redline."""

    runs: list[Run] = field(default_factory=list)
    label: str | None = None
    label_op: str = EQUAL  # the label itself was deleted or inserted
    para: bool = True  # starts a paragraph (not an item)
    depth: int = 0

    @property
    def changed(self) -> bool:
        return self.label_op != EQUAL or any(r.op != EQUAL for r in self.runs)

    @property
    def plain(self) -> str:
        return "".join(r.text for r in self.runs)


def tokenize(
    body: str, *, style: str, lang: str, resolve: RefResolver | None = None
) -> list[Token]:
    """Tokens of an article body (Markdown) or caption."""
    tokens: list[Token] = []
    for kind, depth, label, rest in _read_lines(body, style, lang):
        soft = kind == SOFT
        if kind == ITEM:
            tokens.append(Token(f"\x00item{depth}", "", brk=1, label=label))
        elif kind == BLOCK:
            tokens.append(Token("\x00block", "", brk=1))
        elif kind == PARA:
            tokens.append(Token("\x00para", "", brk=2))
        prev_end = 0
        zh = is_default(lang)
        for tm in TOKEN_RE.finditer(rest):
            tok = tm.group(0)
            start = tm.start()
            gap = start > prev_end or (soft and prev_end == 0)
            prev_end = tm.end()
            if gap:
                if zh:  # spaces between Chinese characters are not shown
                    space = tok[0] in _WORDISH and bool(tokens) and tokens[-1].text[-1:] in _WORDISH
                else:
                    space = bool(tokens) and not tokens[-1].brk
            else:
                space = False
            if (
                tok[0] == "["
                and resolve is not None
                and tok.startswith("[[")
                and XREF_RE.fullmatch(tok)
            ):
                resolved = resolve(tok[2:-2])
                if resolved is not None:
                    tokens.append(Token(resolved[0], resolved[1], space))
                    continue
            tokens.append(Token(tok, tok, space))
    return tokens


_WORDISH = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789([")
_KEEP_SPACE = re.compile(r"(?<=[A-Za-z0-9(\[])\s+(?=[A-Za-z0-9(\[])")
_SPACES = re.compile(r"\s+")


def display_lines(
    body: str, *, style: str, lang: str, resolve: RefResolver | None = None, op: str = EQUAL
) -> list[Line]:
    """The lines of a text shown without comparison (unchanged, added or repealed):
    the same lines, labels and spacing as ``layout(tokenize(...))``, much faster.
    ``op`` marks every run (and item label) as equal, inserted or deleted."""
    lines: list[Line] = []
    parts: list[str] = []

    def flush() -> None:
        if lines and parts:
            lines[-1].runs = [Run(op, _normalise("\n".join(parts), lang, resolve))]
        parts.clear()

    for kind, depth, label, rest in _read_lines(body, style, lang):
        if kind != SOFT:
            flush()
            lines.append(Line([], label, op if kind == ITEM else EQUAL, kind == PARA, depth))
        parts.append(rest)
    flush()
    return [ln for ln in lines if ln.runs or ln.label]


def _normalise(text: str, lang: str, resolve: RefResolver | None) -> str:
    """Whitespace as the tokeniser shows it, and references resolved."""
    if "[[" not in text:
        return _spaces(text, lang)
    zh = is_default(lang)
    out: list[str] = []
    pos = 0
    for m in XREF_RE.finditer(text):
        before = text[pos : m.start()]
        out.append(_spaces(before, lang))
        resolved = resolve(m.group(1)) if resolve is not None else None
        shown = resolved[1] if resolved is not None else m.group(0)
        if before[-1:].isspace() and "".join(out).strip():
            if not zh or before.rstrip()[-1:] in _WORDISH:
                out.append(" ")  # the reference keeps the space before it
        out.append(shown)
        pos = m.end()
        after = text[pos:]
        if after[:1].isspace() and after.strip():
            if not zh or (shown[-1:] in _WORDISH and after.lstrip()[:1] in _WORDISH):
                out.append(" ")
    out.append(_spaces(text[pos:], lang))
    return "".join(out)


def _spaces(text: str, lang: str) -> str:
    if " " not in text and "\n" not in text and "\t" not in text:
        return text
    if is_default(lang):
        return _SPACES.sub("", _KEEP_SPACE.sub("\x00", text)).replace("\x00", " ")
    return " ".join(text.split())


def values(tokens: list[Token]) -> list[str]:
    return [t.value for t in tokens]


# A difflib opcode as a list, so that _slide can shift it: [tag, i1, i2, j1, j2].
Op = list[Any]


def _slide(ops: list[Op], a: list[Token], b: list[Token]) -> list[Op]:
    """Shift pure deletions/insertions so that they start at a break token when an
    equivalent alignment allows it (a deleted item then shows as one struck line).

    A block ``seq[lo:hi]`` after an equal run can move one token left whenever the
    token before it equals its last token; it moves only if it then starts at a break.
    """
    for k, op in enumerate(ops):
        tag = op[0]
        if tag not in ("delete", "insert") or k == 0 or ops[k - 1][0] != "equal":
            continue
        seq = a if tag == "delete" else b
        lo, hi = (op[1], op[2]) if tag == "delete" else (op[3], op[4])
        if seq[lo].is_break:
            continue
        prev = ops[k - 1]
        prev_lo = prev[1] if tag == "delete" else prev[3]
        shift = 0
        while lo - shift - 1 >= prev_lo and seq[lo - shift - 1].value == seq[hi - shift - 1].value:
            shift += 1
            if seq[lo - shift].is_break:
                break
        if shift == 0 or not seq[lo - shift].is_break:
            continue
        for i in range(1, 5):
            op[i] -= shift
        prev[2] -= shift
        prev[4] -= shift
        if k + 1 < len(ops):
            ops[k + 1][1] -= shift
            ops[k + 1][3] -= shift
        else:
            ops.append(["equal", op[2], op[2] + shift, op[4], op[4] + shift])
    return [op for op in ops if op[1] != op[2] or op[3] != op[4]]


# difflib's time grows with the pairs of equal tokens it looks at, once per block it
# splits off: 16,000 tokens against 16,000 unrelated ones took 6 s, 800 short paragraphs
# against 800 others a minute (every paragraph break matches every other). Its matcher
# here counts that work as it goes (``_BoundedMatcher``) and gives up beyond this many
# steps (about two seconds), and the two texts are compared by their common start and
# end only (``_coarse_ops``, linear). Real amendments take well under a tenth of it.
MAX_DIFF_WORK = 10_000_000


class _TooCostly(Exception):
    pass


class _BoundedMatcher(difflib.SequenceMatcher):  # type: ignore[type-arg]
    """difflib's matcher, stopping with ``_TooCostly`` past ``MAX_DIFF_WORK`` steps."""

    def __init__(self, a: list[str] | str, b: list[str] | str) -> None:
        super().__init__(None, a, b, autojunk=False)
        self._pairs = [0]  # pairs[i]: equal pairs of a[:i] with all of b, the search's bound
        for value in a:
            self._pairs.append(self._pairs[-1] + len(self.b2j.get(value, ())))  # type: ignore[attr-defined]
        self._work = 0
        self._length = len(a)

    def find_longest_match(
        self, alo: int = 0, ahi: int | None = None, blo: int = 0, bhi: int | None = None
    ) -> difflib.Match:
        ahi = self._length if ahi is None else ahi
        self._work += self._pairs[ahi] - self._pairs[alo] + (ahi - alo)
        if self._work > MAX_DIFF_WORK:
            raise _TooCostly
        return super().find_longest_match(alo, ahi, blo, bhi)


def similarity(a: str, b: str) -> float:
    """difflib's ratio of ``a`` and ``b``, or, past the work bound, its quick estimate
    from the characters in common."""
    matcher = _BoundedMatcher(a, b)
    try:
        return matcher.ratio()
    except _TooCostly:
        return matcher.quick_ratio()


def _ops(a: list[Token], b: list[Token]) -> list[Op]:
    va, vb = values(a), values(b)
    try:
        opcodes = _BoundedMatcher(va, vb).get_opcodes()
    except _TooCostly:
        return _slide(_coarse_ops(va, vb), a, b)
    return _slide([list(o) for o in opcodes], a, b)


def _coarse_ops(va: list[str], vb: list[str]) -> list[Op]:
    """Opcodes that keep the common start and end of ``va`` and ``vb`` and replace the
    rest: a redline of texts too long to compare token by token."""
    short = min(len(va), len(vb))
    head = 0
    while head < short and va[head] == vb[head]:
        head += 1
    tail = 0
    while tail < short - head and va[-1 - tail] == vb[-1 - tail]:
        tail += 1
    ea, eb = len(va) - tail, len(vb) - tail
    ops: list[Op] = [["equal", 0, head, 0, head]] if head else []
    if ea > head or eb > head:
        tag = "replace" if ea > head and eb > head else ("delete" if ea > head else "insert")
        ops.append([tag, head, ea, head, eb])
    if tail:
        ops.append(["equal", ea, len(va), eb, len(vb)])
    return ops


def layout(seq: list[tuple[str, Token]]) -> list[Line]:
    """Lines of runs from a sequence of ``(op, token)``, in time linear in its length."""
    lines: list[Line] = []
    pending_replace_break = False
    after = _next_not_deleted(seq)
    pieces: dict[int, list[str]] = {}  # a run's texts, joined once (``+=`` copies a run)

    def add(run: Run, text: str) -> None:
        pieces.setdefault(id(run), [run.text]).append(text)

    for idx, (op, tok) in enumerate(seq):
        if tok.is_break:
            # A break deleted and re-inserted at once (a replaced item start) shows as one line.
            if op == DELETE and idx + 1 < len(seq):
                nxt = after[idx + 1]  # the first inserted break of the same change block
                if nxt < len(seq) and seq[nxt][0] == INSERT and seq[nxt][1].is_break:
                    if seq[nxt][1].value == tok.value:
                        pending_replace_break = True
                        continue
            if op == INSERT and pending_replace_break:
                pending_replace_break = False
                lines.append(Line([], tok.label, EQUAL, tok.brk == 2, _depth(tok)))
                continue
            lines.append(Line([], tok.label, op, tok.brk == 2, _depth(tok)))
            continue
        if not lines:
            lines.append(Line())
        line = lines[-1]
        if tok.space and line.runs:
            if line.runs[-1].op == op:
                add(line.runs[-1], " ")
            else:
                line.runs.append(Run(EQUAL, " "))
        if line.runs and line.runs[-1].op == op:
            add(line.runs[-1], tok.text)
        else:
            line.runs.append(Run(op, tok.text))
    for line in lines:  # merge neighbouring runs of one kind (spaces may split them)
        line.runs = [
            Run(kind, "".join("".join(pieces.get(id(r), [r.text])) for r in group))
            for kind, group in itertools.groupby(line.runs, key=lambda r: r.op)
        ]
    return [ln for ln in lines if ln.runs or ln.label]


def _next_not_deleted(seq: list[tuple[str, Token]]) -> list[int]:
    """For each index, the first index from it on whose op is not a deletion (the length
    of ``seq`` if none): one pass, so no deleted break searches the block again."""
    out = [len(seq)] * (len(seq) + 1)
    for k in range(len(seq) - 1, -1, -1):
        out[k] = k if seq[k][0] != DELETE else out[k + 1]
    return out


def _depth(tok: Token) -> int:
    if tok.value.startswith("\x00item"):
        return int(tok.value[5:])
    return 0


@dataclass
class Redline:
    """Two versions of one text compared."""

    merged: list[Line]  # deletions and insertions in one text
    old: list[Line]  # the old text, deletions marked
    new: list[Line]  # the new text, insertions marked
    changed: bool  # the compared tokens differ


def compare(a: list[Token], b: list[Token]) -> Redline:
    """Compare two token lists: the merged redline and both one-sided views."""
    if values(a) == values(b):
        return Redline(
            layout([(EQUAL, t) for t in b]),
            layout([(EQUAL, t) for t in a]),
            layout([(EQUAL, t) for t in b]),
            False,
        )
    merged: list[tuple[str, Token]] = []
    old: list[tuple[str, Token]] = []
    new: list[tuple[str, Token]] = []
    for tag, i1, i2, j1, j2 in _ops(a, b):
        if tag == "equal":
            merged.extend((EQUAL, t) for t in b[j1:j2])
            old.extend((EQUAL, t) for t in a[i1:i2])
            new.extend((EQUAL, t) for t in b[j1:j2])
        else:
            merged.extend((DELETE, t) for t in a[i1:i2])
            merged.extend((INSERT, t) for t in b[j1:j2])
            old.extend((DELETE, t) for t in a[i1:i2])
            new.extend((INSERT, t) for t in b[j1:j2])
    return Redline(layout(merged), layout(old), layout(new), True)
