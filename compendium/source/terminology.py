"""Terminology check: the English uses the renderings of the glossary and the role registry.

For every article, each Chinese term of ``glossary.yml`` and each role name of
``roles.yml`` found in the Chinese text must appear in the English text in one
of its allowed renderings. Terms are matched longest first, so 數據分析員 (a
role) is not also counted as 數據分析 (a glossary term). English renderings
match whatever the capitalisation and with the usual inflections (plural,
-ed, -ing, possessive), so "Departments" matches "department".

Articles are compared paragraph by paragraph (a list item is a paragraph) when
both languages have the same number of paragraphs, else as a whole. The caption
and each duty summary are compared on their own.

Problems found:

* an error for a glossary term listed twice, or given an English rendering that
  differs from the role registry's name for the same Chinese;
* a warning for a term of the Chinese that the English renders otherwise,
  naming the English file, the line, the term and the expected rendering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from compendium import DEFAULT_LANGUAGE
from compendium.numbering.xref import XREF_RE

if TYPE_CHECKING:
    from compendium.source.model import Article, ArticleText, Compendium, GlossaryTerm, Role
    from compendium.source.problems import Problems

WORD_RE = re.compile(r"[A-Za-z]+|[^A-Za-z]+")
PARAGRAPH_SPLIT_RE = re.compile(r"\n\s*\n|\n(?=\s*(?:\d+\.|[-*])\s)")


@dataclass
class Term:
    """One Chinese term and every English rendering allowed for it."""

    zh: str
    renderings: list[str]
    source: str  # "glossary" or "role <id>"
    patterns: list[re.Pattern[str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.patterns = [rendering_pattern(r) for r in self.renderings]

    @property
    def expected(self) -> str:
        return " or ".join(f"'{r}'" for r in self.renderings)


def variants(value: str) -> list[str]:
    """The alternatives of a glossary field: 'a / b' -> ['a', 'b']; parentheses dropped."""
    out = []
    for part in _split_alternatives(_drop_parentheses(value)):
        part = part.strip()
        if part and part not in out:
            out.append(part)
    return out


def _drop_parentheses(value: str) -> str:
    """``value`` without its parenthesised parts and the whitespace before each (a
    '(' up to the next ')'), read once: a pattern for it retried every unclosed '('."""
    out: list[str] = []
    pos = 0
    while (open_ := value.find("(", pos)) >= 0 and (close := value.find(")", open_)) >= 0:
        start = open_
        while start > pos and value[start - 1].isspace():
            start -= 1
        out.append(value[pos:start])
        pos = close + 1
    out.append(value[pos:])
    return "".join(out)


def _split_alternatives(value: str) -> list[str]:
    """``value`` split at each '/' with whitespace on both sides (the whitespace goes
    with the separator), read once."""
    out: list[str] = []
    pos, slash = 0, value.find("/")
    while slash >= 0:
        if slash > pos and value[slash - 1].isspace() and value[slash + 1 : slash + 2].isspace():
            start, end = slash - 1, slash + 2
            while start > pos and value[start - 1].isspace():
                start -= 1
            while end < len(value) and value[end].isspace():
                end += 1
            out.append(value[pos:start])
            pos = end
        slash = value.find("/", max(slash + 1, pos))
    out.append(value[pos:])
    return out


def _word_pattern(word: str) -> str:
    """Regex for an English word with its common inflections."""
    w = word.lower()
    if len(w) <= 2:  # go -> goes; other short words as written
        return re.escape(w) + ("(?:es)?" if w == "go" else "")
    if w.endswith("sis"):  # analysis -> analyses
        return re.escape(w[:-3]) + "s[ei]s"
    if w.endswith("y") and w[-2] not in "aeiou":  # policy -> policies, applied
        return re.escape(w[:-1]) + "(?:y|ies|ied|ying)"
    if w.endswith("e"):  # standardise -> standardises, standardised, standardising
        return re.escape(w[:-1]) + "(?:e|es|ed|ing)"
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):  # a plural also matches one
        return re.escape(w[:-1]) + "(?:s|es)?"
    if w.endswith(("s", "x", "ch", "sh", "o")):
        return re.escape(w) + "(?:es|ed|ing)?"
    return re.escape(w) + "(?:s|ed|ing)?"


def rendering_pattern(rendering: str) -> re.Pattern[str]:
    """A case-insensitive pattern for ``rendering`` as whole words.

    Each word may carry an inflection; a space or hyphen between words matches
    either ("go-live" matches "go live"); a possessive "'s" may follow.
    """
    text = rendering.strip()
    lead = ""
    if text.lower().startswith("the "):  # "the Company" also matches "Company's"
        text, lead = text[4:], r"(?:the\s+)?"
    parts = []
    for token in WORD_RE.findall(text):
        if token[0].isalpha():
            parts.append(_word_pattern(token))
        elif token.strip() in ("", "-"):
            parts.append(r"[\s-]+")
        else:
            parts.append(re.sub(r"(?:\\\s)+", r"\\s+", re.escape(token)))
    body = lead + "".join(parts)
    return re.compile(r"(?<![A-Za-z])" + body + r"(?:'s)?(?![A-Za-z])", re.IGNORECASE)


def build_terms(
    glossary: list[GlossaryTerm], roles: dict[str, Role], path: str, problems: Problems
) -> list[Term]:
    """Every checked Chinese term, longest first; duplicates and conflicts are errors."""
    by_zh: dict[str, Term] = {}
    for role in roles.values():
        for zh in [role.name.get(DEFAULT_LANGUAGE, "")] + role.aliases.get(DEFAULT_LANGUAGE, []):
            if not zh:
                continue
            en = [role.name.get("en", "")] + role.aliases.get("en", [])
            by_zh.setdefault(zh, Term(zh, [e for e in en if e], f"role '{role.id}'"))
    seen: dict[str, int] = {}
    for entry in glossary:
        zh_field, en_field = entry.terms.get(DEFAULT_LANGUAGE), entry.terms.get("en")
        if not zh_field or not en_field:
            continue
        renderings = variants(en_field) + [r for s in entry.senses for r in variants(s.en)]
        for zh in variants(zh_field):
            if zh in seen:
                problems.error(
                    path,
                    entry.line,
                    f"glossary term '{zh}' is listed twice (also on line {seen[zh]}); "
                    "expected one entry per term (give a second sense under 'senses')",
                )
                continue
            seen[zh] = entry.line
            role_term = by_zh.get(zh)
            if role_term is not None:
                wanted = {r.lower() for r in role_term.renderings}
                if not wanted & {r.lower() for r in renderings}:
                    problems.error(
                        path,
                        entry.line,
                        f"glossary term '{zh}' is rendered '{en_field}', but docs/roles.yml "
                        f"names the {role_term.source} {role_term.expected}; "
                        "expected the same English in both files",
                    )
                continue
            if entry.check:
                by_zh[zh] = Term(zh, renderings, "glossary")
    return sorted(by_zh.values(), key=lambda t: (-len(t.zh), t.zh))


def missing_terms(terms: list[Term], chinese: str, english: str) -> list[Term]:
    """The terms found in ``chinese`` (longest match first) that ``english`` lacks.

    A term found is masked in both languages, so that a shorter term inside it
    (數據 in 數據分析員) is neither found in the Chinese nor satisfied by the
    rendering of the longer one in the English ("data" in "Data Analyst").
    """
    chinese = XREF_RE.sub("", chinese)
    english = XREF_RE.sub("", english)  # an id such as [[data-backup]] renders no term
    missing: list[Term] = []
    for term in terms:
        if term.zh not in chinese:
            continue
        left = chinese.count(term.zh)  # mask as many renderings as there are occurrences
        chinese = chinese.replace(term.zh, "\0")
        hits = [p for p in term.patterns if p.search(english)]
        if not hits:
            missing.append(term)
        for pattern in hits:
            english, done = pattern.subn("\0", english, count=left)
            left -= done
            if left <= 0:
                break
    return missing


def paragraphs(body: str, first_line: int) -> list[tuple[str, int]]:
    """The paragraphs and list items of a Markdown body, each with its first line."""
    out: list[tuple[str, int]] = []
    pos = 0
    line, counted = first_line, 0  # lines counted up to ``counted``, once over the body
    for m in [*PARAGRAPH_SPLIT_RE.finditer(body), None]:
        end = m.start() if m else len(body)
        chunk = body[pos:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            line += body.count("\n", counted, pos + lead)
            counted = pos + lead
            out.append((chunk.strip(), line))
        if m:
            pos = m.end()
    return out


def check_terminology(comp: Compendium, problems: Problems, glossary_path: str) -> None:
    """Add the terminology problems of ``comp`` to ``problems``."""
    terms = build_terms(comp.glossary, comp.roles, glossary_path, problems)
    if not terms:
        return
    for reg in comp.regulations.values():
        for art in reg.articles.values():
            _check_article(art, terms, problems)


def _check_article(art: Article, terms: list[Term], problems: Problems) -> None:
    zh, en = art.texts.get(DEFAULT_LANGUAGE), art.texts.get("en")
    if zh is None or en is None:
        return
    pairs: list[tuple[str, str, int]] = []
    if zh.caption and en.caption:
        pairs.append((zh.caption, en.caption, _field_line(en, "caption")))
    for role, duty in zh.duties.items():
        if role in en.duties:
            pairs.append((duty, en.duties[role], _field_line(en, "duties", role)))
    zh_paras, en_paras = paragraphs(zh.body, zh.body_line), paragraphs(en.body, en.body_line)
    if len(zh_paras) == len(en_paras):
        pairs += [(z, e, line) for (z, _), (e, line) in zip(zh_paras, en_paras, strict=True)]
    else:
        pairs.append((zh.body, en.body, en.body_line))
    for chinese, english, line in pairs:
        for term in missing_terms(terms, chinese, english):
            problems.warning(
                en.path,
                line,
                f"the Chinese has '{term.zh}' but the English does not render it as "
                f"{term.expected} ({'glossary.yml' if term.source == 'glossary' else 'roles.yml, ' + term.source})",
            )


def _field_line(text: ArticleText, *keys: str) -> int:
    if text.lines is None:
        return 1
    try:
        return int(text.lines(*keys))
    except (KeyError, IndexError, TypeError):
        return 1
