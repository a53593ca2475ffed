"""Write a set of file changes all at once, or not at all.

Every new text is written to a temporary file beside its target first; only when
all are written are they renamed into place (and old files removed). A failure
before that point leaves the tree untouched.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


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
                target = self.root / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                    fh.write(text)
                temps.append((rel, Path(tmp_name)))
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
