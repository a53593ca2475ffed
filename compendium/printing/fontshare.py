"""One font program per face in a PDF joined from parts.

WeasyPrint embeds in every part a subset of each face it uses (the glyphs of
that part, at their original glyph ids). Joined as they are, a document of a
hundred parts carries a hundred copies of the common Chinese characters: ten
times the size of the same document rendered whole. So the renderer keeps the
face each subset was cut from (``FontRecorder``: once per face, in the cache,
named by its SHA-256), and the join cuts, per face, one subset of all the glyphs
the parts use and points every part's font descriptor at it
(``share_fonts``). Glyph ids are kept (the subsets are cut with "retain glyph
ids"), so the text, the widths and the Unicode maps of every part stay as they
are; only the embedded programs are replaced.

A face is shared only when every part that uses it recorded the same face and
WeasyPrint embedded it plainly (no missing glyphs replaced, no variation
instance, no colour glyphs, no bitmap); otherwise its programs stay per part.
HarfBuzz's subsetter is called directly (libharfbuzz-subset, as WeasyPrint
does): it cuts a subset of a Chinese face in milliseconds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import cffi  # type: ignore[import-untyped]
from pikepdf import Array, Dictionary, Name, Pdf

from compendium.fsutil import write_atomic

_ffi = cffi.FFI()
_ffi.cdef(
    """
    typedef struct hb_blob_t hb_blob_t;
    typedef struct hb_face_t hb_face_t;
    typedef struct hb_set_t hb_set_t;
    typedef struct hb_subset_input_t hb_subset_input_t;
    hb_blob_t * hb_blob_create (const char *data, unsigned int length, int mode,
                                void *user_data, void *destroy);
    void hb_blob_destroy (hb_blob_t *blob);
    const char * hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
    hb_face_t * hb_face_create (hb_blob_t *blob, unsigned int index);
    void hb_face_destroy (hb_face_t *face);
    hb_blob_t * hb_face_reference_blob (hb_face_t *face);
    uint32_t hb_tag_from_string (const char *str, int len);
    void hb_set_add (hb_set_t *set, uint32_t codepoint);
    void hb_set_add_range (hb_set_t *set, uint32_t first, uint32_t last);
    hb_subset_input_t * hb_subset_input_create_or_fail (void);
    void hb_subset_input_destroy (hb_subset_input_t *input);
    hb_set_t * hb_subset_input_glyph_set (hb_subset_input_t *input);
    hb_set_t * hb_subset_input_set (hb_subset_input_t *input, int set_type);
    void hb_subset_input_set_flags (hb_subset_input_t *input, unsigned int value);
    hb_face_t * hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);
    """
)

# hb-subset.h
_NO_HINTING, _RETAIN_GIDS, _DESUBROUTINIZE, _PASSTHROUGH = 0x1, 0x2, 0x4, 0x20
_SETS_DROP_TABLE_TAG = 3
_MEMORY_MODE_READONLY = 1
# The tables WeasyPrint leaves out of an embedded face (layout, bitmaps, signatures).
_DROPPED = tuple(
    tag.encode().ljust(4) for tag in "BASE DSIG EBDT EBLC EBSC GPOS GSUB JSTF LTSH PCLT SVG".split()
)

_libs: tuple[Any, Any] | None = None


def _harfbuzz() -> tuple[Any, Any]:
    global _libs
    if _libs is None:
        hb = _dlopen("libharfbuzz.so.0", "harfbuzz", "libharfbuzz-0.dll", "libharfbuzz.0.dylib")
        sub = _dlopen(
            "libharfbuzz-subset.so.0",
            "harfbuzz-subset",
            "libharfbuzz-subset-0.dll",
            "libharfbuzz-subset.0.dylib",
        )
        _libs = (hb, sub)
    return _libs


def _dlopen(*names: str) -> Any:
    error: OSError | None = None
    for name in names:
        try:
            return _ffi.dlopen(name)
        except OSError as exc:
            error = exc
    raise OSError(f"cannot load {names[0]}: {error}")


# -- in the renderer: which face each embedded font was cut from ----------------


class FontRecorder:
    """Keeps the face of every font WeasyPrint embeds while it is active.

    ``fonts`` maps a font's PDF name (``/ABCDEF+Noto-Sans-CJK-TC``) to
    ``[sha256 of the face's file, index of the face in it]``, or to ``None`` when the
    font is not embedded plainly and must not be shared.
    """

    _hashes: dict[tuple[str, int, int], str] = {}  # per process: hash each face once

    def __init__(self, folder: Path):
        self.folder = folder
        self.fonts: dict[str, list[Any] | None] = {}

    def __enter__(self) -> FontRecorder:
        from weasyprint.pdf import fonts

        self._class = fonts.Font
        self._clean = fonts.Font.clean
        recorder, clean = self, self._clean

        def recording_clean(font: Any, *args: Any, **kwargs: Any) -> Any:
            recorder._record(font)
            return clean(font, *args, **kwargs)

        fonts.Font.clean = recording_clean
        return self

    def __exit__(self, *exc: object) -> None:
        self._class.clean = self._clean

    def _record(self, font: Any) -> None:
        name = font.name.decode("latin-1") if isinstance(font.name, bytes) else str(font.name)
        plain = not (
            font.bitmap
            or font.missing
            or font.png
            or font.svg
            or getattr(font, "colr", False)
            or "fvar" in font.tables
            or font.used_in_forms
        )
        if not plain:
            self.fonts[name] = None
            return
        data: bytes = font.file_content
        key = (name, len(data), int(font.index))
        sha = self._hashes.get(key)
        if sha is None:
            sha = hashlib.sha256(data).hexdigest()
            self._hashes[key] = sha
        target = self.folder / f"{sha}.face"
        if not target.is_file():
            write_atomic(target, data)
        self.fonts[name] = [sha, int(font.index)]


# -- in the join: one subset per face -----------------------------------------------


def share_fonts(out: Pdf, faces: Iterable[Mapping[str, Any]], folder: Path) -> int:
    """Point the font descriptors of ``out`` that show the same face at one subset of it.

    ``faces`` are the ``FontRecorder.fonts`` of the parts; the faces are read from
    ``folder``. Returns the number of faces shared.
    """
    known: dict[str, tuple[str, int] | None] = {}
    unsure: set[str] = set()  # not embedded plainly, or cut from different faces
    for part in faces:
        for name, face in part.items():
            entry = None if face is None else (str(face[0]), int(face[1]))
            if entry is None or known.setdefault(name, entry) != entry:
                unsure.add(name)
    for name in unsure:
        known[name] = None
    groups: dict[str, tuple[list[Dictionary], set[int], str]] = {}
    for descendant in _descendant_fonts(out):
        descriptor = descendant.get("/FontDescriptor")
        if not isinstance(descriptor, Dictionary) or "/FontName" not in descriptor:
            continue
        name = str(descriptor.FontName)
        key = next((k for k in ("/FontFile3", "/FontFile2") if k in descriptor), None)
        if key is None or known.get(name) is None or "/CIDSet" in descriptor:
            continue
        if str(descendant.get("/CIDToGIDMap", "/Identity")) != "/Identity":
            continue
        found = groups.setdefault(name, ([], set(), key))
        if found[2] != key:
            known[name] = None
            continue
        found[0].append(descriptor)
        found[1].update(_widths_cids(descendant.get("/W")))
    shared = 0
    for name, (descriptors, gids, key) in sorted(groups.items()):
        face = known.get(name)
        if face is None or len({d.objgen for d in descriptors}) < 2 or not gids:
            continue
        path = folder / f"{face[0]}.face"
        if not path.is_file():
            continue
        data = subset(path.read_bytes(), face[1], gids)
        if data is None:
            continue
        old = descriptors[0][key]
        extra = {"/Subtype": old.Subtype} if "/Subtype" in old else {"/Length1": len(data)}
        stream = out.make_stream(data, Dictionary(extra))
        for descriptor in descriptors:
            descriptor[key] = stream
        shared += 1
    return shared


def _descendant_fonts(out: Pdf) -> list[Dictionary]:
    found: dict[tuple[int, int], Dictionary] = {}
    for page in out.pages:
        resources = page.obj.get("/Resources")
        fonts = resources.get("/Font") if isinstance(resources, Dictionary) else None
        if not isinstance(fonts, Dictionary):
            continue
        for font in fonts.values():
            if not isinstance(font, Dictionary) or font.get("/Subtype") != Name.Type0:
                continue
            for descendant in font.get("/DescendantFonts", Array()):
                if isinstance(descendant, Dictionary):
                    found.setdefault(descendant.objgen, descendant)
    return list(found.values())


def _widths_cids(widths: Any) -> set[int]:
    """The CIDs (here glyph ids) of a CIDFont's /W array: ``c [w ...]`` or ``c1 c2 w``."""
    out: set[int] = {0}
    if not isinstance(widths, Array):
        return out
    items, i = list(widths), 0
    while i + 1 < len(items):
        first, nxt = items[i], items[i + 1]
        if isinstance(nxt, Array):
            out.update(range(int(first), int(first) + len(nxt)))
            i += 2
        elif i + 2 < len(items):
            out.update(range(int(first), int(nxt) + 1))
            i += 3
        else:
            break
    return out


def subset(data: bytes, index: int, gids: set[int]) -> bytes | None:
    """A subset of face ``index`` of the font file ``data`` with the glyphs ``gids``
    at their ids (glyphs after the last one dropped), as WeasyPrint cuts one."""
    hb, sub = _harfbuzz()
    buffer = _ffi.from_buffer(data)
    blob = hb.hb_blob_create(buffer, len(data), _MEMORY_MODE_READONLY, _ffi.NULL, _ffi.NULL)
    face = hb.hb_face_create(blob, index)
    first = second = None
    try:
        first = _cut(hb, sub, face, sorted(gids), _RETAIN_GIDS | _PASSTHROUGH | _DESUBROUTINIZE)
        if first == _ffi.NULL:
            return None
        flags = _PASSTHROUGH | _DESUBROUTINIZE | _NO_HINTING
        second = _cut(hb, sub, first, range(max(gids) + 1), flags, drop=False)
        if second == _ffi.NULL:
            return None
        result = hb.hb_face_reference_blob(second)
        try:
            length = _ffi.new("unsigned int *")
            pointer = hb.hb_blob_get_data(result, length)
            return bytes(_ffi.buffer(pointer, length[0])) if length[0] else None
        finally:
            hb.hb_blob_destroy(result)
    finally:
        for made in (second, first):
            if made is not None and made != _ffi.NULL:
                hb.hb_face_destroy(made)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)
        del buffer


def _cut(hb: Any, sub: Any, face: Any, gids: Iterable[int], flags: int, drop: bool = True) -> Any:
    plan = sub.hb_subset_input_create_or_fail()
    if plan == _ffi.NULL:
        return _ffi.NULL
    try:
        glyphs = sub.hb_subset_input_glyph_set(plan)
        for gid in gids:
            hb.hb_set_add(glyphs, gid)
        sub.hb_subset_input_set_flags(plan, flags)
        if drop:
            tables = sub.hb_subset_input_set(plan, _SETS_DROP_TABLE_TAG)
            for tag in _DROPPED:
                hb.hb_set_add(tables, hb.hb_tag_from_string(tag, 4))
        return sub.hb_subset_or_fail(face, plan)
    finally:
        sub.hb_subset_input_destroy(plan)


def faces_folder(parts: Path) -> Path:
    """Where the faces are kept: in the folder of the parts' PDFs."""
    return parts / "faces"
