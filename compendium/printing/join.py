"""Join the PDF parts of one document into the finished PDF (pypdf).

The joined file has the pages of every part in order, one outline (each part's
bookmarks, moved to the part's pages), one table of named destinations (the
anchors of every part: a link from one part to another resolves, as WeasyPrint
writes links as named destinations), the metadata of the first part, and on
every page but the cover the footer's page number, "第 3 頁 / 共 40 頁", stamped
from a sheet of pre-set pieces (``TokenSheet``): the digits and the words around
them, each rendered once by WeasyPrint in the document's own fonts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    Fit,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from compendium.printing.assembly import Footer

MM = 72 / 25.4  # PDF points per millimetre
_CATALOG_KEYS = ("/Lang", "/PageMode", "/ViewerPreferences", "/MarkInfo")


@dataclass(frozen=True)
class RenderedPart:
    """A part's PDF and what the join needs to know of it."""

    pdf: Path
    pages: int
    anchors: dict[str, int]  # anchor -> 0-based page in the part
    cover: bool = False  # its first page is the cover (no page number)


@dataclass(frozen=True)
class TokenSheet:
    """A PDF with one piece of footer text per page, and the width of each (points)."""

    pdf: Path
    tokens: tuple[str, ...]
    widths: tuple[float, ...]
    x: float  # where the piece starts on its page (points from the left)


def pieces(footer: Footer) -> tuple[str, ...]:
    """The footer's words and the ten digits, in the order of the token sheet."""
    return (footer.prefix, footer.between, footer.end, *"0123456789")


def join(
    parts: Sequence[RenderedPart],
    target: Path,
    footer: Footer | None,
    sheet: TokenSheet | None,
) -> int:
    """Write the parts joined into ``target`` (the caller renames it into place); pages."""
    writer = PdfWriter()
    starts: list[int] = []
    readers = [PdfReader(str(p.pdf)) for p in parts]
    for reader in readers:
        starts.append(len(writer.pages))
        for page in reader.pages:
            writer.add_page(page)
    _copy_document_entries(readers[0], writer)
    _named_destinations(writer, parts, readers, starts)
    for reader, start in zip(readers, starts, strict=True):
        _outline(writer, reader, reader.outline, None, start)
    if footer is not None and sheet is not None:
        skip = {starts[i] for i, p in enumerate(parts) if p.cover}
        _stamp(writer, footer, sheet, skip)
    with open(target, "wb") as fh:
        writer.write(fh)
    return len(writer.pages)


def _copy_document_entries(reader: PdfReader, writer: PdfWriter) -> None:
    info: Mapping[str, Any] = reader.metadata or {}
    writer.add_metadata({k: str(v) for k, v in info.items()})
    catalog: Any = reader.trailer["/Root"]
    for key in _CATALOG_KEYS:
        if key in catalog:
            writer.root_object[NameObject(key)] = catalog[key].clone(writer)


def _named_destinations(
    writer: PdfWriter,
    parts: Sequence[RenderedPart],
    readers: Sequence[PdfReader],
    starts: Sequence[int],
) -> None:
    """One name tree of every part's own anchors (the first of a name wins, as in WeasyPrint)."""
    found: dict[str, tuple[int, Any]] = {}
    for part, reader, start in zip(parts, readers, starts, strict=True):
        root: Any = reader.trailer["/Root"]
        names = root.get("/Names", {}).get("/Dests", {}).get("/Names", [])
        for i in range(0, len(names), 2):
            name = str(names[i])
            if name not in part.anchors or name in found:
                continue  # a stand-in for an anchor of another part, or a repeat
            dest = names[i + 1].get_object()
            found[name] = (start + part.anchors[name], dest)
    entries: list[Any] = []
    for name in sorted(found):
        page, dest = found[name]
        ref = writer.pages[page].indirect_reference
        entries += [TextStringObject(name), ArrayObject([ref, *dest[1:]])]
    if entries:
        dests = DictionaryObject({NameObject("/Names"): ArrayObject(entries)})
        names_dict = DictionaryObject({NameObject("/Dests"): writer._add_object(dests)})
        writer.root_object[NameObject("/Names")] = writer._add_object(names_dict)


def _outline(
    writer: PdfWriter,
    reader: PdfReader,
    items: Iterable[Any],
    parent: IndirectObject | None,
    start: int,
) -> None:
    last: IndirectObject | None = None
    for item in items:
        if isinstance(item, list):
            _outline(writer, reader, item, last, start)
            continue
        page = start + (reader.get_destination_page_number(item) or 0)
        last = writer.add_outline_item(
            title=str(item.title),
            page_number=page,
            parent=parent,
            fit=Fit.xyz(item.left, item.top, item.zoom),
        )


def _stamp(writer: PdfWriter, footer: Footer, sheet: TokenSheet, skip: set[int]) -> None:
    """Draw "prefix N between TOTAL end" right-aligned in the footer of every page."""
    forms = _token_xobjects(writer, sheet)
    width = dict(zip(sheet.tokens, sheet.widths, strict=True))
    name_of = {token: f"/CpTk{i}" for i, token in enumerate(sheet.tokens)}
    ref_of = dict(zip(sheet.tokens, forms, strict=True))
    total = len(writer.pages)
    opening = writer._add_object(_stream(b"q\n"))
    for index, page in enumerate(writer.pages):
        if index in skip:
            continue
        runs = [footer.prefix, *str(index + 1), footer.between, *str(total), footer.end]
        runs = [r for r in runs if r]
        box = page.mediabox
        x = float(box.right) - footer.right_mm * MM - sum(width[r] for r in runs)
        top = float(box.bottom) + (footer.bottom_mm - footer.padding_mm) * MM
        ops = [b"Q\n"]
        for run in runs:
            dx, dy = x - sheet.x, top - float(box.top)
            ops.append(f"q 1 0 0 1 {dx:.3f} {dy:.3f} cm {name_of[run]} Do Q\n".encode())
            x += width[run]
        resources: Any = page["/Resources"].get_object()
        xobjects: Any = resources.get("/XObject")
        if xobjects is None:
            xobjects = resources[NameObject("/XObject")] = DictionaryObject()
        xobjects = xobjects.get_object()
        for run in runs:
            xobjects[NameObject(name_of[run])] = ref_of[run]
        contents = page.get("/Contents")
        existing = list(contents) if isinstance(contents, ArrayObject) else [contents]
        closing = writer._add_object(_stream(b"".join(ops)))
        page[NameObject("/Contents")] = ArrayObject([opening, *existing, closing])


def _token_xobjects(writer: PdfWriter, sheet: TokenSheet) -> list[IndirectObject]:
    """Each page of the token sheet as a form XObject in ``writer``, in token order."""
    reader = PdfReader(str(sheet.pdf))
    forms: list[IndirectObject] = []
    for page in reader.pages:
        box = page.mediabox
        contents = page.get_contents()
        form = _stream(contents.get_data() if contents is not None else b"")
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(
                    [FloatObject(float(v)) for v in (box.left, box.bottom, box.right, box.top)]
                ),
                NameObject("/Resources"): _resources(page).clone(writer),
                NameObject("/FormType"): NumberObject(1),
            }
        )
        forms.append(writer._add_object(form))
    return forms


def _resources(page: Any) -> Any:
    return page["/Resources"].get_object()


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream
