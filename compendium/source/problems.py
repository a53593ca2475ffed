"""Problems found in the sources, reported as ``path:line: message``.

Every message is shown as a reader can see it: a character that shows as nothing
(a control, a bidirectional control, an invisible character, a line break) is
named by its code point, ``scope[U+200B]``, and a value quoted in it is cut to
``MAX_SHOWN`` characters. A run reports at most ``MAX_REPORTED`` problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from compendium.source.chars import CONTROL_RE, INVISIBLE_RE, LINE_BREAK_RE

Severity = Literal["error", "warning"]

MAX_SHOWN = 80  # characters of a value quoted in a message
MAX_MESSAGE = 1_000  # characters of one message, whatever it quotes
MAX_REPORTED = 1_000  # problems printed per run; the rest are counted

_UNSEEN_RE = re.compile(
    "|".join(r.pattern for r in (CONTROL_RE, INVISIBLE_RE, LINE_BREAK_RE)) + "|\t"
)
# A run of characters without a space longer than any word: a value (an id, a label
# in Chinese, a link), not the words of the message around it; a value already cut by
# ``shown`` stays as it is, in its quotes and with its punctuation.
_LONG_RUN_RE = re.compile(rf"\S{{{MAX_SHOWN + 8},}}")


def visible(text: str) -> str:
    """``text`` with each character that shows as nothing written as ``[U+200B]``."""
    return _UNSEEN_RE.sub(lambda m: f"[U+{ord(m.group(0)):04X}]", text)


def shown(value: str, limit: int = MAX_SHOWN) -> str:
    """``value`` as a message quotes it: invisible characters named by code point,
    cut to ``limit`` characters with "…" when longer."""
    cut = value[:limit] + "…" if len(value) > limit else value
    return visible(cut)


def _message(text: str) -> str:
    """A message as it is reported: every character visible, no value longer than
    ``MAX_SHOWN``, the whole at most ``MAX_MESSAGE`` (the start and the end kept, as
    the end says what is expected)."""
    text = _LONG_RUN_RE.sub(lambda m: m.group(0)[:MAX_SHOWN] + "…", visible(text))
    if len(text) > MAX_MESSAGE:
        half = MAX_MESSAGE // 2
        text = f"{text[:half]} … {text[-half:]}"
    return text


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one source file."""

    path: str
    line: int
    message: str
    severity: Severity = "error"

    def __post_init__(self) -> None:
        # The dataclass is frozen: set the shown forms once, on creation.
        object.__setattr__(self, "path", visible(self.path))
        object.__setattr__(self, "message", _message(self.message))

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else "warning: "
        return f"{self.path}:{self.line}: {prefix}{self.message}"

    def located(self) -> str:
        """``path:line: message`` without the severity (for loggers that show it)."""
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Problems:
    """Collects every problem of a run, so one run reports all of them."""

    items: list[Problem] = field(default_factory=list)

    def error(self, path: str, line: int, message: str) -> None:
        self.items.append(Problem(path, line, message, "error"))

    def warning(self, path: str, line: int, message: str) -> None:
        self.items.append(Problem(path, line, message, "warning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        return sorted(self.items, key=lambda p: (p.path, p.line, p.message))

    def reported(self, limit: int = MAX_REPORTED) -> tuple[list[Problem], str | None]:
        """The problems a run prints, in order: at most ``limit``, errors before
        warnings, and a last line saying how many more there are (None if none)."""
        if len(self.items) <= limit:
            return self.sorted(), None
        chosen = (self.errors + self.warnings)[:limit]
        rest = len(self.items) - len(chosen)
        shown_ = sorted(chosen, key=lambda p: (p.path, p.line, p.message))
        return shown_, (
            f"... and {rest:,} more problem(s) not shown (at most {limit:,} are listed "
            "per run; fix these and run again)"
        )
