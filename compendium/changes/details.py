"""The comparisons beyond text: every other field a reader sees, as named fields of a change.

:mod:`compendium.changes.diff` compares article text, captions, places and numbers; this
module compares what else a page, a role page, the glossary or a printed pack shows, so
that nothing a reader sees can change without the diff naming it:

- an article's own effective date, its repeal date, the ``truncated`` mark, its amendment
  history (entries removed or edited; an entry added alone), its duty summaries per role,
  its editorial notes and whether its English translation is shown as current or outdated
  (the ``translates`` stamp);
- a regulation's notes, its ``source`` (where the source stops) and its review cycle;
- the glossary (``docs/glossary.yml``): terms added, removed or changed;
- the onboarding packs (``docs/packs.yml``): packs added, removed or changed.

Each comparison returns change kinds (from :mod:`compendium.changes.changeset`) and
``fields``: field name -> (old, new), where a value is a date, a text, or a text per
language (the outputs show the reader's language, or the other one when only that one
changed). Multi-line values keep their line breaks; the outputs show them whole.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from compendium import DEFAULT_LANGUAGE, LANGUAGES
from compendium.changes.changeset import Change
from compendium.labels import format_date, section
from compendium.numbering.xref import XREF_RE, parse_target
from compendium.source.model import (
    Article,
    Compendium,
    GlossaryTerm,
    HistoryEntry,
    Regulation,
    localized_note,
    text_hash,
)

if TYPE_CHECKING:
    from compendium.source.packs import Pack

Fields = dict[str, tuple[Any, Any]]
Key = tuple[str, str]  # (regulation id, article id)
DUTY_PREFIX = "duty:"  # field "duty:<role id>": the duty summary of that role


def _per_language(make: Any) -> dict[str, str]:
    return {lang: make(lang) for lang in LANGUAGES}


def _word(key: str) -> dict[str, str]:
    return _per_language(lambda lang: section(lang, "changes")[key])


# -- articles ---------------------------------------------------------------------


def article_details(
    old: Article, new: Article, other_kinds: Sequence[str], aliases: Mapping[Key, Key]
) -> tuple[list[str], Fields]:
    """The kinds and fields of ``old`` -> ``new`` beyond text, captions, places and roles.

    ``other_kinds``: the kinds already found; an amendment history that only gained
    entries is shown as that change's notes, and is a kind of its own only when nothing
    else changed. ``aliases``: renamed article (new key) -> old key; a reference in a duty
    summary or note that only follows a rename is no change."""
    kinds: list[str] = []
    fields: Fields = {}

    def note(kind: str, name: str, ov: Any, nv: Any, refs: bool = False) -> None:
        """Record a change; ``refs``: texts whose references compare through renames."""
        if ov == nv or (
            refs and _canonical(ov, old.regulation, {}) == _canonical(nv, new.regulation, aliases)
        ):
            return
        fields[name] = (ov, nv)
        if kind not in kinds:
            kinds.append(kind)

    note("effective-changed", "effective", old.effective, new.effective)
    if old.repealed != new.repealed:
        fields["repealed"] = (old.repealed, new.repealed)
        if old.repealed is not None:  # a new repeal is the kind "repealed" (diff.py)
            kinds.append("repeal-changed")
    note("truncated-changed", "truncated", _yes_no(old.truncated), _yes_no(new.truncated))
    before, after = _history_keys(old.history), _history_keys(new.history)
    if before != after and (set(before) - set(after) or not other_kinds):
        note("history-changed", "history", _history_text(old.history), _history_text(new.history))
    for rid in sorted(_duty_roles(old) | _duty_roles(new)):
        note("duties-changed", DUTY_PREFIX + rid, _duty(old, rid), _duty(new, rid), refs=True)
    note("notes-changed", "editorial", _editorial(old), _editorial(new), refs=True)
    if _stamp(old) != _stamp(new):  # an amendment alone outdates it: english_pending says so
        note("translation-status-changed", "translation", _status(old), _status(new))
    return kinds, fields


def _canonical(value: dict[str, str] | None, reg_id: str, aliases: Mapping[Key, Key]) -> Any:
    """``value`` with each reference written in full, by the old id of a renamed article."""

    def full(m: re.Match[str]) -> str:
        target = parse_target(m.group(1), reg_id)
        if target is None:
            return m.group(0)
        target = aliases.get(target, target)
        return f"[[{target[0]}/{target[1]}]]"

    return {k: XREF_RE.sub(full, v) for k, v in value.items()} if value else value


def new_notes(old: Article, new: Article) -> list[str]:
    """The history notes of ``new`` that ``old`` does not have (the change's explanation)."""
    before = {(h.date, h.release, h.note) for h in old.history}
    return [h.note for h in new.history if (h.date, h.release, h.note) not in before]


def _yes_no(value: bool) -> dict[str, str]:
    return _word("yes" if value else "no")


def _history_keys(history: list[HistoryEntry]) -> list[tuple[Any, ...]]:
    return [
        (h.date, h.release, tuple(localized_note(h.note, lang)[0] for lang in LANGUAGES))
        for h in history
    ]


def _history_text(history: list[HistoryEntry]) -> dict[str, str] | None:
    """Every entry on a line of its own: date, release and note, in each language."""
    if not history:
        return None

    def text(lang: str) -> str:
        return "\n".join(
            format_date(h.date, lang)
            + (f" ({h.release})" if h.release else "")
            + " "
            + localized_note(h.note, lang)[0]
            for h in history
        )

    return _per_language(text)


def _duty_roles(art: Article) -> set[str]:
    return {rid for t in art.texts.values() for rid in t.duties}


def _duty(art: Article, rid: str) -> dict[str, str] | None:
    found = {lang: t.duties[rid] for lang, t in art.texts.items() if rid in t.duties}
    return found or None


def _editorial(art: Article) -> dict[str, str] | None:
    found = {lang: "\n".join(t.editorial) for lang, t in art.texts.items() if t.editorial}
    return found or None


def _stamp(art: Article) -> str | None:
    return next((t.translates for lang, t in art.texts.items() if lang != DEFAULT_LANGUAGE), None)


def _status(art: Article) -> dict[str, str] | None:
    """How the site shows the English translation: current, outdated (by its stamp)."""
    en = next((t for lang, t in art.texts.items() if lang != DEFAULT_LANGUAGE), None)
    if en is None:
        return None
    current = en.translates == text_hash(art.texts[DEFAULT_LANGUAGE])
    return _word("translation_current" if current else "translation_outdated")


# -- regulations -------------------------------------------------------------------


def regulation_details(old: Regulation, new: Regulation) -> tuple[list[str], Fields]:
    """A regulation's notes, source and review cycle, old against new."""
    kinds: list[str] = []
    fields: Fields = {}
    pairs = (
        ("notes-changed", "notes", _notes(old), _notes(new)),
        ("source-changed", "truncated", _truncated(old), _truncated(new)),
        ("source-changed", "source_file", old.source.get("file"), new.source.get("file")),
        ("review-changed", "review_every", _review(old, "every"), _review(new, "every")),
        ("review-changed", "last_reviewed", _review(old, "last"), _review(new, "last")),
    )
    for kind, name, ov, nv in pairs:
        if ov != nv:
            fields[name] = (ov, nv)
            if kind not in kinds:
                kinds.append(kind)
    return kinds, fields


def _notes(reg: Regulation) -> dict[str, str] | None:
    found = {lang: "\n".join(v) for lang, v in reg.notes.items() if v}
    return found or None


def _truncated(reg: Regulation) -> dict[str, str] | None:
    if reg.truncated is None:
        return None
    return _per_language(lambda lang: str(reg.truncated_in(lang)))


def _review(reg: Regulation, name: str) -> Any:
    return getattr(reg.review, name, None) if reg.review is not None else None


# -- roles -------------------------------------------------------------------------


def role_changes(old: Compendium, new: Compendium) -> list[Change]:
    """Roles added, removed or changed in name, kind, parent or aliases."""
    out: list[Change] = []
    for rid, role in new.roles.items():
        if rid not in old.roles:
            out.append(
                Change(
                    "role", ("added",), "", rid, dict(role.name), fields={"kind": (None, role.kind)}
                )
            )
            continue
        before = old.roles[rid]
        fields: dict[str, tuple[Any, Any]] = {}
        for name in ("name", "kind", "parent", "aliases"):
            ov, nv = getattr(before, name), getattr(role, name)
            if name == "aliases":
                ov = {k: v for k, v in ov.items() if v}
                nv = {k: v for k, v in nv.items() if v}
            if ov != nv:
                fields[name] = (ov, nv)
        if fields:
            out.append(Change("role", ("changed",), "", rid, dict(role.name), fields=fields))
    for rid, role in old.roles.items():
        if rid not in new.roles:
            out.append(
                Change(
                    "role",
                    ("removed",),
                    "",
                    rid,
                    dict(role.name),
                    fields={"kind": (role.kind, None)},
                )
            )
    return out


# -- the glossary -------------------------------------------------------------------


def glossary_changes(old: Compendium, new: Compendium) -> list[Change]:
    """Glossary entries added, removed or changed, matched by their Chinese term."""
    before, after = _terms(old.glossary), _terms(new.glossary)
    out: list[Change] = []
    for key, term in after.items():
        if key not in before:
            out.append(Change("glossary", ("added",), "", key, dict(term.terms)))
            continue
        fields = {
            name: (ov, nv)
            for name, ov, nv in (
                ("terms", dict(before[key].terms), dict(term.terms)),
                ("note", before[key].note, term.note),
                ("senses", _senses(before[key]), _senses(term)),
            )
            if ov != nv
        }
        if fields:
            out.append(Change("glossary", ("changed",), "", key, dict(term.terms), fields=fields))
    for key, term in before.items():
        if key not in after:
            out.append(Change("glossary", ("removed",), "", key, dict(term.terms)))
    return out


def _terms(glossary: list[GlossaryTerm]) -> dict[str, GlossaryTerm]:
    out: dict[str, GlossaryTerm] = {}
    for term in glossary:
        out.setdefault(term.terms.get(DEFAULT_LANGUAGE, ""), term)
    return out


def _senses(term: GlossaryTerm) -> str | None:
    lines = [s.en + (f" ({s.note})" if s.note else "") for s in term.senses]
    return "\n".join(lines) or None


# -- onboarding packs ---------------------------------------------------------------


def pack_changes(
    old: Sequence[Pack], new: Sequence[Pack], aliases: Mapping[Key, Key] | None = None
) -> list[Change]:
    """Packs added, removed, retitled or changed in roles, parts or articles, by pack id;
    ``aliases``: renamed article (new key) -> its old key, so a rename is no change."""
    before = {p.id: p for p in old}
    out: list[Change] = []
    for pack in new:
        was = before.get(pack.id)
        if was is None:
            out.append(Change("pack", ("added",), "", pack.id, dict(pack.title)))
            continue
        then, keys = was.article_keys(), pack.article_keys()
        now = {(aliases or {}).get(k, k) for k in keys}
        gone = [f"{r}/{a}" for r, a in then if (r, a) not in now]
        old_keys = set(then)
        came = [f"{r}/{a}" for r, a in keys if (aliases or {}).get((r, a), (r, a)) not in old_keys]
        fields = {
            name: (ov, nv)
            for name, ov, nv in (
                ("title", dict(was.title), dict(pack.title)),
                ("roles", list(was.roles), list(pack.roles)),
                ("parts", _parts(was), _parts(pack)),
                ("articles", ", ".join(gone) or None, ", ".join(came) or None),
            )
            if ov != nv
        }
        if fields:
            out.append(Change("pack", ("changed",), "", pack.id, dict(pack.title), fields=fields))
    ids = {p.id for p in new}
    out.extend(
        Change("pack", ("removed",), "", p.id, dict(p.title)) for p in old if p.id not in ids
    )
    return out


def _parts(pack: Pack) -> dict[str, str]:
    """The parts in order, one a line: title, kind (and regulation); which articles
    left or joined the pack is the field ``articles``."""

    def text(lang: str) -> str:
        return "\n".join(
            (part.title.get(lang, "") + " ").lstrip()
            + f"[{part.kind}{' ' + part.regulation if part.regulation else ''}]"
            for part in pack.parts
        )

    return _per_language(text)
