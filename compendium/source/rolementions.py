"""Role mentions in article text: names and aliases matched longest first outside
headings, links, code, HTML tags and cross references; the duty matrix; duties the
texts give to roles an article does not declare (a check of ``make check``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from compendium.source.model import Article, Compendium, Role

# Spans of Markdown that must never be rewritten. Each alternative stops at the next
# character that could open or close another span of its kind (a bracket, a parenthesis,
# a '<'), so a text full of unclosed openers ("[a](" x 45,000) is read in linear time;
# raw HTML is refused by validation and escaped before role names are linked anyway.
_PROTECTED = re.compile(
    r"(?s:```.*?```)"  # fenced code
    r"|`[^`\n]*`"  # inline code
    r"|\[\[[^\[\]\n]*\]\]"  # cross references, as numbering.xref reads them
    r"|!?\[[^\[\]\n]*\]\([^()\n]*\)"  # links and images
    r"|<a\b[^<>\n]*>[^<\n]*</a>"  # HTML links
    r"|<[^<>\n]*>"  # any other HTML tag, and autolinks
    r"|^\#{1,6}[ \t][^\n]*$",  # headings
    re.M,
)

# A duty word counts when it stands this close after a role's name, in its sentence.
DUTY_REACH = 40


@dataclass(frozen=True)
class RoleMatcher:
    """Finds role names and aliases of one language in text, longest first."""

    pattern: re.Pattern[str] | None
    owner: dict[str, str]  # casefolded name -> role id

    @classmethod
    def build(cls, roles: dict[str, Role], lang: str) -> RoleMatcher:
        owner: dict[str, str] = {}
        for role in roles.values():
            for name in [role.name.get(lang, "")] + role.aliases.get(lang, []):
                if name:
                    owner.setdefault(name.casefold(), role.id)
        if not owner:
            return cls(None, owner)
        names = sorted(owner, key=len, reverse=True)
        alternation = "|".join(re.escape(n) for n in names)
        if lang == "en":  # whole words only in English
            return cls(re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.I), owner)
        return cls(re.compile(alternation, re.I), owner)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, role id)`` of every mention outside protected spans."""
        if self.pattern is None:
            return []
        out: list[tuple[int, int, str]] = []
        pos = 0
        for m in _PROTECTED.finditer(text):
            out.extend(self._scan(text, pos, m.start()))
            pos = m.end()
        out.extend(self._scan(text, pos, len(text)))
        return out

    def _scan(self, text: str, start: int, end: int) -> list[tuple[int, int, str]]:
        assert self.pattern is not None
        return [
            (m.start(), m.end(), self.owner[m.group(0).casefold()])
            for m in self.pattern.finditer(text, start, end)
        ]

    def link(self, text: str, href: Callable[[str], str], mode: str = "first") -> str:
        """Wrap mentions in links to ``href(role_id)``.

        ``mode``: ``first`` links the first mention of each role, ``all`` every
        mention, ``none`` nothing.
        """
        if mode == "none":
            return text
        seen: set[str] = set()
        parts: list[str] = []
        pos = 0
        for start, end, rid in self.find(text):
            if mode == "first" and rid in seen:
                continue
            seen.add(rid)
            parts.append(text[pos:start])
            # Markdown link syntax (attr_list): cheaper for Markdown than raw inline HTML.
            parts.append(f"[{text[start:end]}]({href(rid)}){{: .role }}")
            pos = end
        parts.append(text[pos:])
        return "".join(parts)


def duty_matrix(comp: Compendium) -> dict[str, dict[str, int]]:
    """role id -> regulation id -> number of articles assigning it duties."""
    matrix: dict[str, dict[str, int]] = {rid: {} for rid in comp.roles}
    for reg in comp.regulations.values():
        for art in reg.articles.values():
            for rid in art.roles:
                if rid in matrix:
                    matrix[rid][reg.id] = matrix[rid].get(reg.id, 0) + 1
    return matrix


DUTY_RE = {
    "zh-Hant": re.compile(r"負責(?!人)|(?<![相反對供適響效回])應(?![用對])|須"),
    "en": re.compile(r"\bshall\b|\bis responsible for\b|\bare responsible for\b", re.I),
}


def undeclared_duties(comp: Compendium) -> list[tuple[Article, str, str]]:
    """``(article, language, role id)`` where the text names a role next to a duty word
    (負責 / 應 / 須 / shall) in the same sentence but the article does not declare it."""
    out: list[tuple[Article, str, str]] = []
    matchers = {lang: RoleMatcher.build(comp.roles, lang) for lang in DUTY_RE}
    for reg in comp.regulations.values():
        for art in reg.articles.values():
            for lang, text in art.texts.items():
                if lang not in matchers:
                    continue
                body = text.body
                found: set[str] = set()
                for _start, end, rid in matchers[lang].find(body):
                    if rid in art.roles or rid in found:
                        continue
                    near = body[end : end + DUTY_REACH]  # not the rest of the body: linear
                    sentence = re.split(r"[。；;\n]|(?<=\.)\s", near, maxsplit=1)[0]
                    if DUTY_RE[lang].search(sentence):
                        found.add(rid)
                        out.append((art, lang, rid))
    return out
