"""Sequence-aware parsing of cleaned lines into a document tree (:class:`ParsedDoc`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from compendium import DEFAULT_LANGUAGE
from compendium.numbering.styles import STYLES

from .around import Around
from .captions import _captions, tidy_title
from .clean import (
    PAD,
    CleanResult,
    Fix,
    SourceLine,
    clean_layout,
    clean_scrape,
    find_suspicious,
    fix_traditional,
    fullwidth_punct,
    split_lines,
)
from .doc import Chunk, Issue, ParsedArticle, ParsedChapter, ParsedDoc, ParsedItem, ParsedSection
from .grammar import (
    EN_END_PARA,
    END_PARA,
    END_SENT,
    END_TEXT,
    GRAMMARS,
    REF_AFTER,
    Grammar,
    ImportFailure,
    Label,
    _clip,
    _short,
    is_structural,
    scan_labels,
)


class _Parser:
    """One pass over the cleaned lines, building chapters, sections, articles and items."""

    def __init__(self, grammar: Grammar, fix: Callable[[str, int], tuple[str, list[Fix]]] | None):
        self.g = grammar
        self.fix = fix
        self.doc = ParsedDoc(grammar.lang, grammar.style, False)
        self.state = "preamble"  # preamble | chapter | section | article
        self.head: ParsedChapter | ParsedSection | None = None
        self.head_line = 0
        self.preamble: list[Chunk] = []
        self.chapter: ParsedChapter | None = None
        self.section: ParsedSection | None = None
        self.article: ParsedArticle | None = None
        self.item: ParsedItem | None = None
        self.last_chapter = 0
        self.last_chapter_sub = 0
        self.saved_stack: list[list[Any]] = []  # the list before a paragraph that followed it
        self.last_section = 0
        self.last_base = 0
        self.last_sub = 0

    # -- acceptance of a label -----------------------------------------------------

    def _heading_open(self, line: Around, pos: int, start: int) -> bool:
        """Right after a heading (or the title) on the same line: a label may follow directly."""
        if self.state == "preamble":  # only this line counts: the title is on it
            prefix = ""
        elif self.state in ("chapter", "section") and self.head is not None:
            prefix = self.head.title
        else:
            return False
        text = line.joined(prefix, pos, start, 40)
        return text is not None and not any(ch in text for ch in "。！？；;")

    def _expected_item(self, c: Label) -> bool:
        stack = self.article.item_stack if self.article else []
        for kind, last in stack:
            if kind == c.kind:
                return c.num == int(last) + 1
        return c.num == 1

    def accepts(self, c: Label, line: Around, pos: int) -> bool:
        """Whether the candidate ``c`` is a label here; ``pos``: where the text before it starts."""
        role = self.g.role(c.kind)
        if role is None:
            return False
        prev = line.prev_char(pos, c.start)
        if role == "items":
            if self.state != "article":
                return False
            if line.at_start(c.start):
                return True
            if not self._expected_item(c):
                return False
            if self.g.lang == "en":
                return prev in ":;." or line.ends_with(pos, c.start, (" and", " or"))
            if c.kind == "cn-dun":
                return prev in END_SENT + "：:"
            return not (prev.isascii() and prev.isalnum())
        if line.at_start(c.start):
            return self._fits(role, c) or self._lone_label(c, line)
        # inside a line: only the next number, where a unit can begin
        soft = prev in END_SENT or self._heading_open(line, pos, c.start)
        if self.g.lang == "en":
            soft = prev in ".;:" or self._heading_open(line, pos, c.start)
        if not soft:
            return False
        if c.kind == "zh-article" and REF_AFTER.match(line.rest_head(c.end, 8)):
            return False
        if role == "chapter":
            return c.sub == 0 and c.num == self.last_chapter + 1
        if role == "section":
            return c.sub == 0 and c.num == self.last_section + 1
        if c.sub:
            return c.num == self.last_base and c.sub == self.last_sub + 1
        return c.num == self.last_base + 1

    def _fits(self, role: str, c: Label) -> bool:
        """Whether a label continues the source's own numbering sequence."""
        if role == "chapter":
            if c.sub:
                return c.num == self.last_chapter and c.sub == self.last_chapter_sub + 1
            return c.num == self.last_chapter + 1
        if role == "section":
            return c.sub == 0 and c.num == self.last_section + 1
        if c.sub:
            return c.num == self.last_base and c.sub > self.last_sub
        return c.num == self.last_base + 1

    def _english_heading(self, role: str, rest: str | None) -> bool:
        """An English chapter or section heading with a wrong number (Chapter XI after VIII);
        ``rest``: the line after the label, stripped (None when over 80 characters)."""
        return (
            role in ("chapter", "section")
            and rest is not None
            and 0 < len(rest) <= 80
            and rest[:1].isupper()
            and not rest.endswith((".", ";", ","))
        )

    def _lone_label(self, c: Label, line: Around) -> bool:
        """An out-of-sequence label printed as a label (alone, or before a separator).

        It is taken as a label so that the gap or repeat is reported as an anomaly; a label
        followed directly by words (第十五條第二款及…, 第 15 條規定…) is a reference in the body.
        """
        if self.state == "preamble" and self.g.role(c.kind) != "article":
            return True
        first = line.rest_first(c.end)
        if not first:  # an English chapter prints its title ("Chapter 43" alone is a reference)
            return c.kind.startswith("zh-") or self.g.role(c.kind) == "article"
        if not c.kind.startswith("zh-"):  # English: alone on its line, or a heading
            return self._english_heading(self.g.role(c.kind) or "", line.rest_stripped(c.end, 80))
        return first in PAD + "：:" and not REF_AFTER.match(line.rest_head(c.end, 8))

    # -- events --------------------------------------------------------------------

    def feed(self, lines: list[SourceLine]) -> ParsedDoc:
        for line in lines:
            cands = scan_labels(line.text, self.g.kinds)
            around = Around(line.text)
            pos = 0
            i = 0
            while i < len(cands):
                j = i + 1  # the candidates at one place (sorted by place)
                while j < len(cands) and cands[j].start == cands[i].start:
                    j += 1
                group, i = cands[i:j], j
                if group[0].start < pos:
                    continue
                for c in self._prefer(group):
                    if self.accepts(c, around, pos):
                        self.text(line.text[pos : c.start], line, pos == 0)
                        self.label(c, line)
                        pos = c.end
                        break
            self.text(line.text[pos:], line, pos == 0)
        self._finish_preamble()
        return self.doc

    def _prefer(self, group: list[Label]) -> list[Label]:
        """Order labels found at one place: (i) is a letter after (h), a Roman numeral otherwise."""
        if len(group) < 2:
            return group
        stack = {k: last for k, last in (self.article.item_stack if self.article else [])}

        def rank(c: Label) -> int:
            if c.kind in stack and stack[c.kind] + 1 == c.num:
                return 0
            if c.kind == "rom-paren" and "lat-paren" not in stack and c.num == 1:
                return 0  # "(i)" opening a list is a Roman numeral
            return 2 if c.kind == "rom-paren" else 1

        return sorted(group, key=rank)

    def _fix(self, text: str, line: int) -> tuple[str, list[Fix]]:
        if self.fix is None:
            return text, []
        return self.fix(text, line)

    def text(self, raw: str, line: SourceLine, new_line: bool) -> None:
        text = raw.strip(PAD)
        if not new_line:  # right after a label: drop a separator ("第一條：", "Chapter I - ")
            text = text.lstrip("：:" + ("-–—." if self.g.lang == "en" else "")).strip(PAD)
        if not text:
            return
        text, fixes = self._fix(text, line.no)
        # a hard-wrapped continuation line (indented) goes on with the paragraph before it
        chunk = Chunk(text, line.no, new_line and not line.continued, line.blank_before)
        if self.state == "preamble":
            self.preamble.append(chunk)
            self.doc.fixes.extend(fixes)
            return
        if self.state in ("chapter", "section"):
            head = self.head
            assert head is not None
            if line.no == self.head_line and not new_line:
                head.title = (head.title + " " + text).strip() if head.title else text
                self.doc.fixes.extend(fixes)
            elif not head.title and len(text) <= 30 and not any(ch in text for ch in "。；;"):
                head.title = text
                self.head_line = line.no
                self.doc.fixes.extend(fixes)
            else:
                where = "chapter" if self.state == "chapter" else "section"
                self.doc.unplaced.append(
                    Issue(
                        line.no,
                        f"text after the {where} heading {head.label} "
                        f"and before its first article: 「{_short(text)}」",
                    )
                )
            return
        assert self.article is not None
        self.article.fixes.extend(fixes)
        if self.item is not None and self._paragraph_after_list(chunk):
            # a paragraph (項) after a list: not part of the last item; a later list restarts
            self.item = ParsedItem(0, "paragraph", 0, line.no, "")
            self.article.items.append(self.item)
            self.saved_stack = self.article.item_stack
            self.article.item_stack = []
        if self.item is not None:
            self.item.chunks.append(chunk)
        else:
            self.article.intro.append(chunk)

    def _resume_list(self, art: ParsedArticle, c: Label) -> None:
        """The list goes on after the text taken as a paragraph: that text was the item's own."""
        if not art.items or art.items[-1].level != 0 or art.item_stack or c.num == 1:
            return
        if not any(kind == c.kind and last + 1 == c.num for kind, last in self.saved_stack):
            return
        para = art.items.pop()
        art.items[-1].chunks.extend(para.chunks)
        art.item_stack = self.saved_stack

    def _paragraph_after_list(self, chunk: Chunk) -> bool:
        item = self.item
        if item is None or not chunk.new_line or not item.chunks or item.level == 0:
            return False
        ends = EN_END_PARA if self.g.lang == "en" else END_PARA + "）)"
        return chunk.blank_before or item.chunks[-1].text[-1:] in ends

    def label(self, c: Label, line: SourceLine) -> None:
        role = self.g.role(c.kind)
        if role == "chapter":
            self._finish_preamble()
            if not self._fits("chapter", c):
                self._check_order("chapter", c, line.no, self.last_chapter + 1, self.last_chapter)
            self.chapter = ParsedChapter(c.num, line.no, c.text, sub=c.sub)
            self.chapter.sections.append(ParsedSection(0, line.no, ""))
            self.doc.chapters.append(self.chapter)
            self.last_chapter, self.last_chapter_sub = c.num, c.sub
            self.last_section = 0
            if self.g.style == "outline":
                self.last_base = self.last_sub = 0
            self.section = None
            self.article = self.item = None
            self.state, self.head, self.head_line = "chapter", self.chapter, line.no
        elif role == "section":
            self._finish_preamble()
            if self.chapter is None:
                self._implicit_chapter(line.no)
            assert self.chapter is not None
            self._check_order("section", c, line.no, self.last_section + 1, self.last_section)
            self.section = ParsedSection(c.num, line.no, c.text)
            self.chapter.sections.append(self.section)
            self.last_section = c.num
            self.article = self.item = None
            self.state, self.head, self.head_line = "section", self.section, line.no
        elif role == "article":
            self._finish_preamble()
            if self.chapter is None:
                self._implicit_chapter(line.no)
            assert self.chapter is not None
            self._check_article(c, line.no)
            new = ParsedArticle(c.num, c.sub, line.no, c.text, chapter_num=self.chapter.num)
            (self.section or self.chapter.sections[-1]).articles.append(new)
            self.article, self.item = new, None
            self.last_base, self.last_sub = c.num, c.sub
            self.state, self.head = "article", None
        else:
            art = self.article
            assert art is not None
            self._resume_list(art, c)
            stack = art.item_stack
            depth = next((k for k, (kind, _) in enumerate(stack) if kind == c.kind), None)
            if depth is None:
                if c.num != 1:
                    self.doc.numbering.append(
                        Issue(
                            line.no,
                            f"{_clip(c.text)} in {_clip(art.label)} starts a list "
                            "but is not its first item (expected 1)",
                        )
                    )
                stack.append([c.kind, c.num])
                level = len(stack)
            else:
                del stack[depth + 1 :]
                last = stack[depth][1]
                if c.num != last + 1:
                    self.doc.numbering.append(
                        Issue(
                            line.no,
                            f"item {_clip(c.text)} in {_clip(art.label)} follows item "
                            f"number {last} (expected {last + 1})",
                        )
                    )
                stack[depth][1] = c.num
                level = depth + 1
            self.item = ParsedItem(level, c.kind, c.num, line.no, c.text)
            art.items.append(self.item)

    def _implicit_chapter(self, line: int) -> None:
        self.chapter = ParsedChapter(0, line, "")
        self.chapter.sections.append(ParsedSection(0, line, ""))
        self.doc.chapters.append(self.chapter)
        self.doc.notes.append(
            Issue(
                line,
                "articles before any chapter heading: they are put in one chapter "
                "(the site shows it with a chapter number the source does not print)",
            )
        )

    def _check_order(self, what: str, c: Label, line: int, expected: int, last: int) -> None:
        if c.num == expected:
            return
        label = _clip(c.text)
        if c.num > expected:
            missing = f"{expected}" if c.num == expected + 1 else f"{expected} to {c.num - 1}"
            self.doc.numbering.append(
                Issue(line, f"gap: {what} {label} follows number {last} ({what} {missing} missing)")
            )
        else:
            self.doc.numbering.append(
                Issue(
                    line,
                    f"{what} {label} repeats or goes back (the previous {what} is number {last})",
                )
            )

    def _check_article(self, c: Label, line: int) -> None:
        label = _clip(c.text)
        lb, ls = self.last_base, self.last_sub
        if c.sub:
            if c.num != lb:
                self.doc.numbering.append(
                    Issue(
                        line,
                        f"inserted article {label} does not follow article {c.num} "
                        f"(the previous article is number {lb}" + (f"-{ls}" if ls else "") + ")",
                    )
                )
            elif c.sub != ls + 1:
                self.doc.numbering.append(
                    Issue(
                        line,
                        f"inserted article {label} follows {lb}"
                        + (f"-{ls}" if ls else "")
                        + f" (expected sub-number {ls + 1})",
                    )
                )
            return
        if c.num == lb + 1:
            return
        if c.num > lb + 1:
            missing = f"{lb + 1}" if c.num == lb + 2 else f"{lb + 1} to {c.num - 1}"
            self.doc.numbering.append(
                Issue(line, f"gap: article {label} follows number {lb} (article {missing} missing)")
            )
        else:
            self.doc.numbering.append(
                Issue(
                    line,
                    f"article {label} repeats or goes back (the previous article is number {lb})",
                )
            )

    def _finish_preamble(self) -> None:
        if not self.preamble:
            return
        chunks, self.preamble = self.preamble, []
        first = chunks[0]
        if (
            self.doc.title is None
            and len(first.text) <= 60
            and not any(ch in first.text for ch in "。；;")
        ):
            self.doc.title = first.text
            chunks = chunks[1:]
        for ch in chunks:
            self.doc.unplaced.append(
                Issue(ch.line, f"text before the first chapter or article: 「{_short(ch.text)}」")
            )


