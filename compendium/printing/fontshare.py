"""One font program per face in a PDF joined from parts.

WeasyPrint would embed in every part a subset of each face it uses (the glyphs
of that part): joined as they are, a document of a hundred parts carries a
hundred copies of the common Chinese characters, and cutting them is a sixth of
the rendering time. So while a part is written, ``FontRecorder`` keeps the face
each font is shown in (once per face, in the cache, named by its SHA-256) and
lets WeasyPrint embed a stand-in program of a few bytes naming that face,
instead of cutting a subset. The join cuts, per face, one subset of all the
glyphs the parts show in it (``share_fonts``) and points every part's font
descriptor at it. Glyph ids are kept (the subsets are cut with "retain glyph
ids", as WeasyPrint cuts them), so the text, the widths and the Unicode maps of
every part stay as they are; only the embedded programs differ.

A font WeasyPrint does not embed plainly (missing glyphs replaced, a variation
instance, colour glyphs, a bitmap, used in forms) is embedded by WeasyPrint in
its part, as in a whole rendering.
HarfBuzz's subsetter is called directly (libharfbuzz-subset, as WeasyPrint
does): it cuts a subset of a Chinese face in milliseconds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
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

# A part's stand-in for a face: 4 bytes of the face, this mark, "<sha256>:<index>".
STANDIN_MARK = b"\0compendium-face\0"
_STANDIN_MAX = 4 + len(STANDIN_MARK) + 64 + 1 + 10

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
            program = recorder._record(font)
            if program is None:
                return clean(font, *args, **kwargs)
            # the join embeds one subset of this face for the whole document (share_fonts):
            # the part carries a stand-in, and WeasyPrint's own subset is not cut at all
            font.file_content = program
            return None

        fonts.Font.clean = recording_clean
        return self

    def __exit__(self, *exc: object) -> None:
        self._class.clean = self._clean

    def _record(self, font: Any) -> bytes | None:
        """Keep ``font``'s face; the stand-in program to embed, or None when WeasyPrint
        embeds the font itself."""
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
            return None
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
        return standin(data, sha, int(font.index))


# -- in the join: one subset per face -----------------------------------------------


def standin(data: bytes, sha: str, index: int) -> bytes:
    """The program a part embeds instead of a face: the four bytes a subset of it starts
    with (which tell WeasyPrint TrueType from CFF) and the face it stands for."""
    return _sfnt_version(data, index) + STANDIN_MARK + f"{sha}:{index}".encode("ascii")


def _sfnt_version(data: bytes, index: int) -> bytes:
    """The version tag of face ``index`` of a font file (of a collection, its own)."""
    if data[:4] != b"ttcf":
        return data[:4]
    at = 12 + 4 * index  # the collection header: tag, version, count, offsets
    offset = int.from_bytes(data[at : at + 4], "big")
    return data[offset : offset + 4]


def _standin_face(program: bytes) -> tuple[str, int] | None:
    at = program.find(STANDIN_MARK, 4, 4 + len(STANDIN_MARK))
    if at != 4 or len(program) > _STANDIN_MAX:
        return None
    sha, _, index = program[4 + len(STANDIN_MARK) :].decode("ascii", "replace").partition(":")
    return (sha, int(index)) if len(sha) == 64 and index.isdigit() else None


def share_fonts(out: Pdf, folder: Path) -> int:
    """Embed in ``out`` one subset per face of every stand-in program its parts carry.

    The glyphs of a face are those of every font shown in it (each size and part is a
    font of its own, with its own widths); the faces are read from ``folder``. Returns
    the number of faces embedded; raises ``ValueError`` when a face cannot be (its file
    is missing or HarfBuzz cannot cut it), rather than write a PDF without its glyphs.
    """
    groups: dict[tuple[str, int, str], tuple[list[Dictionary], set[int]]] = {}
    for descendant in _descendant_fonts(out):
        descriptor = descendant.get("/FontDescriptor")
        if not isinstance(descriptor, Dictionary):
            continue
        key = next((k for k in ("/FontFile3", "/FontFile2") if k in descriptor), None)
        if key is None:
            continue
        face = _standin_face(descriptor[key].read_bytes())
        if face is None:
            continue  # embedded by WeasyPrint itself (not a plain face)
        found = groups.setdefault((*face, key), ([], set()))
        found[0].append(descriptor)
        found[1].update(_widths_cids(descendant.get("/W")))
    for (sha, index, key), (descriptors, gids) in sorted(groups.items()):
        path = folder / f"{sha}.face"
        data = subset(path.read_bytes(), index, gids) if path.is_file() else None
        if data is None:
            raise ValueError(f"cannot embed the font face {sha} (from {path})")
        old = descriptors[0][key]
        extra = {"/Subtype": old.Subtype} if "/Subtype" in old else {"/Length1": len(data)}
        stream = out.make_stream(data, Dictionary(extra))
        for descriptor in descriptors:
            descriptor[key] = stream
    return len(groups)


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
