"""The size limits of content, in one place (README, "What content may and may not contain").

Every checker and parser of the project reads its input in time linear in its length; a
limit is there where a reader we do not own is not linear. Python-Markdown reads each '['
of a paragraph as the start of a link and looks for its end through the rest of the
paragraph (in Python, per character), so its time grows with the paragraph's length times
its brackets: 20,000 '[' in one line took a minute, 190,000 would take hours. Markdown and
WeasyPrint recurse once per level of nesting. So ``make check`` refuses, before anything
renders a text:

- an article over ``MAX_ARTICLE_CHARS`` characters;
- a paragraph (lines between blank lines, so also one line) over ``MAX_PARAGRAPH_CHARS``;
- a paragraph with more than ``MAX_PARAGRAPH_BRACKETS`` '[' outside cross references;
- lists or quotes nested deeper than ``MAX_NESTING`` levels;
- a YAML document over ``MAX_YAML_CHARS``, a text field over ``MAX_FIELD_CHARS``
  (``yamlsrc``, where the YAML is read).

A text over a paragraph limit is not read as Markdown by the checks either
(``markdown_fits``): its limit is reported, and the build never starts.
"""

from __future__ import annotations

import re

from compendium.numbering.xref import XREF_RE
from compendium.source.yamlsrc import MAX_FIELD_CHARS, MAX_YAML_CHARS

__all__ = [
    "MAX_ARTICLE_CHARS",
    "MAX_FIELD_CHARS",
    "MAX_NESTING",
    "MAX_PARAGRAPH_BRACKETS",
    "MAX_PARAGRAPH_CHARS",
    "MAX_YAML_CHARS",
    "markdown_fits",
    "paragraph_problems",
]

MAX_ARTICLE_CHARS = 200_000  # one article's text; the largest real ones are about 5,000
MAX_NESTING = 30  # list and quote levels; real regulations use at most 4
MAX_PARAGRAPH_CHARS = 20_000  # one paragraph or line; the largest real ones are under 4,500
# '[' in one paragraph, cross references [[id]] aside; real paragraphs hold at most 9.
# At this many, the slowest paragraph Markdown can be given takes under a second.
MAX_PARAGRAPH_BRACKETS = 50

_ESCAPE_RE = re.compile(r"\\.")  # Markdown's escapes, read left to right (\\ before \[)


def _paragraphs(text: str) -> list[tuple[int, int, int]]:
    """``(first line offset, characters, brackets)`` of each paragraph of ``text``: lines
    between blank (whitespace-only) lines, as Markdown's block reader groups them."""
    out: list[tuple[int, int, int]] = []
    first, chars, brackets = -1, 0, 0
    for offset, line in enumerate(text.split("\n")):
        if not line.strip():
            if first >= 0:
                out.append((first, chars, brackets))
            first, chars, brackets = -1, 0, 0
            continue
        if first < 0:
            first = offset
        chars += len(line) + 1
        if "[" in line:
            if "\\" in line:  # an escaped bracket (\[) is text to Markdown
                line = _ESCAPE_RE.sub("", line)
            brackets += line.count("[") - 2 * len(XREF_RE.findall(line))
    if first >= 0:
        out.append((first, chars, brackets))
    return out


def paragraph_problems(text: str) -> list[tuple[int, str]]:
    """``(line offset, message)`` of each paragraph of ``text`` over a paragraph limit."""
    out: list[tuple[int, str]] = []
    for first, chars, brackets in _paragraphs(text):
        if chars - 1 > MAX_PARAGRAPH_CHARS:
            out.append(
                (
                    first,
                    f"a paragraph of {chars - 1:,} characters (expected at most "
                    f"{MAX_PARAGRAPH_CHARS:,}; put a blank line between paragraphs)",
                )
            )
        if brackets > MAX_PARAGRAPH_BRACKETS:
            out.append(
                (
                    first,
                    f"a paragraph with {brackets:,} '[' (expected at most "
                    f"{MAX_PARAGRAPH_BRACKETS} besides cross references [[…]]; Markdown "
                    "reads each as the start of a link: split the paragraph, or write \\[ "
                    "for a bracket that is text)",
                )
            )
    return out


def markdown_fits(text: str) -> bool:
    """Whether ``text`` is within the paragraph limits, so Markdown may read it."""
    if len(text) <= MAX_PARAGRAPH_CHARS and text.count("[") <= MAX_PARAGRAPH_BRACKETS:
        return True
    return not paragraph_problems(text)
