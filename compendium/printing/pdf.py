"""Render print documents to PDF with WeasyPrint, reading only from the build directory.

WeasyPrint's own URL fetcher reads any file and any web address a document
names. ``BuildDirFetcher`` allows only ``data:`` URLs and ``file:`` URLs that
resolve (after following symlinks) inside the build directory, refuses
everything else, and remembers each refusal with the article file that named
the resource, so the build can say which source to fix.

``build`` writes the compendium and the onboarding packs, every document
rendered in parts by parallel processes and joined (compendium/printing/
partbuild.py): the one way every PDF the project ships is made (``make site``,
``make pdf``, ``make publish``). ``render_pdf`` renders one document whole, the
reference the parts are measured and tested against. Every PDF is written to a
temporary name and renamed when complete.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import logging
import mimetypes
import os
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

from compendium import DEFAULT_LANGUAGE, LANGUAGES, TEMPLATES
from compendium.fsutil import write_atomic_via
from compendium.printing.assembly import BuildInfo, Footer, PrintDocument, Printer
from compendium.printing.bilingual import bilingual_document
from compendium.printing.fontshare import FontRecorder, faces_folder
from compendium.printing.join import TokenSheet, pieces
from compendium.printing.partbuild import (
    PartBuilder,
    PartCache,
    PartMeta,
    environment_salt,
    token_html,
)
from compendium.site.memo import Memo
from compendium.source.model import Compendium
from compendium.source.packs import Pack

# Files of docs/ that are sources, not resources a document may show.
_SOURCE_SUFFIXES = (".md", ".yml", ".yaml")
_NETWORK_SCHEMES = ("http", "https", "ftp", "ftps", "ws", "wss")


@dataclass(frozen=True)
class Refusal:
    """A resource the fetcher would not read."""

    url: str
    reason: str
    sources: tuple[str, ...]  # "path:line" of the articles naming it

    def messages(self, document: str) -> list[str]:
        where = self.sources or ("(unknown source)",)
        return [
            f"{src}: refused to load '{self.url}' in {document}: {self.reason}; "
            "the PDF leaves it out"
            for src in where
        ]


class BuildDirFetcher(weasyprint.URLFetcher):
    """Reads ``data:`` URLs and files inside ``root``; refuses and records everything else.

    ``sources`` maps a resource URL (percent-decoded) to the ``path:line`` of the
    articles that name it, as collected by :class:`compendium.printing.assembly.Printer`.
    """

    def __init__(
        self, root: str | os.PathLike[str], sources: Mapping[str, list[str]] | None = None
    ):
        super().__init__(timeout=5, allowed_protocols=("data", "file"), allow_redirects=False)
        self.root = Path(os.path.realpath(root))
        self.sources = {unquote(k): list(v) for k, v in (sources or {}).items()}
        self.refusals: list[Refusal] = []

    def check(self, url: str) -> tuple[str | None, Path | None]:
        """``(reason, None)`` to refuse, else ``(None, file)``; the file is None for data: URLs."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return None, None
        if scheme != "file":
            what = "network" if scheme in _NETWORK_SCHEMES else f"'{scheme}:'"
            return (
                f"{what} URLs are not allowed (only files inside the build directory "
                "and data: URLs)"
            ), None
        if parts.netloc not in ("", "localhost"):
            return f"a file URL on host '{parts.netloc}' is not allowed", None
        if ".." in unquote(parts.path).split("/"):
            return "'..' in a path is not allowed", None
        path = Path(url2pathname(parts.path))
        if not path.is_absolute():
            return "a relative file path is not allowed", None
        real = Path(os.path.realpath(path))
        if not real.is_relative_to(self.root):
            if Path(os.path.normpath(path)).is_relative_to(self.root):
                return "a symbolic link pointing outside the build directory is not allowed", None
            return "the file is outside the build directory", None
        if not real.is_file():
            return "no such file in the build directory", None
        return None, real

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        reason, path = self.check(url)
        if reason is not None:
            sources = self.sources.get(unquote(url.split("#")[0]), [])
            self.refusals.append(Refusal(url, reason, tuple(sources)))
            raise ValueError(f"refused {url}: {reason}")
        if path is None:  # a data: URL, decoded by urllib's DataHandler (no network involved)
            return super().fetch(url, headers)
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": ctype})


