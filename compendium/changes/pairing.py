"""Which regulation, chapter, section and article of one edition is which of the other.

Ids are identity: the same id is the same thing. A renamed regulation, chapter or
section names its earlier ids in ``formerly`` (its manifest entry), a renamed or
moved article in ``formerly`` of its Chinese front-matter (both written by
:mod:`compendium.editing.rename`), so a rename pairs the new id with the old one.
An article id that leaves one regulation and appears in another with a similar
text is paired as a move even without ``formerly``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from compendium import DEFAULT_LANGUAGE
from compendium.changes.redline import similarity
from compendium.numbering.xref import parse_target
from compendium.source.model import Compendium, Regulation

MOVE_SIMILARITY = 0.6  # same id in another regulation counts as a move from this text ratio

Key = tuple[str, str]  # (regulation id, article id)


@dataclass
class Pairing:
    """New ids -> old ids, for everything present in both editions."""

    regulations: dict[str, str]  # new regulation id -> old id (itself unless renamed)
    units: dict[str, dict[str, str]]  # new regulation -> new chapter/section id -> old id
    articles: dict[Key, Key]  # new key -> old key
    gone: list[Key]  # old articles with no counterpart (removed, or in a retired regulation)
    aliases: dict[Key, Key] = field(default_factory=dict)  # renamed: new key -> old key

    def old_regulation(self, new_id: str) -> str | None:
        return self.regulations.get(new_id)

    def new_regulation(self, old_id: str) -> str | None:
        return next((n for n, o in self.regulations.items() if o == old_id), None)

    def old_unit(self, reg_id: str, unit: str | None) -> str | None:
        """The old id of chapter or section ``unit`` of new regulation ``reg_id``."""
        if unit is None:
            return None
        return self.units.get(reg_id, {}).get(unit)


def pair(old: Compendium, new: Compendium) -> Pairing:
    regs = _pair_ids(
        set(old.regulations), {rid: reg.formerly for rid, reg in new.regulations.items()}
    )
    units = {
        rid: _pair_ids(_unit_ids(old.regulations[oid]), _unit_formerly(new.regulations[rid]))
        for rid, oid in regs.items()
    }
    articles, gone, aliases = _pair_articles(old, new, regs)
    return Pairing(regs, units, articles, gone, aliases)


def _pair_ids(old_ids: set[str], new_ids: dict[str, list[str]]) -> dict[str, str]:
    """New id -> old id: the same id, else the latest ``formerly`` id that no longer exists."""
    out = {i: i for i in new_ids if i in old_ids}
    taken = set(out.values())
    for nid, earlier in sorted(new_ids.items()):
        if nid in out:
            continue
        found = next(
            (e for e in reversed(earlier) if e in old_ids and e not in new_ids and e not in taken),
            None,
        )
        if found is not None:
            out[nid] = found
            taken.add(found)
    return out


def _unit_ids(reg: Regulation) -> set[str]:
    return set(_unit_formerly(reg))


def _unit_formerly(reg: Regulation) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for ch in reg.chapters:
        out[ch.id] = ch.formerly
        for sec in ch.sections:
            if sec.id is not None:
                out[sec.id] = sec.formerly
    return out


def _pair_articles(
    old: Compendium, new: Compendium, regs: dict[str, str]
) -> tuple[dict[Key, Key], list[Key], dict[Key, Key]]:
    """(new key -> old key, old keys left over, renamed new key -> old key)."""
    old_keys = {(r.id, aid) for r in old.regulations.values() for aid in r.articles}
    new_keys = {(r.id, aid) for r in new.regulations.values() for aid in r.articles}
    pairs: dict[Key, Key] = {k: k for k in old_keys & new_keys}
    gone = sorted(old_keys - new_keys)
    aliases: dict[Key, Key] = {}

    def take(key: Key, found: Key, alias: bool) -> None:
        pairs[key] = found
        gone.remove(found)
        if alias:
            aliases[key] = found  # references to it compare as references to the old id

    # A renamed or moved article names its earlier ids in `formerly`: ids are identity,
    # so it is the same article (a rename alone is no change; a move is a move).
    for key, earlier in sorted(_formerly(new, new_keys - old_keys).items()):
        found = next((k for k in earlier if k in gone), None)
        if found is not None:
            take(key, found, True)
    # The articles of a renamed regulation keep their ids.
    for key in sorted(new_keys - old_keys - set(pairs)):
        oid = regs.get(key[0])
        if oid is not None and oid != key[0] and (oid, key[1]) in gone:
            take(key, (oid, key[1]), True)
    for key in sorted(new_keys - old_keys - set(pairs)):
        best = _best_move(old, new, key, [g for g in gone if g[1] == key[1]])
        if best is not None:
            take(key, best, False)
    return pairs, gone, aliases


def _formerly(comp: Compendium, keys: set[Key]) -> dict[Key, list[Key]]:
    """New key -> the earlier keys named in the article's ``formerly`` list, latest first."""
    out: dict[Key, list[Key]] = {}
    for rid, aid in keys:
        art = comp.regulations[rid].articles[aid]
        earlier = art.texts[DEFAULT_LANGUAGE].meta.get("formerly")
        if not isinstance(earlier, list):
            continue
        targets = [parse_target(str(v), rid) for v in reversed(earlier)]
        out[(rid, aid)] = [t for t in targets if t is not None]
    return out


def _best_move(old: Compendium, new: Compendium, key: Key, cands: list[Key]) -> Key | None:
    if not cands:
        return None
    art = new.regulations[key[0]].articles[key[1]]
    best, best_ratio = None, 0.0
    for cand in cands:
        other = old.regulations[cand[0]].articles[cand[1]]
        if other.source_hash == art.source_hash:
            return cand
        ratio = similarity(
            squash(other.texts[DEFAULT_LANGUAGE].body), squash(art.texts[DEFAULT_LANGUAGE].body)
        )
        if ratio > best_ratio:
            best, best_ratio = cand, ratio
    return best if best_ratio >= MOVE_SIMILARITY else None


def squash(text: str) -> str:
    """The text without white space."""
    return "".join(text.split())
