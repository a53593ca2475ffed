"""Make Pagefind's search bundle the same bytes for the same pages.

Pagefind (1.5) writes its fragments and word index deterministically, but the
filter index lists a filter's values in a different order on every run (a hash
map), so the filter file, the metadata file naming it and the entry file naming
that change between two runs over the same pages. ``stabilise`` rewrites them
in a fixed order: each filter's values sorted, files renamed after a digest of
their new content (Pagefind's names are cache-busting digests, which the
search script only looks up), and the entry file updated. The search finds the
same pages: only the order of equal facts changes.

The files are gzip-compressed CBOR (read and written by cbor2) after the
signature ``pagefind_dcd``.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"


class FormatError(ValueError):
    """A file that is not the Pagefind format this code knows."""


def read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise FormatError(f"{path.name}: no Pagefind signature")
    stream = io.BytesIO(data[len(SIGNATURE) :])
    try:
        value = cbor2.load(stream)
    except cbor2.CBORDecodeError as exc:
        raise FormatError(f"{path.name}: {exc}") from exc
    if stream.read(1):
        raise FormatError(f"{path.name}: trailing bytes after the CBOR value")
    return value


def write(folder: Path, prefix: str, stem_length: int, suffix: str, value: Any) -> str:
    """Write ``value`` as ``<prefix><digest><suffix>`` in ``folder``; the ``prefix+digest``."""
    raw = SIGNATURE + cbor2.dumps(value)
    name = prefix + hashlib.sha256(raw).hexdigest()[:stem_length]
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    return name


def stabilise(bundle: Path) -> None:
    """Rewrite the filter, metadata and entry files of ``bundle`` in a fixed order."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for lang_info in entry["languages"].values():
        old = lang_info["hash"]
        meta_path = bundle / f"pagefind.{old}.pf_meta"
        meta = read(meta_path)
        if len(meta) < 4 or not isinstance(meta[3], list):
            raise FormatError(f"{meta_path.name}: unexpected layout")
        lang = old.split("_", 1)[0]
        for item in meta[3]:  # [filter name, filter file stem]
            item[1] = _stable_filter(bundle / "filter", item[1], lang)
        meta_path.unlink()
        digest_len = len(old) - len(lang) - 1
        name = write(bundle, f"pagefind.{lang}_", digest_len, ".pf_meta", meta)
        lang_info["hash"] = name.removeprefix("pagefind.")
    entry_path.write_text(json.dumps(entry), encoding="utf-8")


def _stable_filter(folder: Path, stem: str, lang: str) -> str:
    path = folder / f"{stem}.pf_filter"
    value = read(path)
    # [name, [[value, [page, ...]], ...]]: one filter per file
    if not (len(value) == 2 and isinstance(value[0], str) and isinstance(value[1], list)):
        raise FormatError(f"{path.name}: unexpected layout")
    value[1] = sorted(([v, sorted(pages)] for v, pages in value[1]), key=lambda e: str(e[0]))
    path.unlink()
    return write(folder, f"{lang}_", len(stem) - len(lang) - 1, ".pf_filter", value)
