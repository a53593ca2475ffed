"""Translation drift: English files whose recorded ``translates`` hash is no longer
the hash of the Chinese text, when (from git) the Chinese text was amended, the
notice shown on a drifted article and the report page listing every drift.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from compendium import DEFAULT_LANGUAGE, TEMPLATES
from compendium.changes.git import GitError, GitRepo
from compendium.changes.recorded import recorded_releases
from compendium.labels import format_date, section
from compendium.numbering.citation import heading
from compendium.numbering.numbers import article_label, numbers_of
from compendium.source.layout import article_path, manifest_path
from compendium.source.model import Compendium, content_hash
from compendium.source.yamlsrc import YamlError, split_front_matter
from compendium.templating import environment


@dataclass
class Amendment:
    """When the Chinese text moved away from the text a translation was made from."""

    release: str | None  # the first release containing the amendment
    date: dt.datetime | None
    commit: str | None
    worktree: bool = False  # the amendment is not committed yet


@dataclass
class Drift:
    regulation: str
    article: str
    en_path: str  # display path of the English file
    zh_path: str
    translates: str  # the hash the English records
    current: str  # the hash of the Chinese text now
    amended: Amendment | None = None  # None when git cannot tell

    @property
    def key(self) -> tuple[str, str]:
        return (self.regulation, self.article)


def find_drift(comp: Compendium) -> list[Drift]:
    """English files whose ``translates`` is not the hash of the current Chinese text.
    (Files without ``translates`` are not stamped yet: not drift, see scripts/stamp.py.)"""
    out = []
    for reg in comp.regulations.values():
        for art in reg.articles.values():
            en = art.texts.get("en")
            if en is None or en.translates is None:
                continue
            current = art.source_hash
            if en.translates != current:
                out.append(
                    Drift(
                        reg.id,
                        art.id,
                        en.path,
                        art.texts[DEFAULT_LANGUAGE].path,
                        en.translates,
                        current,
                    )
                )
    return out


def _blob_hash(data: bytes | None) -> str | None:
    if data is None:
        return None
    try:
        doc = split_front_matter(data.decode("utf-8"))
    except (YamlError, UnicodeDecodeError):
        return None
    caption = doc.meta.get("caption")
    return content_hash(caption if isinstance(caption, str) else None, doc.body.strip("\n"))


def locate_amendments(
    drifts: list[Drift],
    repo_path: str | os.PathLike[str],
    docs: str = "docs",
    max_commits: int = 200,
) -> list[Drift]:
    """Fill ``Drift.amended`` from git: the commit after which the Chinese text no
    longer matched the translation, and the first release that contains it.
    Leaves ``amended`` None when git cannot tell (no repository, shallow history,
    or a ``translates`` hash that no committed version had)."""
    try:
        repo = GitRepo(repo_path)
        docs = repo.relative(docs, repo_path)
        if not repo.has_commits():
            return drifts
    except GitError:
        return drifts
    try:
        releases = recorded_releases(repo, docs)
    except GitError:  # records unreadable or a release not in this clone: no release names
        releases = []
    for d in drifts:
        path = f"{docs}/{article_path(d.regulation, d.article, DEFAULT_LANGUAGE)}"
        try:
            log = repo.file_log(path)[:max_commits]
            blobs = repo.read_blobs([f"{sha}:{path}" for sha, _ in log])
        except GitError:
            continue
        hashes = [_blob_hash(blobs.get(f"{sha}:{path}")) for sha, _ in log]
        matched = next((i for i, h in enumerate(hashes) if h == d.translates), None)
        if matched is None:
            continue
        amending = next((j for j in range(matched - 1, -1, -1) if hashes[j] != d.translates), None)
        if amending is None:  # every later commit still has the translated text: uncommitted edit
            d.amended = Amendment(None, None, None, worktree=True)
            continue
        sha, date = log[amending]
        release = next((r.version for r in releases if repo.is_ancestor(sha, r.commit)), None)
        d.amended = Amendment(release, date, sha[:7])
    return drifts


def drift_when(d: Drift, lang: str) -> str | None:
    t = section(lang, "changes")
    a = d.amended
    if a is None:
        return None
    if a.worktree:
        return t["drift_when_worktree"]
    if a.release:
        return t["drift_when_release"].format(version=a.release, date=format_date(a.date, lang))
    return t["drift_when_draft"].format(date=format_date(a.date, lang))


def drift_notice(d: Drift, lang: str) -> str:
    """「此譯文可能已過時：中文條文已於 2026.2 版（…）修訂。」 or
    "This translation may be outdated: the Chinese text was amended in release 2026.2 (…)"."""
    t = section(lang, "changes")
    when = drift_when(d, lang)
    return t["drift_notice"].format(when=when) if when else t["drift_notice_unknown"]


def drift_page(
    drifts: list[Drift],
    comp: Compendium,
    lang: str,
    url: Callable[[str, str | None], str],
    templates: Path = TEMPLATES,
) -> tuple[str, str]:
    """``(title, markdown)`` of the report page listing every drifted article.

    ``url(source path, anchor)`` links to an article (as in compendium.site.render)."""
    t = section(lang, "changes")
    rows = []
    for d in drifts:
        reg = comp.regulations[d.regulation]
        num = numbers_of(reg).articles[d.article]
        art = reg.articles[d.article]
        caption = art.text(lang).caption
        label = heading(article_label(num, lang), caption, reg.numbering, lang)
        rows.append(
            {
                "regulation": reg.title.get(lang, reg.id),
                "article": label,
                "href": url(manifest_path(reg.id), d.article),
                "when": drift_when(d, lang) or t["drift_unknown"],
                "file": d.en_path,
            }
        )
    html = (
        environment(templates, "diff")
        .get_template("drift_report.html")
        .render(t=t, lang=lang, rows=rows)
    )
    return t["drift_title"], f"# {t['drift_title']}\n\n{html}"


def drift_map(
    comp: Compendium, repo_path: str | os.PathLike[str] | None, docs: str = "docs"
) -> dict[tuple[str, str], Drift]:
    """``{(regulation, article): Drift}``, with amendment dates when git is available."""
    drifts = find_drift(comp)
    if repo_path is not None and drifts:
        locate_amendments(drifts, repo_path, docs)
    return {d.key: d for d in drifts}