@dataclass
class RenderResult:
    name: str
    path: Path
    pages: int
    seconds: float
    peak_rss_mb: float
    refusals: list[Refusal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def messages(self) -> list[str]:
        out: list[str] = []
        for r in self.refusals:
            out.extend(r.messages(self.path.name))
        return out


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage())


def _build_dir_link(link: tuple[Any, ...]) -> bool:
    """An external link to a file: URL (attachments are fetched, and stay)."""
    return link[0] == "external" and str(link[1]).lower().startswith("file:")


class _Shared:
    """What the renderings of one process share: WeasyPrint's font configuration and
    the print stylesheet, parsed once (every part of a document has the same head)."""

    fonts: FontConfiguration | None = None
    sheets: dict[tuple[str, str], weasyprint.CSS] = {}

    @classmethod
    def split(
        cls, html: str, base_url: str, fetcher: BuildDirFetcher
    ) -> tuple[str, list[weasyprint.CSS]]:
        """``html`` without the ``<style>`` of its head, and that stylesheet, parsed."""
        head_end = html.find("<body")
        start, end = html.find("<style>", 0, head_end), html.find("</style>", 0, head_end)
        if cls.fonts is None:
            cls.fonts = FontConfiguration()
        if start < 0 or end < start:
            return html, []
        css = html[start + len("<style>") : end]
        sheet = cls.sheets.get((css, base_url))
        if sheet is None:
            sheet = weasyprint.CSS(
                string=css, base_url=base_url, url_fetcher=fetcher, font_config=cls.fonts
            )
            cls.sheets = {(css, base_url): sheet}  # one document's at a time
        return html[:start] + html[end + len("</style>") :], [sheet]


class _Rendering:
    """WeasyPrint's layout of one HTML document, with the build's fetcher and log capture.

    ``shared``: with the font configuration and parsed print stylesheet of the last
    rendering in this process (the parts of a document; the stylesheet then has the
    user's origin, which no rule of the print documents tells from the author's).
    """

    def __init__(
        self, html: str, build_dir: Path, sources: Mapping[str, list[str]], shared: bool = False
    ):
        self.fetcher = BuildDirFetcher(build_dir, sources)
        self.collect = _Collect()
        base_url = build_dir.resolve().as_uri() + "/"
        sheets: list[weasyprint.CSS] = []
        if shared:
            html, sheets = _Shared.split(html, base_url, self.fetcher)
        with self._captured():
            self.document = weasyprint.HTML(
                string=html, base_url=base_url, url_fetcher=self.fetcher
            ).render(stylesheets=sheets, font_config=_Shared.fonts if shared else None)
        for page in self.document.pages:  # a link into the build directory names a path
            page.links = [link for link in page.links if not _build_dir_link(link)]

    def write(self, target: Path) -> None:
        with self._captured():
            write_atomic_via(target, self.document.write_pdf)

    @contextlib.contextmanager
    def _captured(self) -> Iterator[None]:
        """WeasyPrint's warnings into ``collect``, not the log: refusals are reported
        with their source file instead."""
        logger = logging.getLogger("weasyprint")
        logger.addHandler(self.collect)
        previous = logger.propagate
        logger.propagate = False
        try:
            yield
        finally:
            logger.removeHandler(self.collect)
            logger.propagate = previous

    @property
    def warnings(self) -> list[str]:
        refused = {r.url for r in self.fetcher.refusals}
        return [w for w in self.collect.records if not any(u in w for u in refused)]


