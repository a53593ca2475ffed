"""Compare two loaded compendiums by stable ids: what changed, article by article.

``compare(old, new)`` returns a :class:`Diff` (the records are defined in
:mod:`compendium.changes.changeset` and exported here): one :class:`Change` per thing that
changed (an article, a chapter or section, a regulation, a role), carrying every
kind of change that applies to it, so that each change is reported exactly
once. Kinds by scope:

- ``article``: ``added``, ``removed`` (repealed), ``moved`` (to another chapter,
  section or regulation), ``renumbered`` (its number changed although it stayed
  in place: an insertion, removal or move elsewhere shifted it), ``amended`` (the
  Chinese text changed; with a redline), ``caption-changed``, ``roles-changed``,
  ``translation-revised`` (only the English changed), and the kinds of
  :mod:`compendium.changes.details` (effective date, repeal, ``truncated``, history,
  duty summaries, editorial notes, translation status).
- ``regulation``: ``added``, ``retired``, ``renamed``, ``code-changed``,
  ``version-changed``, ``effective-changed``, ``owner-changed``,
  ``numbering-changed``, ``notes-changed``, ``source-changed``, ``review-changed``.
- ``chapter`` and ``section``: ``added``, ``removed``, ``renamed``, ``renumbered``
  (marked ``inserted`` or no longer).
- ``role`` (``docs/roles.yml``), ``glossary`` (``docs/glossary.yml``) and ``pack``
  (``docs/packs.yml``): ``added``, ``removed``, ``changed``.

Rules: articles are matched by id inside their regulation (an id that leaves
one regulation and appears in another with a similar text is a move); a renamed
regulation, chapter, section or article is matched by the earlier ids in its
``formerly`` list (see :mod:`compendium.changes.pairing`), so a rename alone is
no change and the change of a renamed one is reported under its new id; text is
compared as tokens (see :mod:`compendium.changes.redline`), so whitespace, line
wrapping and ``**`` emphasis never count (paragraph and item boundaries do);
an inserted article is one addition, and the articles after it are
renumberings, never amendments; the articles of an added or retired
regulation are counted in that regulation's change, not listed one by one; a
chapter or section that only changes place is not reported itself (its articles'
renumberings and moves are).
English edits that come with a Chinese amendment or caption change are part of
that change (their redline is shown); ``translation-revised`` is for English-only
edits. Every other field a reader sees is compared in :mod:`compendium.changes.details`
(tests/test_diff_coverage.py checks each field of the model).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from compendium import DEFAULT_LANGUAGE, LANGUAGES
from compendium.changes.changeset import (
    ARTICLE_KINDS,
    CHAPTER_KINDS,
    KINDS,
    REGULATION_FIELDS,
    REGULATION_KINDS,
    ROLE_KINDS,
    SCOPES,
    ArticleSide,
    Change,
    Diff,
    Edition,
    RegulationInfo,
)
from compendium.changes.details import (
    article_details,
    glossary_changes,
    new_notes,
    pack_changes,
    regulation_details,
    role_changes,
)
from compendium.changes.pairing import MOVE_SIMILARITY, Pairing, pair, squash
from compendium.changes.redline import (
    DELETE,
    EQUAL,
    INSERT,
    Line,
    Redline,
    Token,
    display_lines,
    tokenize,
    values,
)
from compendium.changes.redline import compare as compare_tokens
from compendium.numbering.citation import cite, heading
from compendium.numbering.numbers import (
    Numbering,
    article_anchor,
    article_label,
    chapter_heading,
    chapter_label,
    numbers_of,
    reference_label,
    section_label,
)
from compendium.numbering.xref import parse_target
from compendium.source.chars import LINE_BREAK_RE
from compendium.source.model import Article, Compendium, Regulation

if TYPE_CHECKING:
    from compendium.source.packs import Pack

# -- building sides --------------------------------------------------------------


class _Side:
    """One compendium with its numbering and reference labels, computed on demand."""

    def __init__(self, comp: Compendium):
        self.comp = comp
        self._tokens: dict[tuple[str, str, str, str], list[Token]] = {}
        self._refs: dict[tuple[str, str, bool, str], str] = {}
        # renamed article (new key) -> its key on the other side, from `formerly`
        self.aliases: dict[tuple[str, str], tuple[str, str]] = {}

    def numbering(self, reg_id: str) -> Numbering:
        return numbers_of(self.comp.regulations[reg_id])

    def reference_text(self, reg_id: str, art_id: str, same: bool, lang: str) -> str:
        key = (reg_id, art_id, same, lang)
        if key not in self._refs:
            self._refs[key] = self._reference_text(reg_id, art_id, same, lang)
        return self._refs[key]

    def _reference_text(self, reg_id: str, art_id: str, same: bool, lang: str) -> str:
        num = self.numbering(reg_id).articles[art_id]
        ref = reference_label(num, lang)
        if same:
            return ref
        title = self.comp.regulations[reg_id].title.get(lang, reg_id)
        return cite(ref, title, lang)

    def _resolver(self, reg: Regulation, lang: str) -> Callable[[str], tuple[str, str] | None]:
        def resolve(target: str) -> tuple[str, str] | None:
            parsed = parse_target(target, reg.id)
            if parsed is None:
                return None
            ident = self.aliases.get(parsed, parsed)
            value = f"[[{ident[0]}/{ident[1]}]]"
            if self.comp.article(*parsed) is None:
                return value, f"[[{target}]]"
            return value, self.reference_text(parsed[0], parsed[1], parsed[0] == reg.id, lang)

        return resolve

    @staticmethod
    def source(art: Article, lang: str, part: str) -> str:
        text = art.text(lang)  # a caption is one line, as the site shows it (escape_text)
        return LINE_BREAK_RE.sub(" ", text.caption or "") if part == "caption" else text.body

    def tokens(self, reg: Regulation, art: Article, lang: str, part: str) -> list[Token]:
        key = (reg.id, art.id, lang, part)
        if key not in self._tokens:
            self._tokens[key] = tokenize(
                self.source(art, lang, part),
                style=reg.numbering,
                lang=lang,
                resolve=self._resolver(reg, lang),
            )
        return self._tokens[key]

    def lines(
        self, reg: Regulation, art: Article, lang: str, part: str, op: str = EQUAL
    ) -> list[Line]:
        """The text shown without comparison (fast: no tokens)."""
        return display_lines(
            self.source(art, lang, part),
            style=reg.numbering,
            lang=lang,
            resolve=self._resolver(reg, lang),
            op=op,
        )

    def article_side(self, reg: Regulation, art: Article) -> ArticleSide:
        num = self.numbering(reg.id).articles[art.id]
        chapter = next(ch for ch in reg.chapters if ch.id == art.chapter)
        cnum = self.numbering(reg.id).chapters[chapter.id]
        return ArticleSide(
            regulation=reg.id,
            style=reg.numbering,
            chapter=art.chapter,
            section=art.section,
            number={lang: article_label(num, lang) for lang in LANGUAGES},
            reference={lang: reference_label(num, lang) for lang in LANGUAGES},
            anchor=article_anchor(num),
            caption={lang: art.text(lang).caption for lang in LANGUAGES},
            translated={lang: art.is_translated(lang) for lang in LANGUAGES},
            chapter_label={
                lang: chapter_heading(
                    reg.numbering, cnum, chapter.title.get(lang, chapter.id), lang
                )
                for lang in LANGUAGES
            },
            regulation_title={lang: reg.title.get(lang, reg.id) for lang in LANGUAGES},
            roles=list(art.roles),
            source_hash=art.source_hash,
            translates=art.texts["en"].translates if "en" in art.texts else None,
            paths={lang: t.path for lang, t in art.texts.items()},
        )


# -- comparing -------------------------------------------------------------------


def compare(
    old: Compendium,
    new: Compendium,
    old_edition: Edition | None = None,
    new_edition: Edition | None = None,
    packs: tuple[Sequence[Pack], Sequence[Pack]] = ((), ()),
) -> Diff:
    """Every change from ``old`` to ``new``, each reported once (see the module doc);
    ``packs``: the onboarding packs of each (``compendium.source.packs.load_packs``)."""
    a, b = _Side(old), _Side(new)
    pairing = pair(old, new)
    b.aliases.update(pairing.aliases)  # references to a renamed article compare as before
    regs = _regulation_infos(old, new, pairing)
    changes = _regulation_changes(old, new, pairing)
    article_changes = _article_changes(a, b, pairing)
    # Regulation-level changes first, then articles in reading order.
    reg_order = {rid: i for i, rid in enumerate(regs)}
    changes.sort(key=lambda c: (reg_order.get(c.regulation, len(regs)), SCOPES.index(c.scope)))
    by_reg: dict[str, list[Change]] = {}
    for _key, ch in article_changes:
        by_reg.setdefault(ch.regulation, []).append(ch)
    ordered: list[Change] = []
    for rid in regs:
        ordered.extend(c for c in changes if c.regulation == rid)
        ordered.extend(by_reg.get(rid, []))
    ordered.extend(role_changes(old, new))
    ordered.extend(glossary_changes(old, new))
    ordered.extend(pack_changes(*packs, aliases=pairing.aliases))
    return Diff(old_edition or Edition("old"), new_edition or Edition("new"), ordered, regs)


def _regulation_infos(
    old: Compendium, new: Compendium, pairing: Pairing
) -> dict[str, RegulationInfo]:
    """Every regulation of either edition, in output order (a renamed one once, as now)."""
    regs: dict[str, RegulationInfo] = {}
    for rid, reg in new.regulations.items():
        status = "current" if rid in pairing.regulations else "added"
        regs[rid] = RegulationInfo(rid, reg.code, dict(reg.title), status)
    kept = set(pairing.regulations.values())
    for rid, reg in old.regulations.items():
        if rid not in kept:
            regs[rid] = RegulationInfo(rid, reg.code, dict(reg.title), "retired")
    return regs


def _regulation_changes(old: Compendium, new: Compendium, pairing: Pairing) -> list[Change]:
    """Regulations added and retired, and the field and chapter changes of the others."""
    changes: list[Change] = []
    for rid, reg in new.regulations.items():
        oid = pairing.old_regulation(rid)
        if oid is None:
            members = [aid for aid in reg.articles if (rid, aid) not in pairing.articles]
            changes.append(
                Change(
                    "regulation",
                    ("added",),
                    rid,
                    rid,
                    dict(reg.title),
                    fields={
                        "articles": (None, len(members)),  # not counting those moved in
                        "version": (None, reg.version),
                        "effective": (None, reg.effective),
                    },
                    articles=members,
                )
            )
            continue
        before = old.regulations[oid]
        fields: dict[str, tuple[Any, Any]] = {}
        for name in REGULATION_FIELDS:
            ov, nv = getattr(before, name), getattr(reg, name)
            if ov != nv:
                fields[name] = (ov, nv)
        more_kinds, more_fields = regulation_details(before, reg)
        if fields or more_fields:
            named = {REGULATION_FIELDS[f] for f in fields} | set(more_kinds)
            fields.update(more_fields)
            kinds = tuple(k for k in REGULATION_KINDS if k in named)
            changes.append(Change("regulation", kinds, rid, rid, dict(reg.title), fields=fields))
        changes.extend(_chapter_changes(before, reg, pairing.units.get(rid, {})))
    kept, gone = set(pairing.regulations.values()), set(pairing.gone)
    for rid, reg in old.regulations.items():
        if rid not in kept:
            members = [aid for aid in reg.articles if (rid, aid) in gone]  # not moved out
            changes.append(
                Change(
                    "regulation",
                    ("retired",),
                    rid,
                    rid,
                    dict(reg.title),
                    fields={"articles": (len(members), None), "version": (reg.version, None)},
                    articles=members,
                )
            )
    return changes


def _article_changes(
    a: _Side, b: _Side, pairing: Pairing
) -> list[tuple[tuple[int, int, int], Change]]:
    """The article changes with their sort keys (reading order of the new edition).

    The articles of an added regulation are counted in its change, except those moved
    in; the articles of a retired one in its retirement."""
    old_regs, new_regs = a.comp.regulations, b.comp.regulations
    out: list[tuple[tuple[int, int, int], Change]] = []
    positions = {rid: _positions(reg) for rid, reg in new_regs.items()}
    for reg in new_regs.values():
        pos = positions[reg.id]
        added = pairing.old_regulation(reg.id) is None
        for aid, art in reg.articles.items():
            ok = pairing.articles.get((reg.id, aid))
            if ok is None:
                ch = None if added else _added(b, reg, art)
            else:
                oreg = old_regs[ok[0]]
                ch = _article_change(a, b, oreg, oreg.articles[ok[1]], reg, art, pairing)
            if ch is not None:
                out.append(((pos.get(aid, -1), 0, 0), ch))
    for rid, aid in pairing.gone:
        nid = pairing.new_regulation(rid)
        if nid is None:
            continue  # counted in the retirement
        oreg = old_regs[rid]
        out.append(
            (_removed_order(oreg, positions[nid], aid), _removed(a, oreg, oreg.articles[aid], nid))
        )
    out.sort(key=lambda kc: kc[0])
    return out


def _positions(reg: Regulation) -> dict[str, int]:
    return {aid: i for i, aid in enumerate(aid for ch in reg.chapters for aid in ch.article_ids)}


def _removed_order(old_reg: Regulation, new_pos: dict[str, int], aid: str) -> tuple[int, int, int]:
    """A repealed article is listed after the nearest earlier article that remains."""
    order = [a for ch in old_reg.chapters for a in ch.article_ids]
    pos = order.index(aid) if aid in order else 0
    anchor = -1
    for prev in reversed(order[:pos]):
        if prev in new_pos:
            anchor = new_pos[prev]
            break
    return (anchor, 1, pos)


def _texts_equal(x: Article, y: Article, lang: str, part: str) -> bool | None:
    """True when the raw texts are identical (no tokenising needed), else None."""
    tx, ty = x.text(lang), y.text(lang)
    if part == "caption":
        return True if (tx.caption or "") == (ty.caption or "") else None
    if tx.body == ty.body or squash(tx.body) == squash(ty.body):
        return True  # white space alone (a re-wrapped line, "fees.If" / "fees. If") is no change
    return None


def _article_change(
    a: _Side,
    b: _Side,
    oreg: Regulation,
    oart: Article,
    nreg: Regulation,
    nart: Article,
    pairing: Pairing,
) -> Change | None:
    old_side, new_side = a.article_side(oreg, oart), b.article_side(nreg, nart)
    kinds: list[str] = []
    same_regulation = pairing.old_regulation(nreg.id) == oreg.id
    place = (
        pairing.old_regulation(nreg.id),
        pairing.old_unit(nreg.id, nart.chapter),
        pairing.old_unit(nreg.id, nart.section),
    )
    if place != (oreg.id, oart.chapter, oart.section):
        kinds.append("moved")
    elif old_side.reference != new_side.reference:
        kinds.append("renumbered")

    def differs(lang: str, part: str) -> bool:
        if _texts_equal(oart, nart, lang, part):
            return False
        return values(a.tokens(oreg, oart, lang, part)) != values(b.tokens(nreg, nart, lang, part))

    if nart.repealed is not None and oart.repealed is None:
        kinds.append("repealed")
    zh = DEFAULT_LANGUAGE
    amended = differs(zh, "body")
    caption = differs(zh, "caption")
    if caption:
        kinds.append("caption-changed")
    if amended:
        kinds.insert(kinds.index("caption-changed") if caption else len(kinds), "amended")
    if sorted(set(oart.roles)) != sorted(set(nart.roles)):
        kinds.append("roles-changed")
    en_revised = False
    if not amended and not caption:
        o_en, n_en = oart.is_translated("en"), nart.is_translated("en")
        if o_en != n_en:
            en_revised = n_en
        elif n_en:
            en_revised = differs("en", "body") or differs("en", "caption")
    if en_revised:
        kinds.append("translation-revised")
    more_kinds, fields = article_details(oart, nart, kinds, pairing.aliases)
    kinds.extend(more_kinds)
    if not kinds:
        return None
    kinds_t = tuple(k for k in ARTICLE_KINDS if k in kinds)
    change = Change(
        "article",
        kinds_t,
        nreg.id,
        nart.id,
        _article_title(new_side),
        old_side,
        new_side,
        old_regulation=None if same_regulation else oreg.id,
        fields=fields,
    )

    def redlines(lang: str, part: str) -> Redline:
        old_src, new_src = a.source(oart, lang, part), b.source(nart, lang, part)
        if old_src == new_src or values(a.tokens(oreg, oart, lang, part)) == values(
            b.tokens(nreg, nart, lang, part)
        ):
            new_lines = b.lines(nreg, nart, lang, part)
            same = old_src == new_src and "[[" not in old_src and oreg.numbering == nreg.numbering
            old_lines = (
                new_lines if same else a.lines(oreg, oart, lang, part)
            )  # references may read differently
            return Redline(new_lines, old_lines, new_lines, False)
        return compare_tokens(a.tokens(oreg, oart, lang, part), b.tokens(nreg, nart, lang, part))

    change.redlines = redlines
    change.notes = new_notes(oart, nart)
    return change


def _added(b: _Side, reg: Regulation, art: Article) -> Change:
    side = b.article_side(reg, art)
    ch = Change("article", ("added",), reg.id, art.id, _article_title(side), None, side)

    def redlines(lang: str, part: str) -> Redline:
        lines = b.lines(reg, art, lang, part, INSERT)
        return Redline(lines, [], lines, bool(lines))

    ch.redlines = redlines
    ch.notes = [h.note for h in art.history]
    return ch


def _removed(a: _Side, reg: Regulation, art: Article, new_id: str) -> Change:
    """Article ``art`` of ``reg`` removed; ``new_id``: the regulation's id now."""
    side = a.article_side(reg, art)
    ch = Change("article", ("removed",), new_id, art.id, _article_title(side), side, None)

    def redlines(lang: str, part: str) -> Redline:
        lines = a.lines(reg, art, lang, part, DELETE)
        return Redline(lines, lines, [], bool(lines))

    ch.redlines = redlines
    return ch


