"""How a number meets its caption and how a regulation is cited, in every output
(templates use ``heading_tail`` as a filter, :mod:`compendium.templating`)::

    heading("（一）", "目的", "outline", "zh-Hant")      （一）目的  (no space in Chinese outlines)
    heading("第一條", "目的", "chapter-article", lang)  第一條 目的 / Article 1 Purpose
    regulation_name(title, lang)                《資訊安全管理辦法》 / Information Security Rules
    cite(ref, title, lang)                      《資訊安全管理辦法》第十七條 / Article 17 of the Information Security Rules
"""

from __future__ import annotations

from compendium import is_default


def heading(number: str, caption: str | None, style: str, lang: str) -> str:
    """A number with its caption as a heading shows them: 第一條 目的, （一）目的,
    Article 1 Purpose; the number alone when there is no caption."""
    return number + heading_tail(caption, style, lang)


def heading_tail(caption: str | None, style: str, lang: str) -> str:
    """What follows the number in ``heading``: the separator (none after a Chinese
    outline number) and the caption, or ""."""
    if not caption:
        return ""
    return caption if style == "outline" and is_default(lang) else " " + caption


def regulation_name(title: str, lang: str) -> str:
    """A regulation's title as running text names it: 《title》 in Chinese, bare in English."""
    return f"《{title}》" if is_default(lang) else title


def cite(ref: str, title: str, lang: str) -> str:
    """``ref`` (an article or chapter label) of the regulation ``title``:
    《title》第十七條 / Article 17 of the title."""
    return f"《{title}》{ref}" if is_default(lang) else f"{ref} of the {title}"
