"""Join the PDF parts of one document into the finished PDF (pikepdf, on qpdf).

The joined file has the pages of every part in order, one outline (each part's
bookmarks, moved to the part's pages), one table of named destinations (the
anchors of every part: a link from one part to another resolves, as WeasyPrint
writes links as named destinations), the metadata of the first part, and on
every page but the cover the footer's page number, "第 3 頁 / 共 40 頁", stamped
from a sheet of pre-set pieces (``TokenSheet``): the digits and the words around
them, each rendered once by WeasyPrint in the document's own fonts.

qpdf copies pages and writes the file in C++: joining the three 800-page
compendium PDFs takes seconds, not the minute a pure-Python joiner needed
(decisions/0012-pdf-parts.md). The file's /ID is computed from its content, so
the same parts always join into the same bytes.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, NameTree, OutlineItem, Pdf

from compendium.printing.assembly import Footer
from compendium.printing.fontshare import faces_folder, share_fonts

MM = 72 / 25.4  # PDF points per millimetre
_CATALOG_KEYS = ("/Lang", "/PageMode", "/ViewerPreferences", "/MarkInfo")


@dataclass(frozen=True)
class RenderedPart:
    """A part's PDF and what the join needs to know of it."""

    pdf: Path
    pages: int
    anchors: dict[str, int]  # anchor -> 0-based page in the part
    cover: bool = False  # its first page is the cover (no page number)
    levels: Sequence[int] = ()  # the bookmark-level of each of its bookmarks, in order


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
    with ExitStack() as stack:
        out = stack.enter_context(Pdf.new())
        sources = [stack.enter_context(Pdf.open(p.pdf)) for p in parts]
        starts: list[int] = []
        with warnings.catch_warnings():
            # the named destinations are rebuilt below, for all parts at once
            warnings.simplefilter("ignore", getattr(pikepdf, "PageCopyWarning", UserWarning))
            for src in sources:
                starts.append(len(out.pages))
                out.pages.extend(src.pages)
        _copy_document_entries(sources[0], out)
        pages = [page.obj for page in out.pages]  # indexing out.pages is slow: once
        _named_destinations(out, pages, parts, sources, starts)
        _outline(out, pages, parts, sources, starts)
        share_fonts(out, faces_folder(parts[0].pdf.parent))
        if footer is not None and sheet is not None:
            skip = {starts[i] for i, p in enumerate(parts) if p.cover}
            sheet_pdf = stack.enter_context(Pdf.open(sheet.pdf))
            _stamp(out, footer, sheet, sheet_pdf, skip)
        out.save(target, deterministic_id=True)
        return len(out.pages)


def _copy(out: Pdf, value: Any) -> Any:
    """``value`` of another PDF, as an object of ``out``."""
    if not isinstance(value, pikepdf.Object):
        return value  # a number or a boolean
    if value.is_indirect:
        return out.copy_foreign(value)
    if isinstance(value, Dictionary):
        return Dictionary({k: _copy(out, v) for k, v in value.items()})
    if isinstance(value, Array):
        return Array([_copy(out, v) for v in value])
    return value  # a name or a string


def _copy_document_entries(src: Pdf, out: Pdf) -> None:
    if "/Info" in src.trailer:
        out.trailer.Info = out.make_indirect(_copy(out, src.trailer.Info))
    for key in _CATALOG_KEYS:
        if key in src.Root:
            out.Root[key] = _copy(out, src.Root[key])


def _dest_array(out: Pdf, page: Any, dest: Any) -> Array:
    """``dest`` (an explicit destination of a part) pointing at ``page`` (a page of ``out``)."""
    if isinstance(dest, Dictionary):
        dest = dest.get("/D", Array())
    view = [_copy(out, v) for v in list(dest)[1:]]
    return Array([page, *(view or [Name.Fit])])


