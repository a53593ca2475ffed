"""The redline reads an article's list items as the site numbers them."""

from __future__ import annotations

import re

import markdown
import pytest

from compendium.changes.redline import display_lines, layout, tokenize
from compendium.numbering.items import BULLET
from compendium.site.mdext import ItemNumbersExtension

BODIES = [
    "1. 甲\n2. 乙\n3. 丙",
    "3. 從三寫起\n4. 仍是第二項",  # a list counts from 1
    "1) 不是清單\n2) 也不是",
    "前言\n\n1. 甲\n    1. 子\n    2. 丑\n2. 乙",
    "1. 甲\n\n    續段\n\n2. 乙",  # an indented paragraph stays in the item
    "1. 甲\n\n   未縮排的段落\n\n1. 新清單",  # fewer than four spaces end the list
    "1. a\n   - b\n2. c",  # a later marker continues the list it is in
    "文字\n1. 接在段落後的不是清單",
    "- 甲\n    1. 子\n    2. 丑\n- 乙",
    "\t1. 定位字元\n\t\t1. 更深",
]


def _site(body: str, style: str, lang: str) -> list[str]:
    ext = ItemNumbersExtension(style=style, lang=lang)
    return re.findall(r'class="item-no">([^<]*)<', markdown.markdown(body, extensions=[ext]))


@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize(("style", "lang"), [("chapter-article", "zh-Hant"), ("outline", "en")])
def test_redline_labels_are_the_sites(body: str, style: str, lang: str) -> None:
    shown = display_lines(body, style=style, lang=lang)
    compared = layout([("=", t) for t in tokenize(body, style=style, lang=lang)])
    for lines in (shown, compared):
        labels = [ln.label for ln in lines if ln.label and ln.label != BULLET]
        assert labels == _site(body, style, lang)
