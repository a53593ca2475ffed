"""The outputs of a diff, each per language, from the Jinja templates in ``templates/diff/``.

- ``redline``: a standalone HTML page, deletions struck through and insertions
  underlined (and coloured on screen), made to print well;
- ``table``: the amendment comparison table 修正條文 | 現行條文 | 說明
  (amended text | current text | explanation), a standalone HTML page;
- ``md``: a Markdown summary short enough for a pull-request comment;
- ``json``: every change for other systems (one file, both languages; the
  schema is documented in ``decisions/0004-diff-json.md``).

Every change is one element with ``id`` = ``Change.anchor`` and
``data-change`` = ``Change.key`` in the HTML outputs, so that other pages (the
revision history) can link to it and tests can count it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compendium import DEFAULT_LANGUAGE, LANGUAGES, TEMPLATES
from compendium.changes.details import DUTY_PREFIX
from compendium.changes.diff import Change, Diff, article_heading
from compendium.changes.outputs import OUTPUT_NAMES, report_name
from compendium.changes.redline import Line, Run
from compendium.fsutil import write_atomic
from compendium.labels import format_date, kind_name, section
from compendium.numbering.citation import cite, regulation_name
from compendium.source.model import Compendium, localized_note
from compendium.templating import environment

FORMATS = tuple(OUTPUT_NAMES)  # every report, in the order make diff writes them
MD_LIMIT = 60_000  # GitHub refuses comments over 65,536 characters
JSON_SCHEMA = "compendium-diff/1"


@dataclass
class Note:
    text: str
    lang: str  # the language the note is written in


@dataclass
class ChangeView:
    """What the templates need to show one change in one language."""

    change: Change
    kinds: list[tuple[str, str]]  # (kind, name)
    heading: str
    caption_runs: list[Run]  # runs of the merged caption redline (caption changes)
    was: str  # "原第十二條" / "formerly Article 12"; "" when unchanged
    lines: list[Line]  # merged body redline, in ``lines_lang``
    lines_lang: str
    pending: bool  # the English was not revised with the Chinese amendment
    new_number: str
    old_number: str
    new_caption_runs: list[Run]  # the new caption, insertions marked (table)
    old_caption_runs: list[Run]  # the old caption, deletions marked (table)
    new_lines: list[Line]
    old_lines: list[Line]
    explanation: list[Note]
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (label, old, new)
    style: str = ""  # the regulation's numbering style (how number and caption meet)
    lang: str = ""  # the language of the view
    show_text: bool = False  # the redline page shows the text (it changed, or came or went)

    @property
    def key(self) -> str:
        return self.change.key

    @property
    def anchor(self) -> str:
        return self.change.anchor

    @property
    def kind_classes(self) -> str:
        return " ".join(f"kind-{k}" for k, _ in self.kinds)

    @property
    def kind_list(self) -> str:
        return " ".join(k for k, _ in self.kinds)


class Reporter:
    """Renders one diff in one language."""

    def __init__(
        self,
        diff: Diff,
        lang: str,
        templates: Path = TEMPLATES,
        role_names: dict[str, dict[str, str]] | None = None,
    ):
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language '{lang}' (expected one of: {', '.join(LANGUAGES)})")
        self.diff = diff
        self.lang = lang
        self.t = section(lang, "changes")
        self.env = environment(templates, "diff")
        self.role_names = role_names or {}

    # -- text pieces -------------------------------------------------------------

    def kinds(self, change: Change) -> list[tuple[str, str]]:
        return [(k, kind_name(self.lang, change.scope, k)) for k in change.kinds]

    def edition(self, which: str) -> str:
        ed = self.diff.old if which == "old" else self.diff.new
        return ed.label + (
            self.t["paren"].format(x=format_date(ed.date, self.lang)) if ed.date else ""
        )

    def reg_title(self, reg_id: str) -> str:
        info = self.diff.regulations.get(reg_id)
        title = info.title.get(self.lang, reg_id) if info else reg_id
        return regulation_name(title, self.lang)

    def role_name(self, rid: str | None) -> str:
        if not rid:
            return self.t["none"]
        return self.role_names.get(rid, {}).get(self.lang, rid)

    def value(self, name: str, v: Any) -> str:
        if v is None or v == {} or v == "":
            return self.t["none"]
        if isinstance(v, (dt.date, dt.datetime)):
            return format_date(v, self.lang)
        if name in ("owner", "parent"):
            return self.role_name(v)
        if name == "roles" and isinstance(v, list):
            return self.t["list_sep"].join(map(self.role_name, v))
        if name == "kind":
            return section(self.lang, "role_kinds").get(str(v), str(v))
        if isinstance(v, dict) and name == "aliases":
            return "; ".join(f"{lang}: {', '.join(names)}" for lang, names in v.items())
        if isinstance(v, dict):
            return str(v.get(self.lang) or next(iter(v.values()), ""))
        return str(v)

    def field_pair(self, name: str, ov: Any, nv: Any) -> tuple[str, str]:
        """Old and new value as text; a title that changed only in the other language
        is shown in that language (so the change is visible)."""
        if (
            isinstance(ov, dict)
            and isinstance(nv, dict)
            and name != "aliases"
            and ov.get(self.lang) == nv.get(self.lang)
        ):
            for lang in LANGUAGES:
                if ov.get(lang) != nv.get(lang):
                    return str(ov.get(lang) or self.t["none"]), str(nv.get(lang) or self.t["none"])
        return self.value(name, ov), self.value(name, nv)

    def fields(self, change: Change) -> list[tuple[str, str, str]]:
        """``(label, old, new)`` of every named field of the change, as text."""
        out = []
        for name, (ov, nv) in change.fields.items():
            if name.startswith(DUTY_PREFIX):
                label = self.t["field_duty"].format(role=self.role_name(name[len(DUTY_PREFIX) :]))
            else:
                label = self.t.get(f"field_{name}", name)
            out.append((label, *self.field_pair(name, ov, nv)))
        return out

    def where(self, change: Change) -> str:
        """Where a moved article was: 《規章》第二章 總則 / Chapter 2 General of the …"""
        old = change.old
        assert old is not None
        chapter = old.chapter_label[self.lang]
        if change.old_regulation:
            title = old.regulation_title[self.lang]
            return cite(chapter, title, self.lang)
        return chapter

    def facts(self, change: Change) -> list[str]:
        t, out = self.t, []
        if change.has("added"):
            out.append(t["fact_added"])
        if change.has("removed"):
            out.append(t["fact_removed"])
        if change.has("moved"):
            out.append(t["fact_moved"].format(where=self.where(change)))
        if change.has("renumbered"):
            assert change.old is not None
            out.append(t["fact_renumbered"].format(old=change.old.number[self.lang]))
        if change.has("amended") and not change.notes:
            out.append(t["fact_amended"])
        if change.has("caption-changed"):
            assert change.old is not None
            assert change.new is not None
            lang = self.lang
            if not change.old.translated.get(lang) or change.old.caption.get(
                lang
            ) == change.new.caption.get(lang):
                # the translation's caption did not change: name the Chinese one
                lang = DEFAULT_LANGUAGE
            old_cap = change.old.caption.get(lang)
            out.append(t["fact_caption"].format(old=old_cap) if old_cap else t["fact_caption_new"])
        if change.has("roles-changed"):
            assert change.old is not None and change.new is not None
            added = [r for r in change.new.roles if r not in change.old.roles]
            removed = [r for r in change.old.roles if r not in change.new.roles]
            parts = []
            if added:
                parts.append(
                    t["fact_roles_added"].format(
                        names=t["list_sep"].join(map(self.role_name, added))
                    )
                )
            if removed:
                parts.append(
                    t["fact_roles_removed"].format(
                        names=t["list_sep"].join(map(self.role_name, removed))
                    )
                )
            out.append(
                t["fact_roles"].format(
                    parts=("；" if self.lang == DEFAULT_LANGUAGE else "; ").join(parts)
                )
            )
        if change.has("translation-revised"):
            out.append(t["fact_translation"])
        return out

    def explanation(self, change: Change) -> list[Note]:
        """The 說明 column: the history notes added with the change, then the facts."""
        notes = [Note(*localized_note(n, self.lang)) for n in change.notes]
        return notes + [Note(f, self.lang) for f in self.facts(change)]

    def view(self, change: Change) -> ChangeView:
        lang = self.lang
        if change.scope != "article":
            fields = self.fields(change)
            title = change.title.get(lang, change.id)
            return ChangeView(
                change,
                self.kinds(change),
                title,
                [],
                "",
                [],
                lang,
                False,
                "",
                "",
                [],
                [],
                [],
                [],
                [],
                fields,
            )
        side = change.new or change.old
        assert side is not None
        pending = lang != DEFAULT_LANGUAGE and change.english_pending()
        lines_lang = DEFAULT_LANGUAGE if pending else lang
        gap = "" if lang == DEFAULT_LANGUAGE else " "
        was = ""
        if change.has("moved"):
            assert change.old is not None
            if lang == DEFAULT_LANGUAGE:
                num = change.old.number[lang]
                was = f"{self.t['moved_from']}{self.where(change)}" + (
                    num if num.startswith("（") else f"（{num}）"
                )
            else:
                was = f"{self.t['formerly']} {change.old.reference[lang]} in {self.where(change)}"
        elif change.old and change.new and change.old.reference != change.new.reference:
            was = f"{self.t['formerly']}{gap}{change.old.number[lang]}"
        cap = change.redline(lang, "caption")
        cap_changed = (
            cap is not None
            and cap.changed
            and not change.has("added")
            and not change.has("removed")
        )

        def first_runs(lines: list[Line]) -> list[Run]:
            return lines[0].runs if lines else []

        return ChangeView(
            change=change,
            kinds=self.kinds(change),
            heading=side.number[lang] if cap_changed else article_heading(side, lang),
            caption_runs=first_runs(cap.merged) if cap_changed and cap else [],
            was=was,
            lines=change.body_lines(lines_lang),
            lines_lang=lines_lang,
            pending=pending,
            new_number=change.new.number[lang] if change.new else "",
            old_number=change.old.number[lang] if change.old else "",
            new_caption_runs=first_runs(cap.new) if cap else [],
            old_caption_runs=first_runs(cap.old) if cap else [],
            new_lines=change.body_lines(lines_lang, "new"),
            old_lines=change.body_lines(lines_lang, "old"),
            explanation=self.explanation(change),
            fields=self.fields(change),
            style=side.style,
            lang=lang,
            show_text=change.has("added")
            or change.has("removed")
            or pending
            or _text_changed(change, lines_lang),
        )

    def groups(self) -> list[dict[str, Any]]:
        out = []
        for reg, others, articles in self.diff.groups():
            out.append(
                {
                    "id": reg.id if reg else others[0].scope + "-registry",
                    "title": (self.reg_title(reg.id) + (f" ({reg.code})" if reg.code else ""))
                    if reg
                    else self.t[f"{others[0].scope}_registry"],
                    "status": reg.status if reg else "",
                    "others": [self.view(c) for c in others],
                    "articles": [self.view(c) for c in articles],
                }
            )
        return out

    def counts(self) -> list[tuple[str, int]]:
        out = []
        for key, n in self.diff.counts().items():
            scope, kind = key.split(":")
            out.append((kind_name(self.lang, scope, kind), n))
        return out

    # -- outputs -----------------------------------------------------------------

    def render(self, name: str, **context: Any) -> str:
        return self.env.get_template(name).render(
            t=self.t,
            lang=self.lang,
            diff=self.diff,
            old=self.edition("old"),
            new=self.edition("new"),
            counts=self.counts(),
            total=len(self.diff.changes),
            **context,
        )

    def redline_html(self) -> str:
        return self.render("redline.html", groups=self.groups())

    def table_html(self) -> str:
        return self.render("table.html", groups=self.groups())

    def summary_markdown(
        self, limit: int = MD_LIMIT, full_report: str | None = None, redlines: bool = True
    ) -> str:
        """The PR-comment summary, at most ``limit`` characters. Changes are listed in
        order until the limit is near; the redlines of text changes are included
        while they fit; the number of changes left out is stated."""
        # The macros of _summary.md: attributes of the template module, unknown to its type.
        items: Any = self.env.get_template("_summary.md").module
        groups = self.groups()
        total = sum(len(g["others"]) + len(g["articles"]) for g in groups)
        header = str(
            items.header(self.t, self.edition("old"), self.edition("new"), self.counts(), total)
        )
        reserve = len(str(items.footer(self.t, total, full_report))) + 200  # the longest footer
        budget = limit - len(header) - reserve
        blocks: list[str] = []
        shown = 0
        full = False
        for g in groups:
            if full:
                break
            heading = str(items.group(g))
            if len(heading) > budget:
                break
            pending = [heading]
            used = len(heading)
            for v in g["others"] + g["articles"]:
                detail = (
                    redlines
                    and v.change.scope == "article"
                    and v.show_text
                    and not v.change.has("added")
                    and not v.change.has("removed")
                )
                text = str(items.item(self.t, v, detail))
                if detail and used + len(text) > budget:
                    text = str(items.item(self.t, v, False))
                if used + len(text) > budget:
                    full = True
                    break
                pending.append(text)
                used += len(text)
                shown += 1
            if len(pending) > 1:
                blocks.extend(pending)
                budget -= used
        if not groups:
            blocks.append("\n" + self.t["no_changes"] + "\n")
        text = header + "".join(blocks) + str(items.footer(self.t, total - shown, full_report))
        return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"


# -- JSON -------------------------------------------------------------------------


def _jsonable(v: Any) -> Any:
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    return v


def _lines_json(lines: list[Line]) -> list[dict[str, Any]]:
    return [
        {
            "label": ln.label,
            "label_op": ln.label_op,
            "paragraph": ln.para,
            "depth": ln.depth,
            "runs": [{"op": r.op, "text": r.text} for r in ln.runs],
        }
        for ln in lines
    ]


def _plain(lines: list[Line], lang: str) -> str:
    """The text as plain lines, item labels included (一、甲 / (1) a)."""
    sep = section(lang, "changes")["item_sep"]
    return "\n".join(
        ((ln.label + sep) if ln.label else "") + "".join(r.text for r in ln.runs) for ln in lines
    )


def _caption_lines(change: Change, lang: str) -> list[Line]:
    red = change.redline(lang, "caption")
    return red.merged if red is not None else []


def _text_changed(change: Change, lang: str) -> bool:
    red = change.redline(lang)
    return red is not None and red.changed


def _side_json(change: Change, which: str) -> dict[str, Any] | None:
    side = change.old if which == "old" else change.new
    if side is None:
        return None
    view = "old" if which == "old" else "new"
    return {
        "regulation": side.regulation,
        "chapter": side.chapter,
        "section": side.section,
        "number": side.number,
        "reference": side.reference,
        "anchor": side.anchor,
        "caption": side.caption,
        "translated": side.translated,
        "roles": side.roles,
        "source_hash": side.source_hash,
        "text": {lang: _plain(change.body_lines(lang, view), lang) for lang in LANGUAGES},
    }


def to_json(diff: Diff, role_names: dict[str, dict[str, str]] | None = None) -> dict[str, Any]:
    """The diff as plain data (schema ``compendium-diff/1``, see decisions/0004-diff-json.md)."""
    reporters = {lang: Reporter(diff, lang, role_names=role_names) for lang in LANGUAGES}
    changes = []
    for c in diff.changes:
        item: dict[str, Any] = {
            "key": c.key,
            "anchor": c.anchor,
            "scope": c.scope,
            "kinds": list(c.kinds),
            "regulation": c.regulation or None,
            "id": c.id,
            "title": c.title,
        }
        if c.scope == "article":
            item.update(
                {
                    "old_regulation": c.old_regulation,
                    "old": _side_json(c, "old"),
                    "new": _side_json(c, "new"),
                    "body": {
                        lang: _lines_json(c.body_lines(lang)) if _text_changed(c, lang) else None
                        for lang in LANGUAGES
                    },
                    "caption": {
                        lang: [
                            {"op": r.op, "text": r.text}
                            for ln in _caption_lines(c, lang)
                            for r in ln.runs
                        ]
                        for lang in LANGUAGES
                    },
                    "english_pending": c.english_pending(),
                    "notes": c.notes,
                    "notes_by_language": [
                        {lang: localized_note(n, lang)[0] for lang in LANGUAGES} for n in c.notes
                    ],
                }
            )
        item["fields"] = {
            name: {"old": _jsonable(ov), "new": _jsonable(nv)}
            for name, (ov, nv) in c.fields.items()
        }
        item["explanation"] = {
            lang: [n.text for n in reporters[lang].explanation(c)] if c.scope == "article" else []
            for lang in LANGUAGES
        }
        changes.append(item)
    return {
        "schema": JSON_SCHEMA,
        "old": _jsonable(vars(diff.old)),
        "new": _jsonable(vars(diff.new)),
        "counts": diff.counts(),
        "regulations": [
            {"id": r.id, "code": r.code, "title": r.title, "status": r.status}
            for r in diff.regulations.values()
        ],
        "changes": changes,
    }


# -- files ------------------------------------------------------------------------


def write_reports(
    diff: Diff,
    out_dir: str | os.PathLike[str],
    formats: tuple[str, ...] = FORMATS,
    langs: tuple[str, ...] = LANGUAGES,
    templates: Path = TEMPLATES,
    role_names: dict[str, dict[str, str]] | None = None,
    md_limit: int = MD_LIMIT,
) -> list[Path]:
    """Write the chosen outputs into ``out_dir``; returns the files written.

    Each file is written to a temporary name first and renamed, so a reader never
    sees a half-written report.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for fmt in formats:
        if fmt == "json":
            data = (
                json.dumps(to_json(diff, role_names), ensure_ascii=False, separators=(",", ":"))
                + "\n"
            )
            written.append(write_atomic(out / report_name("json"), data))
            continue
        for lang in langs:
            rep = Reporter(diff, lang, templates, role_names)
            if fmt == "html":
                text = rep.redline_html()
            elif fmt == "table":
                text = rep.table_html()
            else:
                text = rep.summary_markdown(md_limit, full_report=report_name("html", lang))
            written.append(write_atomic(out / report_name(fmt, lang), text))
    return written


def role_names_of(*comps: Compendium) -> dict[str, dict[str, str]]:
    """Role id -> name per language, from the compendiums given (later ones win)."""
    out: dict[str, dict[str, str]] = {}
    for comp in comps:
        for rid, role in comp.roles.items():
            out[rid] = dict(role.name)
    return out


__all__ = [
    "FORMATS",
    "Reporter",
    "role_names_of",
    "to_json",
    "write_reports",
]
