"""Site search: article-number keys in the page HTML, and the Pagefind index.

The index is built by Pagefind (see ``decisions/0009-search.md``) after every
language of the site has been written. Pagefind writes one index per
``<html lang>``, split into chunks, so a reader downloads only a small part of
the index of the language being read.

Article numbers are found through a key indexed with each numbered article
heading: ``artnum17`` for 第十七條 / Article 17, ``artnum10s1`` for 第十條之一 /
Article 10-1. The browser turns every way a reader writes a number (第十七條,
十七條, 17, Art. 17, 第十條之一, 10-1) into the same key
(``docs/assets/search.js``), so a number query finds exactly that article.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

BUNDLE_DIR = "pagefind"  # under the site root
KEY_ATTR = "data-search-key"

# The empty number anchor that precedes a numbered article heading's text
# (see ``Renderer._numbered_heading``): art-17, art-10-1.
_ANCHOR_RE = re.compile(r'<span id="art-(\d+)(?:-(\d+))?"></span>')


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


def add_article_keys(html: str) -> str:
    """Attach the search key of each numbered article to its heading's number anchor.

    The key is an attribute Pagefind indexes (``data-pagefind-index-attrs``), not
    text: readers and screen readers never see it. Only for article numbers
    written as base and insertion (not the outline style's chapter.article).
    """

    def keyed(m: re.Match[str]) -> str:
        base, sub = m.group(1), m.group(2)
        key = article_key(int(base), int(sub) if sub else None)
        anchor = f"art-{base}-{sub}" if sub else f"art-{base}"
        return (
            f'<span id="{anchor}" {KEY_ATTR}="{key}" '
            f'data-pagefind-index-attrs="{KEY_ATTR}"></span>'
        )

    return _ANCHOR_RE.sub(keyed, html)


_HEADERLINK_RE = re.compile(r'<a class="headerlink" ')


def ignore_permalinks(html: str) -> str:
    """Keep the ¶ permalinks of headings out of the index (and out of result titles)."""
    return _HEADERLINK_RE.sub('<a class="headerlink" data-pagefind-ignore ', html)


def pagefind_executable() -> Path:
    """The Pagefind binary shipped inside the ``pagefind-bin-extended`` wheel."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError as exc:
        raise SearchIndexError(
            "pagefind-bin-extended is not installed (it is pinned in requirements.lock; "
            "run make env)"
        ) from exc
    return Path(get_executable())


def build_index(site_dir: Path, timeout: float = 600) -> IndexStats:
    """Index every page of ``site_dir`` marked ``data-pagefind-body`` into ``site_dir/pagefind``.

    Runs the binary without a shell, offline; stale bundle files from an earlier
    build are removed first so the bundle always matches the pages.
    """
    site_dir = Path(site_dir)
    out = site_dir / BUNDLE_DIR
    if out.exists():
        shutil.rmtree(out)
    cmd = [
        str(pagefind_executable()),
        "--site",
        str(site_dir),
        "--output-subdir",
        BUNDLE_DIR,
        "--silent",
    ]
    start = time.perf_counter()
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"Pagefind did not run: {exc}") from exc
    seconds = time.perf_counter() - start
    if result.returncode != 0 or not (out / "pagefind.js").is_file():
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise SearchIndexError(
            f"Pagefind failed to index the site (exit {result.returncode}): " + " / ".join(detail)
        )
    files = [p for p in out.rglob("*") if p.is_file()]
    return IndexStats(seconds, len(files), sum(p.stat().st_size for p in files))
