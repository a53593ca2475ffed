"""A set of file changes applied all at once, or not at all (``Edits``).

Every new text is written to a temporary file beside its target first
(:func:`compendium.fsutil.stage_beside`); only when all are written are they
renamed into place (and old files removed). A failure before that point leaves
the tree untouched. One file alone is written with :func:`compendium.fsutil.write_atomic`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from compendium.fsutil import stage_beside


@dataclass
class Edits:
    root: Path
    writes: dict[str, str] = field(default_factory=dict)  # rel -> new text
    deletes: list[str] = field(default_factory=list)  # rel

    def write(self, rel: str, text: str) -> None:
        self.writes[rel] = text

    def delete(self, rel: str) -> None:
        self.deletes.append(rel)

    def touched(self) -> list[str]:
        return sorted(set(self.writes) | set(self.deletes))

    def apply(self) -> None:
        temps: list[tuple[str, Path]] = []
        try:
            for rel, text in sorted(self.writes.items()):
                temps.append((rel, stage_beside(self.root / rel, text.encode("utf-8"))))
        except BaseException:
            for _, tmp in temps:
                tmp.unlink(missing_ok=True)
            raise
        for rel, tmp in temps:
            os.replace(tmp, self.root / rel)
        for rel in self.deletes:
            if rel not in self.writes:
                (self.root / rel).unlink(missing_ok=True)
        for rel in self.deletes:  # remove folders emptied by a move
            parent = (self.root / rel).parent
            if parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
