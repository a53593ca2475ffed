"""Problems found in the sources, reported as ``path:line: message``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one source file."""

    path: str
    line: int
    message: str
    severity: Severity = "error"

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
