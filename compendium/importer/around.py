"""What stands before and after a candidate label in its line, read without copying the line.

A long line holds many candidate labels (``一、一、一、…``), most of them refused. Reading the
text before and after each one as a slice of the line made parsing quadratic in the line's
length. Each question here scans only the padding next to a label, a run that no other
label shares (a label starts and ends with a character that is not padding), or a window of
bounded length; so one line costs time linear in its length however many labels it holds.
"""

from __future__ import annotations

from .clean import PAD


class Around:
    """The text of one line, asked about the spans before and after its labels."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tail = len(text.rstrip(PAD))  # end of the line without its trailing padding
        self.tail_ws = len(text.rstrip())
        self._lead: dict[int, int] = {}

    def lead(self, pos: int) -> int:
        """The first index from ``pos`` on that is not padding (the line's length if none)."""
        if pos not in self._lead:
            i, text = pos, self.text
            while i < self.tail and text[i] in PAD:
                i += 1
            self._lead[pos] = i if i < self.tail else len(text)
        return self._lead[pos]

    def at_start(self, start: int) -> bool:
        """Only padding before ``start``: ``not text[:start].strip(PAD)``."""
        return self.lead(0) >= start

    def _solid_end(self, pos: int, end: int) -> int:
        """The index after the last character of ``text[pos:end]`` that is not padding."""
        i, text = end, self.text
        while i > pos and text[i - 1] in PAD:
            i -= 1
        return i

    def prev_char(self, pos: int, start: int) -> str:
        """The last character of ``text[pos:start]`` that is not padding, or ""."""
        b = self._solid_end(pos, start)
        return self.text[b - 1] if b > pos else ""

    def ends_with(self, pos: int, start: int, words: tuple[str, ...]) -> bool:
        """``text[pos:start].rstrip().endswith(words)``."""
        i, text = start, self.text
        while i > pos and text[i - 1].isspace():
            i -= 1
        longest = max(len(w) for w in words)
        return text[max(pos, i - longest) : i].endswith(words)

    def joined(self, prefix: str, pos: int, start: int, limit: int) -> str | None:
        """``(prefix + text[pos:start]).strip(PAD)`` when it is at most ``limit`` long,
        else None (a longer one is never built)."""
        b = self._solid_end(pos, start)
        head = prefix.lstrip(PAD)
        if b == pos:  # only padding after the prefix
            out = head.rstrip(PAD)
            return out if len(out) <= limit else None
        if not head:
            a = self.lead(pos)
            return self.text[a:b] if b - a <= limit else None
        return head + self.text[pos:b] if len(head) + b - pos <= limit else None

    def rest_first(self, end: int) -> str:
        """The first character of ``text[end:].rstrip(PAD)``, or "" when that is empty."""
        return self.text[end] if end < self.tail else ""

    def rest_head(self, end: int, width: int) -> str:
        """The first ``width`` characters of ``text[end:].rstrip(PAD).lstrip(PAD)``."""
        a = self.lead(end)
        return self.text[a : min(a + width, self.tail)] if a < self.tail else ""

    def rest_stripped(self, end: int, limit: int) -> str | None:
        """``text[end:].strip()`` when it is at most ``limit`` long, else None."""
        i, text = end, self.text
        while i < self.tail_ws and text[i].isspace():
            i += 1
        if i >= self.tail_ws:
            return ""
        return text[i : self.tail_ws] if self.tail_ws - i <= limit else None
