"""The pages made of review dates and release history: the review page, the
revision-history page and an article's amendment-history block, rendered with the
templates from the data of :mod:`compendium.source.reviews` and
:mod:`compendium.changes.history`; and the redline and comparison table of each release,
written under ``site/releases/`` once the site is built."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from compendium import DEFAULT_LANGUAGE, LANGUAGES, TEMPLATES
from compendium.changes.diff import Change, Diff
from compendium.changes.git import Release
from compendium.changes.history import (
    UNRELEASED,
    ArticleRevisions,
    History,
    RedlineUrl,
    report_folder,
    stamp_label,
)
from compendium.changes.outputs import report_name
from compendium.changes.report import Reporter, write_reports
from compendium.labels import format_date, kind_name, section
from compendium.source.layout import RELEASE_REPORTS_DIR, manifest_path
from compendium.source.model import Compendium, localized_note
from compendium.source.reviews import review_rows
from compendium.templating import environment


def reviews_page(
    comp: Compendium, lang: str, as_of: dt.date | None, url: Any, render: Any
) -> tuple[str, str]:
    """``(title, markdown)`` of the review page. ``url(source, anchor)`` links a
    regulation; ``render(template, **context)`` renders a Jinja template."""
    t = section(lang, "reviews")
    rows = []
    for row in review_rows(comp, as_of):
        reg, cycle = row.regulation, row.cycle
        owner = comp.roles.get(reg.owner)
        nxt = cycle.next if cycle else None
        rows.append(
            {
                "code": reg.code,
                "title": reg.title.get(lang, reg.id),
                "href": url(manifest_path(reg.id), None),
                "owner": owner.name.get(lang, owner.id) if owner else reg.owner,
                "last": cycle.last if cycle else None,
                "last_text": format_date(cycle.last, lang) if cycle and cycle.last else t["none"],
                "every": (t["month"] if cycle.every == 1 else t["months"].format(n=cycle.every))
                if cycle and cycle.every
                else t["none"],
                "next": nxt,
                "next_text": format_date(nxt, lang) if nxt else t["none"],
                "overdue": row.overdue,
                "status": (
                    t["overdue_1"]
                    if row.days_overdue == 1
                    else t["overdue"].format(n=row.days_overdue)
                )
                if row.overdue
                else (t["due"] if nxt and as_of else ""),
            }
        )
    as_of_text = t["as_of"].format(date=format_date(as_of, lang)) if as_of else t["as_of_unknown"]
    html = render("reviews.html", r=t, rows=rows, as_of=as_of_text)
    return t["title"], f"# {t['title']}\n\n{html}"


def revisions_page(
    history: History, lang: str, redline_url: RedlineUrl, templates: Path = TEMPLATES
) -> tuple[str, str]:
    """``(title, markdown)`` of the revision-history page in ``lang``.

    ``redline_url(folder, file)`` turns ``releases/<folder>/<file>`` into a link
    usable from the page being built.
    """
    t = section(lang, "changes")
    env = environment(templates, "diff")

    def entry_view(diff: Diff, folder: str | None, first: bool) -> dict[str, Any]:
        rep = Reporter(diff, lang, templates, history.role_names)
        changes = [c for c in diff.changes if not first or c.scope == "regulation"]
        redline = redline_url(folder, report_name("html", lang)) if folder else None
        return {
            "counts": rep.counts(),
            "total": len(diff.changes),
            "changes": [
                {
                    "title": _change_title(rep, c),
                    "kinds": [kind_name(lang, c.scope, k) for k in c.kinds],
                    "href": f"{redline}#{c.anchor}" if redline else None,
                }
                for c in changes
            ],
            "redline": redline,
            "table": redline_url(folder, report_name("table", lang)) if folder else None,
        }

    releases = []
    for e in history.entries:
        first = e.previous is None
        view = entry_view(e.diff, None if first else report_folder(e), first)
        view.update(
            {
                "version": e.version,
                "tag": e.release.tag,
                "date": e.release.date,
                "notes": e.notes.get(lang, ""),
                "first": first,
                "previous": e.previous.version if e.previous else None,
                **_approval_view(e.release, lang),
            }
        )
        releases.append(view)
    unreleased = entry_view(history.unreleased, UNRELEASED, False) if history.unreleased else None
    html = env.get_template("revisions.html").render(
        t=t,
        lang=lang,
        notice=history.notice(lang),
        releases=releases,
        unreleased=unreleased,
        stamp=stamp_label(history.stamp, lang),
        date=lambda d: format_date(d, lang),
    )
    return t["revisions_title"], f"# {t['revisions_title']}\n\n{html}"


def _approval_view(rel: Release, lang: str) -> dict[str, Any]:
    """The approval record of a release for the page (nothing for a release without one)."""
    record = rel.record
    if record is None:
        return {"approval": None}
    approval = record.approval
    return {
        "approval": {
            "body": approval.body.get(lang, ""),
            "date": approval.date,
            "resolution": approval.resolution.get(lang, ""),
        },
        "effective": record.effective,
    }


def _change_title(rep: Reporter, c: Change) -> str:
    if c.scope == "article":
        return (
            f"{rep.reg_title(c.regulation)} {c.title.get(rep.lang, c.id)}"
            if rep.lang == DEFAULT_LANGUAGE
            else f"{c.title.get(rep.lang, c.id)}, {rep.reg_title(c.regulation)}"
        )
    if c.scope in ("chapter", "section"):
        return (
            f"{rep.reg_title(c.regulation)} {c.title.get(rep.lang, c.id)}"
            if rep.lang == DEFAULT_LANGUAGE
            else f"{c.title.get(rep.lang, c.id)}, {rep.reg_title(c.regulation)}"
        )
    if c.scope == "regulation":
        return rep.reg_title(c.regulation)
    return c.title.get(rep.lang, c.id)


def article_history_html(
    info: ArticleRevisions,
    lang: str,
    redline_url: RedlineUrl | None = None,
    templates: Path = TEMPLATES,
) -> str:
    """The amendment-history block of one article, as HTML (the latest-release marker
    is the status badge, ``status_badge``)."""
    if not info.entries:
        return ""
    entries = []
    for r in info.entries:
        href = None
        if redline_url is not None and r.release and r.anchor:
            href = f"{redline_url(r.release, report_name('html', lang))}#{r.anchor}"
        entries.append(
            {
                "date": format_date(r.date, lang) if r.date else "",
                "release": section(lang, "changes")["release_n"].format(version=r.release)
                if r.release
                else "",
                "kinds": [kind_name(lang, "article", k) for k in r.kinds],
                "notes": [localized_note(n, lang) for n in r.notes],
                "href": href,
            }
        )
    return (
        environment(templates, "diff")
        .get_template("article_history.html")
        .render(
            t=section(lang, "changes"),
            lang=lang,
            entries=entries,
            marker=False,
            latest=info.latest_release,
        )
    )


def write_release_reports(
    history: History, site_dir: str | os.PathLike[str], templates: Path = TEMPLATES
) -> list[Path]:
    """Write the redline and comparison table of every release (and of the unreleased
    changes) under ``<site_dir>/releases/``; the first release has none."""
    out: list[Path] = []
    base = Path(site_dir) / RELEASE_REPORTS_DIR
    for entry in history.entries:
        if entry.previous is None:
            continue
        out += write_reports(
            entry.diff,
            base / report_folder(entry),
            ("html", "table"),
            LANGUAGES,
            templates,
            history.role_names,
        )
    if history.unreleased is not None:
        out += write_reports(
            history.unreleased,
            base / UNRELEASED,
            ("html", "table"),
            LANGUAGES,
            templates,
            history.role_names,
        )
    return out
