"""The reading experience (issue 11): notes per language, duty references, page details."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from compendium.loader import load
from compendium.model import LocalizedNote, localized_note
from compendium.tree import DirTree

HERE = Path(__file__).parent
ROOT = HERE.parent
PDF_DOCS = HERE / "fixtures" / "pdf" / "docs"

PER_LANGUAGE_HISTORY = """history:
  - date: 2026-01-01
    release: "2026.1"
    note: {zh-Hant: 首次發布。, en: First published.}
"""


def with_localized_history(docs: Path, dest: Path) -> Path:
    """A copy of ``docs`` whose alpha/backup article has a history note per language."""
    shutil.copytree(docs, dest)
    art = dest / "regulations" / "alpha" / "backup.zh-Hant.md"
    text = art.read_text(encoding="utf-8")
    art.write_text(text.replace("id: backup\n", "id: backup\n" + PER_LANGUAGE_HISTORY, 1), encoding="utf-8")
    return dest


def test_localized_note_survives_pickling():
    """The PDF builder sends the model to worker processes: the note must keep its translations."""
    note = LocalizedNote({"zh-Hant": "首次發布。", "en": "First published."})
    back = pickle.loads(pickle.dumps(note))
    assert isinstance(back, LocalizedNote)
    assert back == "首次發布。"
    assert localized_note(back, "en") == ("First published.", "en")


@pytest.mark.pdf
def test_pdf_build_with_a_per_language_history_note(tmp_path, capsys):
    from tests.test_pdf import build

    docs = with_localized_history(PDF_DOCS, tmp_path / "docs")
    comp, problems = load(DirTree(docs))
    assert not problems.errors
    note = comp.regulations["alpha"].articles["backup"].history[0].note
    assert localized_note(note, "en")[0] == "First published."
    out = tmp_path / "pdf"
    assert build(docs, out, "--release", "2026.1", "-q", "--only", "compendium") == 0, (
        capsys.readouterr().err
    )
    assert (out / "compendium-zh-Hant.pdf").stat().st_size > 0
    assert (out / "compendium-en.pdf").stat().st_size > 0