def _named_destinations(
    out: Pdf,
    pages: Sequence[Any],
    parts: Sequence[RenderedPart],
    sources: Sequence[Pdf],
    starts: Sequence[int],
) -> None:
    """One name tree of every part's own anchors (the first of a name wins, as in WeasyPrint)."""
    found: dict[str, tuple[int, Any]] = {}
    for part, src, start in zip(parts, sources, starts, strict=True):
        names = src.Root.get("/Names")
        dests = names.get("/Dests") if names is not None else None
        if dests is None:
            continue
        for name, dest in NameTree(dests).items():
            if name not in part.anchors or name in found:
                continue  # a stand-in for an anchor of another part, or a repeat
            found[name] = (start + part.anchors[name], dest)
    if not found:
        return
    tree = NameTree.new(out)
    for name in sorted(found):
        page, dest = found[name]
        tree[name] = _dest_array(out, pages[page], dest)
    out.Root.Names = out.make_indirect(Dictionary(Dests=tree.obj))


def _outline(
    out: Pdf,
    pages: Sequence[Any],
    parts: Sequence[RenderedPart],
    sources: Sequence[Pdf],
    starts: Sequence[int],
) -> None:
    """Every part's bookmarks, in order, pointing at the joined pages and nested by level
    across parts: a part that goes on with a regulation puts its bookmarks under the
    title of the part before it, as in the document rendered whole."""
    flat: list[tuple[int, OutlineItem]] = []
    for part, src, start in zip(parts, sources, starts, strict=True):
        index = {page.obj.objgen: i for i, page in enumerate(src.pages)}
        with src.open_outline() as outline:
            items = _flat(out, pages, outline.root, index, start, 1)
        if len(part.levels) == len(items):
            items = [(level, item) for level, (_, item) in zip(part.levels, items, strict=True)]
        flat += items
    if not flat:
        return
    roots: list[OutlineItem] = []
    open_items: list[tuple[int, OutlineItem]] = []  # the last item of each open level
    for level, item in flat:
        while open_items and open_items[-1][0] >= level:
            open_items.pop()
        (open_items[-1][1].children if open_items else roots).append(item)
        open_items.append((level, item))
    with out.open_outline() as outline:
        outline.root.extend(roots)


def _flat(
    out: Pdf,
    pages: Sequence[Any],
    items: Iterable[OutlineItem],
    index: dict[tuple[int, int], int],
    start: int,
    depth: int,
) -> list[tuple[int, OutlineItem]]:
    """The bookmarks of a part in document order, each with its depth in the part's outline."""
    made: list[tuple[int, OutlineItem]] = []
    for item in items:
        dest = item.destination
        if isinstance(dest, Array) and len(dest) and isinstance(dest[0], Dictionary):
            page = index.get(dest[0].objgen, 0)
        else:
            dest, page = Array([Name.Fit]), 0
        new = OutlineItem(str(item.title), _dest_array(out, pages[start + page], dest))
        new.is_closed = item.is_closed
        made.append((depth, new))
        made += _flat(out, pages, item.children, index, start, depth + 1)
    return made


def _stamp(out: Pdf, footer: Footer, sheet: TokenSheet, sheet_pdf: Pdf, skip: set[int]) -> None:
    """Draw "prefix N between TOTAL end" right-aligned in the footer of every page."""
    forms = [out.copy_foreign(page.as_form_xobject()) for page in sheet_pdf.pages]
    width = dict(zip(sheet.tokens, sheet.widths, strict=True))
    name_of = {token: Name(f"/CpTk{i}") for i, token in enumerate(sheet.tokens)}
    form_of = dict(zip(sheet.tokens, forms, strict=True))
    total = len(out.pages)
    opening = out.make_stream(b"q\n")
    for index, page in enumerate(out.pages):
        if index in skip:
            continue
        runs = [footer.prefix, *str(index + 1), footer.between, *str(total), footer.end]
        runs = [r for r in runs if r]
        _left, bottom, right, top = (float(v) for v in page.mediabox)
        x = right - footer.right_mm * MM - sum(width[r] for r in runs)
        baseline = bottom + (footer.bottom_mm - footer.padding_mm) * MM
        ops = [b"Q\n"]
        for run in runs:
            dx, dy = x - sheet.x, baseline - top
            ops.append(f"q 1 0 0 1 {dx:.3f} {dy:.3f} cm {name_of[run]} Do Q\n".encode())
            x += width[run]
        resources = page.obj.Resources
        if "/XObject" not in resources:
            resources.XObject = Dictionary()
        for run in runs:
            resources.XObject[name_of[run]] = form_of[run]
        page.contents_add(opening, prepend=True)
        page.contents_add(out.make_stream(b"".join(ops)))
