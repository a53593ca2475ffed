"""Writing a regulation folder all at once (see :mod:`compendium.importer.safety`)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from compendium.fsutil import replace_dir
from compendium.source.layout import REGULATIONS_DIR
from compendium.source.tree import missing_docs

from .grammar import ImportFailure
from .options import _check_id


def write_regulation(
    files: dict[str, str], docs: str | os.PathLike[str], reg_id: str, force: bool = False
) -> Path:
    """Write ``files`` as ``docs/regulations/<reg_id>/`` all at once.

    The files are written into a hidden temporary folder next to the target,
    which is renamed into place at the end; on any failure the temporary folder
    is removed and an existing regulation is left as it was. An existing folder
    is replaced only with ``force``.
    """
    _check_id(reg_id, "regulation id")
    docs = Path(docs)
    if problem := missing_docs(docs):
        raise ImportFailure(problem)
    parent = docs / REGULATIONS_DIR
    target = parent / reg_id
    if target.exists() and not force:
        raise ImportFailure(
            f"{target}: a regulation with this id already exists "
            "(choose another --id, or use --force to replace it)"
        )
    parent.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{reg_id}.importing-", dir=parent))
    try:
        for name, text in files.items():
            if "/" in name or name.startswith("."):
                raise ImportFailure(f"refusing to write '{name}' (expected a plain file name)")
            (tmp / name).write_text(text, encoding="utf-8")
        replace_dir(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target