def render_pdf(doc: PrintDocument, build_dir: Path, target: Path) -> RenderResult:
    """Render ``doc`` to ``target`` (written to a temporary name, then renamed)."""
    start = time.perf_counter()
    r = _Rendering(doc.html, build_dir, doc.sources)
    r.write(target)
    return RenderResult(
        doc.name,
        target,
        len(r.document.pages),
        time.perf_counter() - start,
        _peak_rss_mb(),
        list(r.fetcher.refusals),
        r.warnings,
    )


def render_part(
    html: str, build_dir: Path, sources: Mapping[str, list[str]], target: Path | None
) -> PartMeta:
    """Render one part of a document (compendium/printing/partbuild.py) to ``target``;
    without a target, only lay it out (its pages and anchors, nothing written).

    A link to an anchor in another part is kept: the part gets a stand-in anchor of
    that name on its first page, and the join replaces the stand-ins by the real
    anchors of the other parts.
    """
    r = _Rendering(html, build_dir, sources, shared=True)
    pages = r.document.pages
    own: dict[str, int] = {}
    for index, page in enumerate(pages):
        for name in page.anchors:
            own.setdefault(name, index)
    levels = [bookmark[0] for page in pages for bookmark in page.bookmarks]
    if target is None:
        return PartMeta(len(pages), own, levels=levels)
    wanted = {link[1] for page in pages for link in page.links if link[0] == "internal"}
    if pages:
        for name in sorted(wanted - own.keys()):
            pages[0].anchors[name] = (0, 0, 0, 0)
    with FontRecorder(faces_folder(target.parent)) as faces:  # the join shares them
        r.write(target)
    refusals = [
        {"url": x.url, "reason": x.reason, "sources": list(x.sources)} for x in r.fetcher.refusals
    ]
    return PartMeta(len(pages), own, refusals, r.warnings, levels, fonts=faces.fonts)


def render_token_sheet(doc: PrintDocument, footer: Footer, builder: PartBuilder) -> TokenSheet:
    """The footer pieces of ``doc`` (compendium/printing/join.py), rendered once and cached
    with their boxes (under a key of the fonts and engine too, as every part)."""
    html = token_html(doc, footer)
    key, cache, build_dir = builder.key(html), builder.cache, builder.build_dir
    target = cache.pdf(key)
    tokens = pieces(footer)
    meta = cache.get(key)
    if meta is None or len(meta.boxes) != len(tokens):
        r = _Rendering(html, build_dir, {})
        boxes = [list(r.document.pages[i].anchors[f"cp-token-{i}"]) for i in range(len(tokens))]
        r.write(target)
        meta = PartMeta(len(tokens), {}, boxes=boxes)
        cache.put(key, meta)
    spans = meta.boxes
    px = 0.75  # CSS pixels to points
    widths = tuple(0.0 if not t else s[2] * px for t, s in zip(tokens, spans, strict=True))
    return TokenSheet(target, tokens, widths, spans[0][0] * px)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def stage_build_dir(docs: Path, build_dir: Path) -> Path:
    """Fill ``build_dir`` with the resources of ``docs`` (everything but the sources).

    Symbolic links are copied as links, so a link pointing outside stays one
    and the fetcher refuses it.
    """
    build_dir.mkdir(parents=True, exist_ok=True)
    for dirpath, dirnames, filenames in os.walk(docs):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel = Path(dirpath).relative_to(docs)
        for name in filenames:
            if name.startswith(".") or name.endswith(_SOURCE_SUFFIXES):
                continue
            src, dst = Path(dirpath) / name, build_dir / rel / name
            dst.parent.mkdir(parents=True, exist_ok=True)
            if src.is_symlink():
                os.symlink(os.readlink(src), dst)
            else:
                shutil.copy2(src, dst)
    return build_dir


