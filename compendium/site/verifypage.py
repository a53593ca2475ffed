"""The verify page: every release, its PDFs and the digest of each regulation.

A printed copy's QR code opens ``verify/#<digest>`` (compendium/printing/control.py):
the entry whose id is that short digest is the URL's target, and the stylesheet
marks it (``:target``), offline and with no server. The records are
``releases/<version>.yml`` (decisions/0014-release-records.md); the newest is
current, every other is superseded by the one after it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from compendium.labels import format_date, section
from compendium.source.ledger import ReleaseRecord, short_digest
from compendium.source.model import Compendium


def verify_page(
    records: list[ReleaseRecord],
    comp: Compendium,
    lang: str,
    pdfs: list[dict[str, str]],
    render: Callable[..., str],
) -> tuple[str, str]:
    """``(title, markdown)`` of the verify page; ``records`` oldest first, ``pdfs``
    (``label``, ``href``) the PDFs the site serves, those of the current release."""
    t = section(lang, "verify")
    entries: list[dict[str, Any]] = []
    for n, rec in enumerate(records):
        later = records[n + 1] if n + 1 < len(records) else None
        regs = []
        for rid, digest in sorted(rec.digests.items()):
            reg = comp.regulations.get(rid)
            regs.append(
                {
                    "code": reg.code if reg else "",
                    "title": reg.title.get(lang, rid) if reg else rid,
                    "digest": digest,
                }
            )
        entries.append(
            {
                "id": short_digest(rec.sources),
                "version": rec.version,
                "date": rec.date,
                "date_text": format_date(rec.date, lang),
                "approval": rec.approval.body.get(lang, ""),
                "approval_date": format_date(rec.approval.date, lang),
                "effective": format_date(rec.effective, lang),
                "sources": rec.sources,
                "status": t["superseded"].format(version=later.version) if later else t["current"],
                "current": later is None,
                "regulations": regs,
                "pdfs": pdfs if later is None else [],
            }
        )
    entries.reverse()  # the newest first
    return t["title"], render("verify.html", v=t, entries=entries)


def pdf_links(downloads: dict[str, Any]) -> list[dict[str, str]]:
    """Every PDF of :func:`compendium.printing.assembly.pdf_downloads`, as
    ``label`` ("Compendium of Rules and Regulations (English)") and ``href``."""
    comp = downloads["compendium"]
    out = [
        {"label": f"{comp['title']} ({e['label']})", "href": e["href"]} for e in comp["editions"]
    ]
    out.append({"label": comp["bilingual"]["label"], "href": comp["bilingual"]["href"]})
    for pack in downloads["packs"]:
        out += [
            {"label": f"{pack['title']} ({e['label']})", "href": e["href"]}
            for e in pack["editions"]
        ]
    return out
