"""How a number meets its caption and how a regulation is cited, in every output.

The site, the print edition, the release diff and its reports all call these, so a
change to how a heading or a citation is written is made here once::

    heading("（一）", "目的", "outline", "zh-Hant")        （一）目的  (no space in Chinese outlines)
    heading("第一條", "目的", "chapter-article", lang)    第一條 目的 / Article 1 Purpose

Templates call the same rule as ``heading(number, caption, style, lang)``
(:mod:`compendium.templating`).
    regulation_name(title, lang)                  《資訊安全管理辦法》 / Information Security Rules
    cite(ref, title, lang)                        《資訊安全管理辦法》第十七條 / Article 17 of the Information Security Rules
"""

from __future__ import annotations

from compendium import is_default


def heading_sep(style: str, lang: str) -> str:
    """What separates a number from a caption: （一）目的 but 第一條 目的 and Article 1 Purpose."""
    return "" if style == "outline" and is_default(lang) else " "


def heading(number: str, caption: str | None, style: str, lang: str) -> str:
    """A number with its caption as a heading shows them: 第一條 目的, （一）目的,
    Article 1 Purpose; the number alone when there is no caption."""
    return number + heading_tail(caption, style, lang)


def heading_tail(caption: str | None, style: str, lang: str) -> str:
    """What follows the number in ``heading``: the separator and the caption, or ""."""
    return heading_sep(style, lang) + caption if caption else ""


def regulation_name(title: str, lang: str) -> str:
    """A regulation's title as running text names it: 《title》 in Chinese, bare in English."""
    return f"《{title}》" if is_default(lang) else title


def cite(ref: str, title: str, lang: str) -> str:
    """``ref`` (an article or chapter label) of the regulation ``title``:
    《title》第十七條 / Article 17 of the title."""
    return f"《{title}》{ref}" if is_default(lang) else f"{ref} of the {title}"
