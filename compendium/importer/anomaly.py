"""Anomalies of a source's own numbering that stop an import (used by :mod:`compendium.importer.pipeline`).

An anomaly is anything that breaks the sequence the source itself prints: a gap, a repeated
number, a number going back, an inserted article that does not follow its base, or an article
with no text. The importer writes nothing while there are anomalies, unless the editor accepts
them; accepted anomalies are recorded in the manifest's editorial notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # doc imports this module
    from compendium.importer.doc import Issue

# Messages of the parser that are anomalies (item numbering is reported, not fatal).
_STRUCTURE_WORDS = ("article", "chapter", "section")


@dataclass(frozen=True)
class Anomaly:
    line: int
    message: str

    def located(self, source: str) -> str:
        return f"{source}:{self.line}: {self.message}"


def is_structural_issue(message: str) -> bool:
    """Whether a numbering message concerns chapters, sections or articles (not list items)."""
    if message.startswith("item ") or " starts a list " in message:
        return False
    return any(word in message for word in _STRUCTURE_WORDS)


def find_anomalies(numbering: list[Issue], empty: list[Issue]) -> list[Anomaly]:
    """The anomalies among the numbering issues and the articles without text, by line."""
    found = [Anomaly(i.line, i.message) for i in numbering if is_structural_issue(i.message)]
    found += [Anomaly(i.line, i.message) for i in empty]
    return sorted(found, key=lambda a: a.line)


def anomaly_notes(anomalies: list[Anomaly], source: str) -> tuple[list[str], list[str]]:
    """Editorial notes (zh-Hant, en) recording anomalies accepted by the editor."""
    if not anomalies:
        return [], []
    listed = "; ".join(f"line {a.line}: {a.message}" for a in anomalies)
    zh = f"匯入時接受來源「{source}」本身編號之異常（依原文保留）：{listed}。"
    en = f"Anomalies in the numbering of the source {source} were accepted at import: {listed}."
    return [zh], [en]


def format_anomalies(anomalies: list[Anomaly], source: str) -> str:
    """The error text listing every anomaly with its line and what was expected."""
    lines = [a.located(source) for a in anomalies]
    lines.append(
        f"{len(anomalies)} anomal{'y' if len(anomalies) == 1 else 'ies'} in the source's own "
        "numbering: nothing was written (fix the source, or pass --accept-anomalies to write it "
        "anyway and record them in the manifest's editorial notes)"
    )
    return "\n".join(lines)