def article_heading(side: ArticleSide, lang: str) -> str:
    """第十條之一 數據分類 / Article 10-1 Data Classification."""
    return heading(side.number[lang], side.caption.get(lang), side.style, lang)


def _article_title(side: ArticleSide) -> dict[str, str]:
    return {lang: article_heading(side, lang) for lang in LANGUAGES}


def _chapter_changes(old: Regulation, new: Regulation, ids: dict[str, str]) -> Iterable[Change]:
    """Chapters and sections added, removed, retitled or marked inserted (第七章之一) or no
    longer; ``ids``: new id -> old id."""
    Unit = tuple[dict[str, str], str, str, bool]  # title, Chinese and English label, inserted

    def units(reg: Regulation) -> tuple[dict[str, Unit], dict[str, Unit]]:
        chapters: dict[str, Unit] = {}
        sections: dict[str, Unit] = {}
        nb = numbers_of(reg)
        for ch in reg.chapters:
            chapters[ch.id] = (
                ch.title,
                chapter_label(reg.numbering, nb.chapters[ch.id], DEFAULT_LANGUAGE),
                chapter_label(reg.numbering, nb.chapters[ch.id], "en"),
                ch.inserted,
            )
            for sec in ch.sections:
                if sec.id is not None:
                    sections[sec.id] = (
                        sec.title,
                        section_label(nb.sections[sec.id], DEFAULT_LANGUAGE),
                        section_label(nb.sections[sec.id], "en"),
                        False,
                    )
        return chapters, sections

    (oc, os_), (nc, ns) = units(old), units(new)
    for scope, before, after in (("chapter", oc, nc), ("section", os_, ns)):
        for uid, (title, zh_label, en_label, inserted) in after.items():
            display = _unit_display(new.numbering, title, zh_label, en_label, uid)
            was = ids.get(uid)
            if was is None or was not in before:
                yield Change(scope, ("added",), new.id, uid, display)
                continue
            fields: dict[str, tuple[Any, Any]] = {}
            if before[was][0] != title:
                fields["title"] = (dict(before[was][0]), dict(title))
            if before[was][3] != inserted:
                fields["number"] = (
                    {DEFAULT_LANGUAGE: before[was][1], "en": before[was][2]},
                    {DEFAULT_LANGUAGE: zh_label, "en": en_label},
                )
            if fields:
                kinds = (("renamed",) if "title" in fields else ()) + (
                    ("renumbered",) if "number" in fields else ()
                )
                yield Change(scope, kinds, new.id, uid, display, fields=fields)
        kept = {ids[uid] for uid in after if uid in ids}
        for uid, (title, zh_label, en_label, _inserted) in before.items():
            if uid not in kept:
                display = _unit_display(old.numbering, title, zh_label, en_label, uid)
                yield Change(scope, ("removed",), new.id, uid, display)


def _unit_display(
    style: str, title: dict[str, str], zh_label: str, en_label: str, uid: str
) -> dict[str, str]:
    return {
        DEFAULT_LANGUAGE: heading(
            zh_label, title.get(DEFAULT_LANGUAGE, uid), style, DEFAULT_LANGUAGE
        ),
        "en": heading(en_label, title.get("en", uid), style, "en"),
    }


def empty_compendium() -> Compendium:
    """The compendium before the first release: nothing in it."""
    return Compendium("", {}, {}, [])


__all__ = [
    "ARTICLE_KINDS",
    "CHAPTER_KINDS",
    "KINDS",
    "MOVE_SIMILARITY",
    "REGULATION_FIELDS",
    "REGULATION_KINDS",
    "ROLE_KINDS",
    "SCOPES",
    "ArticleSide",
    "Change",
    "Diff",
    "Edition",
    "RegulationInfo",
    "article_heading",
    "compare",
    "empty_compendium",
]