def system_warnings() -> list[str]:
    """What is missing on this machine for fast, correct PDFs (``make sysdeps`` installs it)."""
    out: list[str] = []
    if ctypes.util.find_library("harfbuzz-subset") is None:
        out.append(
            "libharfbuzz-subset0 is missing: fonts are subset with fontTools instead, "
            "several times slower (install the Debian package libharfbuzz-subset0)"
        )
    try:
        found = subprocess.run(
            ["fc-list", ":family=Noto Serif CJK TC", "family"],
            capture_output=True,
            text=True,
            timeout=20,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        found = ""
    if "Noto Serif CJK TC" not in found:
        out.append(
            "the Noto CJK fonts are missing: Chinese text will use whatever font fontconfig "
            "finds (install the Debian package fonts-noto-cjk)"
        )
    return out


# -- the whole build -------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One PDF: the compendium (pack is None) or one pack, in one language."""

    lang: str
    pack: Pack | None = None
    bilingual: bool = False  # the Chinese-English edition (``lang`` is its main language)

    @property
    def name(self) -> str:
        if self.bilingual:
            return "compendium-bilingual"
        return (
            f"compendium-{self.lang}" if self.pack is None else f"pack-{self.pack.id}-{self.lang}"
        )


def plan(
    packs: Iterable[Pack], languages: Iterable[str] = LANGUAGES, compendium: bool = True
) -> list[Job]:
    """Every PDF to build, the longest first (so parallel workers finish together)."""
    langs = list(languages)
    jobs = [Job(lang) for lang in langs] if compendium else []
    if compendium and set(LANGUAGES) <= set(langs):
        jobs.insert(0, Job(DEFAULT_LANGUAGE, bilingual=True))  # the longest
    jobs += [Job(lang, pack) for pack in packs for lang in langs]
    return jobs


def document_of(
    comp: Compendium,
    job: Job,
    info: BuildInfo,
    base_url: str,
    templates: Path,
    parts: bool,
    memo: Memo | None = None,
) -> PrintDocument:
    """The print document of ``job`` (made to be rendered in parts when ``parts``)."""
    if job.bilingual:
        return bilingual_document(comp, info, base_url, templates, parts=parts, memo=memo)
    printer = Printer(comp, job.lang, info, base_url, templates, parts=parts, memo=memo)
    return printer.compendium() if job.pack is None else printer.pack(job.pack)


def build(
    comp: Compendium,
    jobs: list[Job],
    info: BuildInfo,
    docs: Path,
    out_dir: Path,
    cache_dir: Path | None = None,
    workers: int = 2,
    templates: Path = TEMPLATES,
) -> list[RenderResult]:
    """Render ``jobs`` into ``out_dir``, every document in parts (compendium/printing/
    partbuild.py) by ``workers`` processes; results in job order.

    The parts are kept in ``cache_dir``, so that after an edit only the changed parts
    render again; without it, in a temporary folder removed afterwards.
    """
    if cache_dir is None:
        with tempfile.TemporaryDirectory(prefix="compendium-pdf-") as tmp:
            return build(comp, jobs, info, docs, out_dir, Path(tmp), workers, templates)
    start = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    build_dir = cache_dir / "build"  # the same folder every time: it is in the parts' HTML
    shutil.rmtree(build_dir, ignore_errors=True)
    stage_build_dir(docs, build_dir)
    cache = PartCache(cache_dir / "parts")
    builder = PartBuilder(render_part, build_dir, cache, environment_salt(build_dir), workers)
    base = builder.base_url
    memo = Memo(cache_dir / "bodies.json")
    documents = [document_of(comp, job, info, base, templates, True, memo) for job in jobs]
    memo.save()
    state = builder.build(documents)
    results = []
    for s in state:
        footer = s.doc.footer
        sheet = render_token_sheet(s.doc, footer, builder) if footer else None
        target = out_dir / f"{s.doc.name}.pdf"
        pages = builder.join(s, target, sheet)
        metas = [m for m in s.metas if m is not None]
        refusals = [
            Refusal(r["url"], r["reason"], tuple(r["sources"])) for m in metas for r in m.refusals
        ]
        warnings = [w for m in metas for w in m.warnings]
        results.append(
            RenderResult(
                s.doc.name,
                target,
                pages,
                time.perf_counter() - start,
                _peak_rss_mb(),
                refusals,
                warnings,
            )
        )
    cache.prune()
    shutil.rmtree(build_dir, ignore_errors=True)
    return results
