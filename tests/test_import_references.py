"""--link-references on the patterns statutes use, in both languages."""

from __future__ import annotations

from compendium.importer import ImportOptions, import_text
from compendium.source.yamlsrc import split_front_matter

ZH = """規則
第一章　總則
第一條　本規則依證券交易法（以下簡稱本法）第三十六條第四項規定訂定之。
第二條　依第一條第二項第三款、第三條至第五條及第三條、第四條辦理。
第三條　刑事訴訟法第二百五十三條之一不適用之；修正前第四條之規定亦同。
第三條之一　依第 3 條及第3-1條辦理。
第四條　依第三條之一辦理。
第五條　本規則自公布日施行。
"""
EN = """Rules
Chapter 1 General Provisions
Article 1
These Rules are made under Article 36 of the Securities and Exchange Act.
Article 2
Articles 3 through 5 and Articles 3 and 4 apply; see Article 1, paragraph 2.
Article 3
Article 20 of the Civil Code does not apply, nor does Article 4 before the amendment.
Article 3-1
See Article 3-1 and Articles 3, 4 and 5.
Article 4
See Article 3-1.
Article 5
These Rules take effect on promulgation.
"""


def _bodies(lang: str) -> dict[str, str]:
    res = import_text(ZH, ImportOptions("r", link_references=True), EN)
    suffix = f".{lang}.md"
    return {
        name[: -len(suffix)]: split_front_matter(text).body.strip()
        for name, text in res.files.items()
        if name.endswith(suffix)
    }


def test_chinese_references():
    zh = _bodies("zh-Hant")
    # another act named before, with its short name in brackets: left alone
    assert zh["a001"] == "本規則依證券交易法（以下簡稱本法）第三十六條第四項規定訂定之。"
    # article + paragraph + subparagraph, a range and a list: each article linked
    assert zh["a002"] == "依[[a001]]第二項第三款、[[a003]]至[[a005]]及[[a003]]、[[a004]]辦理。"
    # another act, and the law's own former text: left alone
    assert zh["a003"] == "刑事訴訟法第二百五十三條之一不適用之；修正前第四條之規定亦同。"
    # digits, with spaces, and an inserted article written 3-1 or 之一
    assert zh["a003-1"] == "依[[a003]]及[[a003-1]]辦理。"
    assert zh["a004"] == "依[[a003-1]]辦理。"


def test_english_references():
    en = _bodies("en")
    assert en["a001"] == "These Rules are made under Article 36 of the Securities and Exchange Act."
    assert en["a002"] == (
        "[[a003]] through [[a005]] and [[a003]] and [[a004]] apply; see [[a001]], paragraph 2."
    )
    assert en["a003"] == (
        "Article 20 of the Civil Code does not apply, nor does Article 4 before the amendment."
    )
    assert en["a003-1"] == "See [[a003-1]] and [[a003]], [[a004]] and [[a005]]."
    assert en["a004"] == "See [[a003-1]]."
