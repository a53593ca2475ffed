"""The bilingual edition of the compendium: Chinese and English side by side.

One print document (``compendium-bilingual``) whose every regulation is a table of
two columns, one row per heading and per article, so that each article's Chinese
text faces its English translation. Rendered by the same PDF engine as the other
editions (:mod:`compendium.printing.pdf`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import Markup

from compendium import DEFAULT_LANGUAGE, LANGUAGES, TEMPLATES
from compendium.labels import section
from compendium.numbering.numbers import (
    article_label,
    chapter_heading,
    numbers_of,
    section_label,
)
from compendium.printing.assembly import BuildInfo, Footer, PrintDocument, no_page
from compendium.printing.control import qr_svg, uncontrolled_line
from compendium.printing.resources import Resources
from compendium.site.memo import Memo
from compendium.site.render import Renderer
from compendium.source.model import Compendium, Regulation
from compendium.templating import environment

NAME = "compendium-bilingual"


def bilingual_document(
    comp: Compendium,
    info: BuildInfo,
    base_url: str,
    templates: Path = TEMPLATES,
    parts: bool = False,
    memo: Memo | None = None,
) -> PrintDocument:
    """The whole compendium in both languages, article by article; ``base_url`` is
    the ``file:`` URL of the build directory the resources are read from."""
    resources = Resources(base_url)
    regs = [_regulation(comp, reg, resources, memo) for reg in comp.regulations.values()]
    env = environment(templates, "print")
    t = {lang: {**section(lang, "interface"), **section(lang, "print")} for lang in LANGUAGES}
    title = " / ".join(t[lang]["compendium_title"] for lang in LANGUAGES)
    html = env.get_template("bilingual.html").render(
        t=t,
        langs=LANGUAGES,
        title=title,
        regs=regs,
        release={lang: info.release_text(lang) for lang in LANGUAGES},
        built=info.built,
        edition={lang: section(lang, "interface")["bilingual_edition"] for lang in LANGUAGES},
        parts=parts,
        digest={lang: info.digest_text(lang) for lang in LANGUAGES},
        approval=info.approval,
        uncontrolled={lang: uncontrolled_line(t[lang], info.site_url) for lang in LANGUAGES},
        qr=Markup(qr_svg(info.verify_url)) if info.verify_url else None,
    )
    footer = Footer("", " / ", "", 16, 20) if parts else None  # the margins of bilingual.html
    return PrintDocument(NAME, DEFAULT_LANGUAGE, title, html, resources.sources, footer)


def _regulation(
    comp: Compendium, reg: Regulation, resources: Resources, memo: Memo | None
) -> dict[str, Any]:
    """Rows of one regulation: chapter and section headings, then article pairs."""
    numbering = numbers_of(reg)
    prefix = f"{reg.id}--"

    def xref_href(reg_id: str, aid: str, same: bool) -> str | None:
        return f"#{reg_id}--{aid}" if comp.article(reg_id, aid) is not None else None

    bodies = {
        lang: Renderer(
            comp,
            lang,
            id_prefix=prefix,
            xref_href=xref_href,
            url_policy=resources.policy(reg.id, lang),
            convert_memo=memo,
        ).article_bodies(reg, no_page)
        for lang in LANGUAGES
    }
    rows: list[dict[str, Any]] = []
    for ch in reg.chapters:
        cnum = numbering.chapters[ch.id]
        rows.append(
            {
                "kind": "chapter",
                "cells": {
                    lang: chapter_heading(reg.numbering, cnum, ch.title.get(lang, ch.id), lang)
                    for lang in LANGUAGES
                },
            }
        )
        for sec in ch.sections:
            if sec.id is not None:
                snum = numbering.sections[sec.id]
                rows.append(
                    {
                        "kind": "section",
                        "cells": {
                            lang: f"{section_label(snum, lang)} {sec.title.get(lang, sec.id)}"
                            for lang in LANGUAGES
                        },
                    }
                )
            for aid in sec.articles:
                art = reg.articles.get(aid)
                if art is None:
                    continue
                num = numbering.articles[aid]
                cells = {}
                for lang in LANGUAGES:
                    text = art.text(lang)
                    cells[lang] = {
                        "label": article_label(num, lang),
                        "caption": text.caption,
                        "body": Markup(bodies[lang][aid]),
                        "translated": art.is_translated(lang),
                    }
                rows.append({"kind": "article", "id": f"{prefix}{aid}", "cells": cells})
    return {
        "id": reg.id,
        "code": reg.code,
        "style": reg.numbering,
        "title": {lang: reg.title.get(lang, reg.id) for lang in LANGUAGES},
        "rows": rows,
    }
