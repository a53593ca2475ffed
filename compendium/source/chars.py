"""The characters content may not hold, or not everywhere: controls, bidirectional
controls, invisible characters and line breaks; and how messages name them."""

from __future__ import annotations

import re
import unicodedata

# Bidirectional embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO; LRI, RLI,
# FSI, PDI): they make a line show in another order than it is written and compared in,
# so a reviewer reads one text and a reader another.
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
# Characters no content may hold, anywhere: C0 and C1 controls (but tab, line feed and
# carriage return; NEL is a line break), DEL, surrogates, non-characters (YAML refuses
# those) and the bidirectional controls.
CONTROL_RE = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff{BIDI_CONTROLS}]"
)
BIDI_RE = re.compile(f"[{BIDI_CONTROLS}]")
# Characters that show as nothing: zero-width space, non-joiner and joiner, word
# joiner and the invisible operators, zero-width no-break space (a BOM inside text),
# soft hyphen, combining grapheme joiner, Mongolian vowel separator, Hangul fillers,
# and the bidirectional marks (LRM, RLM, ALM). Not in an id, caption, title or name
# (one-line fields): two that look the same would differ. Article text may hold them
# (a quoted name in another script may need a joiner or a mark; a mark, unlike the
# BIDI_CONTROLS, cannot reorder the words around it).
INVISIBLE_RE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2060-\u2064\u3164\ufeff\uffa0]"
)
# Line breaks, as YAML, Markdown and browsers read them: a field that is one line in the
# model (a caption, a title, a name, a code) may hold none of them.
LINE_BREAK_RE = re.compile("[\n\r\x85\u2028\u2029]")


def char_name(ch: str) -> str:
    """``U+0001``, or ``U+202E RIGHT-TO-LEFT OVERRIDE`` for a character with a name,
    as messages name it."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}" if name else f"U+{ord(ch):04X}"