def detect_style(lines: list[SourceLine]) -> str:
    """``chapter-article`` when 第…條 labels begin units, ``outline`` otherwise."""
    strong = 0
    outline = 0
    for ln in lines:
        around = Around(ln.text)
        for c in scan_labels(ln.text, ("zh-article", "cn-dun", "cn-paren")):
            before = around.prev_char(0, c.start)
            starts = not before or before in END_SENT
            if c.kind == "zh-article" and starts:
                strong += 1
            elif c.kind != "zh-article" and starts:
                outline += 1
    return "chapter-article" if strong >= 2 or (strong and not outline) else "outline"


def parse_text(
    text: str,
    *,
    lang: str = DEFAULT_LANGUAGE,
    style: str | None = None,
    clean_scrape_noise: bool = False,
    fix_trad: bool = False,
    fullwidth: bool = False,
) -> ParsedDoc:
    """Clean ``text`` and parse it into chapters, sections, articles and items."""
    if style is not None and style not in STYLES:
        raise ImportFailure(
            f"unknown numbering style '{style}' (expected one of: {', '.join(STYLES)})"
        )
    clean = CleanResult([])
    lines = split_lines(text)
    if clean_scrape_noise:
        lines = clean_scrape(lines, clean)
    lines = clean_layout(lines, clean, is_structural if lang != "en" else None)
    find_suspicious(lines, clean)
    clean.lines = lines
    detected = style is None
    if style is None:
        style = detect_style(lines) if lang != "en" else "chapter-article"

    def fix(t: str, line: int) -> tuple[str, list[Fix]]:
        fixes: list[Fix] = []
        if fix_trad:
            t, f = fix_traditional(t, line)
            fixes += f
        if fullwidth:
            t, f = fullwidth_punct(t, line)
            fixes += f
        return t, fixes

    parser = _Parser(GRAMMARS[(lang, style)], fix if (fix_trad or fullwidth) else None)
    doc = parser.feed(lines)
    doc.style_detected = detected
    doc.clean = clean
    if doc.title is None and clean.page_title:
        doc.title = clean.page_title
    if doc.title is None and clean.header_texts:
        doc.title = clean.header_texts[0]
        doc.notes.append(Issue(0, f"title taken from the running header 「{doc.title}」"))
    if doc.title:
        doc.title = tidy_title(doc.title)
    for ch in doc.chapters:
        ch.title = tidy_title(ch.title)
        for sec in ch.sections:
            sec.title = tidy_title(sec.title)
    _captions(doc)
    _truncation(doc)
    return doc


def _unit_text(art: ParsedArticle) -> str:
    if art.items:
        last = art.items[-1]
        return last.chunks[-1].text if last.chunks else last.caption or ""
    return art.intro[-1].text if art.intro else (art.caption or "")


def _truncation(doc: ParsedDoc) -> None:
    """Notice a source that stops mid-sentence; drop an empty last item."""
    arts = doc.articles
    if not arts:
        return
    last = arts[-1]
    empty_item = bool(last.items) and not last.items[-1].chunks and not last.items[-1].caption
    if empty_item:
        item = last.items.pop()
        doc.notes.append(
            Issue(
                item.line,
                f"the last item label {_clip(item.label)} of {_clip(last.label)} "
                "has no text: dropped",
            )
        )
    tail = _unit_text(last)
    if empty_item or not tail or tail[-1] not in END_TEXT:
        last.truncated = True
        doc.truncated = last
        doc.truncated_tail = tail[-12:]
