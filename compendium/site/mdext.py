"""Python-Markdown extension: number list items in the regulation's style.

Article bodies are wrapped in ``<div class="article-body" data-style=...
data-lang=...>``; every ordered list inside gets its item labels written out
(一、 / (1) / 1. / (a) ...), so the numbers are real text in the HTML, the search
index, copy-paste and the PDF text layer, not a CSS effect. The rules of markers
and labels are :mod:`compendium.numbering.items` (the redline follows them too).

Register as ``compendium.site.mdext`` in ``markdown_extensions``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from compendium import DEFAULT_LANGUAGE
from compendium.numbering.items import item_label


class ItemNumberer(Treeprocessor):
    def __init__(self, md: Markdown, style: str = "", lang: str = ""):
        super().__init__(md)
        self.style = style
        self.lang = lang

    def run(self, root: ET.Element) -> None:
        if self.style:  # converting one article body on its own
            self._number(root, self.style, self.lang or DEFAULT_LANGUAGE, 0)
            return
        for body in root.iter("div"):
            style = body.get("data-style")
            if style and "article-body" in (body.get("class") or ""):
                self._number(body, style, body.get("data-lang") or DEFAULT_LANGUAGE, 0)

    def _number(self, el: ET.Element, style: str, lang: str, depth: int) -> None:
        for child in el:
            if child.tag == "ol":
                start = int(child.get("start") or 1)
                child.set("class", ((child.get("class") or "") + " items").strip())
                for k, li in enumerate((c for c in child if c.tag == "li"), start=start):
                    _prepend_label(li, item_label(style, lang, depth + 1, k))
                    self._number(li, style, lang, depth + 1)
            elif child.tag == "ul":
                for li in child:
                    self._number(li, style, lang, depth + 1)
            else:
                self._number(child, style, lang, depth)


def _prepend_label(li: ET.Element, label: str) -> None:
    span = ET.Element("span", {"class": "item-no"})
    span.text = label
    target = li
    if li.text is None or not li.text.strip():
        first = next(iter(li), None)
        if first is not None and first.tag == "p":
            target = first
    span.tail = target.text
    target.text = None
    target.insert(0, span)


class ItemNumbersExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "style": ["", "number every list of the document in this style (one article body)"],
            "lang": ["", "language of the labels when 'style' is set"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API
        # After inline processing (20), so labels are not parsed as Markdown.
        numberer = ItemNumberer(md, self.getConfig("style"), self.getConfig("lang"))
        md.treeprocessors.register(numberer, "compendium-items", 15)


def makeExtension(**kwargs: Any) -> ItemNumbersExtension:  # noqa: N802 - Markdown's API
    return ItemNumbersExtension(**kwargs)


# The separator between article bodies converted in one pass (see Renderer.article_bodies).
ARTICLE_SEPARATOR = "CMPSPLITX"

# (article index, element, attribute, value) -> the value to keep, or None to drop it
UrlPolicy = Callable[[int, ET.Element, str, str], str | None]
URL_ATTRIBUTES = ("href", "src", "data", "poster", "xlink:href")


class _UrlRewriter(Treeprocessor):
    def __init__(self, md: Markdown, policy: UrlPolicy):
        super().__init__(md)
        self.policy = policy

    def run(self, root: ET.Element) -> None:
        index = 0
        for block in list(root):
            if block.tag == "p" and block.text == ARTICLE_SEPARATOR and len(block) == 0:
                index += 1
                continue
            for el in block.iter():
                for name in URL_ATTRIBUTES:
                    if name in el.attrib:
                        value = self.policy(index, el, name, el.attrib[name])
                        if value is None:
                            del el.attrib[name]
                        else:
                            el.attrib[name] = value


class UrlPolicyExtension(Extension):
    """Passes every URL of the converted bodies through ``policy`` (after the safety
    pass), with the index of the article it belongs to when several bodies are
    converted at once, separated by ``<p>CMPSPLITX</p>``. Print uses it to point
    resources at the build directory and to drop links a PDF cannot follow."""

    def __init__(self, policy: UrlPolicy):
        super().__init__()
        self.policy = policy

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API
        md.treeprocessors.register(_UrlRewriter(md, self.policy), "compendium-urls", 0.5)
