"""Build the PDFs in parts, in parallel, reusing every part whose content is unchanged.

Every document is cut into parts (compendium/printing/parts.py); each part is
rendered by WeasyPrint on its own, by a pool of worker processes, into a cache
folder under a key made of its HTML and everything else it is made of (the
resources, the WeasyPrint version, the installed fonts): never of a file's
time. The parts are then joined (compendium/printing/join.py). After a one-
article edit only the parts showing that article are rendered again, plus the
parts that print page numbers (contents, duty tables) when those numbers moved.

A part that prints page numbers needs the page counts of all parts, its own
included: it is first rendered with the numbers of the last build (in a cold
build, only laid out without numbers, to count its pages), and again until the
counts agree (a page number rarely changes a part's length, so once or twice).
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import pydyf
import weasyprint

from compendium.fsutil import write_atomic, write_atomic_via
from compendium.printing.assembly import Footer, PrintDocument
from compendium.printing.fontshare import faces_folder
from compendium.printing.join import RenderedPart, TokenSheet, join, pieces
from compendium.printing.parts import Part, content_key, first_pages, split, with_page_numbers
from compendium.site.memo import CODE

FORMAT = "parts-4"  # bump when the way parts are made changes
PLACEHOLDER = "build:/"  # the build folder's URL, in cache keys


@dataclass
class PartMeta:
    """What the cache keeps next to a rendered part."""

    pages: int
    anchors: dict[str, int]
    refusals: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    levels: list[int] = field(default_factory=list)  # of its bookmarks, in order
    boxes: list[list[float]] = field(default_factory=list)  # a token sheet's pieces (x, y, w, h)
    fonts: dict[str, Any] = field(default_factory=dict)  # compendium/printing/fontshare.py


class PartCache:
    """``<key>.pdf`` and ``<key>.json`` in ``folder``; entries not used by a build are removed."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.used: set[str] = set()
        self.faces: set[str] = set()  # the fonts the parts in use were cut from

    def pdf(self, key: str) -> Path:
        return self.folder / f"{key}.pdf"

    def get(self, key: str) -> PartMeta | None:
        meta = self.folder / f"{key}.json"
        if not (meta.is_file() and self.pdf(key).is_file()):
            return None
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
            found = PartMeta(**data)
        except (ValueError, TypeError):
            return None
        self.used.add(key)
        self._faces(found)
        return found

    def put(self, key: str, meta: PartMeta) -> None:
        text = json.dumps(meta.__dict__, ensure_ascii=False, sort_keys=True)
        write_atomic(self.folder / f"{key}.json", text)
        self.used.add(key)
        self._faces(meta)

    def _faces(self, meta: PartMeta) -> None:
        self.faces.update(str(face[0]) for face in meta.fonts.values() if face)

    def numbers(self) -> dict[str, dict[str, int]]:
        """Per document, the page of every anchor in the last build (empty if unknown)."""
        try:
            data = json.loads(self._numbers.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {
            str(name): {str(a): n for a, n in pages.items() if isinstance(n, int)}
            for name, pages in data.items()
            if isinstance(pages, dict)
        }

    def save_numbers(self, numbers: Mapping[str, Mapping[str, int]]) -> None:
        text = json.dumps(numbers, ensure_ascii=False, sort_keys=True)
        write_atomic(self._numbers, text)

    @property
    def _numbers(self) -> Path:
        return self.folder / "numbers.state"  # not a part: prune() leaves it

    def prune(self) -> None:
        """Remove what this build did not use (the cache holds one build's parts)."""
        for path in self.folder.glob("*.*"):
            if path.suffix in (".pdf", ".json") and path.stem not in self.used:
                path.unlink(missing_ok=True)
        for path in faces_folder(self.folder).glob("*.face"):
            if path.stem not in self.faces:
                path.unlink(missing_ok=True)


def environment_salt(build_dir: Path) -> str:
    """What every part is made of besides its HTML: engine, fonts and resource files."""
    engine = f"{FORMAT}|{CODE}|{weasyprint.__version__}|{pydyf.__version__}"
    digest = hashlib.sha256(engine.encode())
    try:
        fonts = subprocess.run(
            ["fc-list", "--format", "%{file}|%{family}|%{style}\n"],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        fonts = ""
    digest.update("".join(sorted(fonts.splitlines(keepends=True))).encode())
    for path in sorted(p for p in build_dir.rglob("*") if p.is_file() or p.is_symlink()):
        rel = path.relative_to(build_dir).as_posix()
        data = os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
        digest.update(f"{rel}\0{len(data)}\0".encode() + hashlib.sha256(data).digest())
    return digest.hexdigest()


# -- rendering (in worker processes) ---------------------------------------------


# (html, build folder, resource sources, target) -> its facts; no target: lay out only
Renderer = Callable[[str, Path, Mapping[str, list[str]], Path | None], PartMeta]


@dataclass
class _Doc:
    """One document being built: its parts and, per part, the key and facts in use."""

    doc: PrintDocument
    parts: list[Part]
    keys: list[str] = field(default_factory=list)
    metas: list[PartMeta | None] = field(default_factory=list)


class PartBuilder:
    """Renders the parts of several documents with a pool and joins each document."""

    def __init__(
        self,
        render: Renderer,
        build_dir: Path,
        cache: PartCache,
        salt: str,
        workers: int,
    ):
        self.render = render
        self.build_dir = build_dir
        self.base_url = build_dir.resolve().as_uri() + "/"
        self.cache = cache
        self.salt = salt
        self.workers = max(1, workers)
        self.rendered = 0  # parts rendered (not found in the cache) in this build

    def key(self, html: str) -> str:
        return content_key(html.replace(self.base_url, PLACEHOLDER), self.salt)

    def build(self, docs: list[PrintDocument]) -> list[_Doc]:
        """Render every part of ``docs`` (from the cache where it can)."""
        state = [_Doc(d, split(d.name, d.html)) for d in docs]
        for s in state:
            s.keys = [self.key(p.html) for p in s.parts]
            s.metas = [None] * len(s.parts)
        # First: every part that prints no page number, and a first take of the others
        # with the numbers of the last build (after a small edit, usually the right ones).
        # Without them (a cold build) the first take only lays the part out, to count
        # its pages: it is rendered once, with the numbers it prints.
        last = self.cache.numbers()
        first, counted = [], []
        for s in state:
            known = last.get(s.doc.name)
            for i, p in enumerate(s.parts):
                if not p.prints_page_numbers:
                    first.append((s, i, p))
                elif known is None:
                    counted.append((s, i, with_page_numbers(p, {})))
                else:
                    first.append((s, i, with_page_numbers(p, known)))
        self._render_all(first, counted)
        for _ in range(4):
            todo = []
            for s in state:
                pages = _anchor_pages(s)
                for i, part in enumerate(s.parts):
                    if part.prints_page_numbers:
                        todo.append((s, i, with_page_numbers(part, pages)))
            before = [[m.pages if m else 0 for m in s.metas] for s in state]
            self._render_all(todo)
            if before == [[m.pages if m else 0 for m in s.metas] for s in state]:
                break
        self.cache.save_numbers({s.doc.name: _anchor_pages(s) for s in state})
        return state

    def _render_all(
        self, items: list[tuple[_Doc, int, Part]], counted: Sequence[tuple[_Doc, int, Part]] = ()
    ) -> None:
        """Render ``items`` where the cache has no PDF of them, and lay out ``counted``
        (their page counts and anchors, nothing written), all in one pool."""
        missing: dict[str, tuple[Part, PrintDocument]] = {}
        for s, i, part in items:
            key = self.key(part.html)
            s.keys[i] = key
            meta = self.cache.get(key)
            s.metas[i] = meta
            if meta is None:
                missing[key] = (part, s.doc)
        count = {f"count:{self.key(p.html)}": (p, s.doc) for s, i, p in counted}
        results = self._run(missing, count)
        for s, i, _ in items:
            if s.metas[i] is None:
                s.metas[i] = results[s.keys[i]]
        for s, i, part in counted:
            s.metas[i] = results[f"count:{self.key(part.html)}"]

    def _run(
        self,
        missing: Mapping[str, tuple[Part, PrintDocument]],
        count: Mapping[str, tuple[Part, PrintDocument]] | None = None,
    ) -> dict[str, PartMeta]:
        """Render the parts ``missing`` (key -> part) into the cache and lay out the parts
        ``count``, the longest first."""
        count = count or {}
        tasks = {**missing, **count}
        order = sorted(tasks, key=lambda k: -len(tasks[k][0].html))
        out: dict[str, PartMeta] = {}
        args = {
            k: (tasks[k][0].html, tasks[k][1].sources, None if k in count else self.cache.pdf(k))
            for k in order
        }
        if self.workers <= 1 or len(order) <= 1:
            for k in order:
                html, sources, target = args[k]
                out[k] = self.render(html, self.build_dir, sources, target)
        else:
            ctx = multiprocessing.get_context(
                "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            )
            with concurrent.futures.ProcessPoolExecutor(self.workers, mp_context=ctx) as pool:
                futures = {
                    k: pool.submit(self.render, args[k][0], self.build_dir, *args[k][1:])
                    for k in order
                }
                out = {k: f.result() for k, f in futures.items()}
        for k in missing:
            self.cache.put(k, out[k])
        self.rendered += len(missing)
        return out

    def join(self, s: _Doc, target: Path, sheet: TokenSheet | None) -> int:
        """Join the parts of ``s`` into ``target`` (atomically); its page count."""
        metas = [m for m in s.metas if m is not None]
        rendered = [
            RenderedPart(self.cache.pdf(k), m.pages, m.anchors, i == 0, levels=m.levels)
            for i, (k, m) in enumerate(zip(s.keys, metas, strict=True))
        ]
        footer = s.doc.footer
        key = content_key("|".join([*s.keys, repr(footer), sheet_key(sheet)]), self.salt)
        joined = self.cache.pdf(key)
        if self.cache.get(key) is None:
            pages = write_atomic_via(joined, lambda tmp: join(rendered, tmp, footer, sheet))
            self.cache.put(key, PartMeta(pages, {}))
        write_atomic_via(target, lambda tmp: shutil.copyfile(joined, tmp))
        return sum(m.pages for m in metas)


def sheet_key(sheet: TokenSheet | None) -> str:
    return "" if sheet is None else f"{sheet.pdf.stem}:{sheet.widths}"


def _anchor_pages(s: _Doc) -> dict[str, int]:
    """Anchor -> its 1-based page in the joined document, from the parts' counts."""
    metas = [m for m in s.metas if m is not None]
    starts = first_pages([m.pages for m in metas])
    pages: dict[str, int] = {}
    for start, meta in zip(starts, metas, strict=True):
        for name, local in meta.anchors.items():
            pages.setdefault(name, start + local + 1)
    return pages


def token_html(doc: PrintDocument, footer: Footer) -> str:
    """A document of one footer piece per page, in ``doc``'s own stylesheet and fonts."""
    head = doc.html[: doc.html.index("<body")]
    style = (
        "<style>@page { margin: 0; @top-left { content: none; } @top-right { content: none; }"
        " @bottom-left { content: none; } @bottom-right { content: none; } }"
        " body { margin: 0; } div.cp-token { font-size: 8pt; color: #666; white-space: pre;"
        " break-after: page; margin: 0; padding: 0; }</style>"
    )
    head = head.replace("</head>", style + "</head>")
    body = "".join(
        f'<div class="cp-token"><span id="cp-token-{i}">{escape(t) or "&#8203;"}</span></div>'
        for i, t in enumerate(pieces(footer))
    )
    return f"{head}<body>{body}</body></html>"
