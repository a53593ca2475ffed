"""``--link-references``: references typed as numbers (第三條, Article 3) become ``[[id]]``."""

from __future__ import annotations

import re

from .clean import (
    PAD,
)
from .doc import Issue, ParsedArticle, ParsedDoc, _display_label
from .grammar import NUM, SP, _clip, _number

# References typed as numbers, turned into [[id]] references with link_references.
_ZH_REF = re.compile(
    rf"第{SP}(?P<n>{NUM}){SP}(?:[-－]{SP}(?P<s1>\d+){SP})?條(?:{SP}之{SP}(?P<s>{NUM}))?"
)
_EN_REF = re.compile(
    r"(?<![A-Za-z])Article\s+(?P<n>\d+)(?:-(?P<s>\d+))?\b(?!\s+of\s+(?:the|a|an)\b)"
    r"(?!\s+(?:before|prior\s+to)\s+(?:the\s+|its\s+)?amendment)"
)
# "Articles 22 through 26", "Articles 53 and 55", "Articles 3, 5 and 7"
_EN_NUM = r"\d+(?:-\d+)?"
_EN_REFS = re.compile(
    rf"(?<![A-Za-z])Articles\s+(?P<list>{_EN_NUM}(?:\s*(?:,|and|or|through|to)\s*{_EN_NUM})+)\b"
    r"(?!\s+of\s+(?:the|a|an)\b)"
)
# the law's own former text (修正前第十九條) or an act named in brackets before (本法）第三條)
_ZH_FORMER = re.compile(r"(?:修正前|修正施行前|原)$")
_ZH_NAMED = re.compile(r"[（(]以下簡稱[^）)]*[）)]$")
# A reference right after the name of another law or regulation is left alone
# (勞動基準法第五條, 《…》第五條), unless the name is 本… ("this": 本辦法第五條).
_LAW_SUFFIXES = ("條例", "規則", "辦法", "細則", "準則", "規程", "章程", "規定", "制度", "法")


def _link_references(
    doc: ParsedDoc, art: ParsedArticle, body: str, lang: str, id_by_key: dict[tuple[int, int], str]
) -> str:
    """Replace references to articles of this regulation (第三條, Article 3) with ``[[id]]``."""
    if doc.style != "chapter-article":
        return body

    def sub(m: re.Match[str]) -> str:
        try:
            sub_no = m["s"] or (m.groupdict().get("s1") or "")
            key = (_number(m["n"]), _number(sub_no) if sub_no else 0)
        except ValueError:
            return m.group(0)
        target = id_by_key.get(key)
        if target is None:
            return m.group(0)
        if lang != "en":
            before = body[max(0, m.start() - 20) : m.start()].rstrip(PAD)
            if before.endswith(("》", "〉")) or _ZH_FORMER.search(before):
                return m.group(0)
            if _ZH_NAMED.search(before):  # 證券交易法（以下簡稱本法）第三十六條: another act
                return m.group(0)
            suffix = next((x for x in _LAW_SUFFIXES if before.endswith(x)), None)
            if suffix and not before.endswith("本" + suffix):
                return m.group(0)
        doc.links.append(
            Issue(
                art.line,
                f"{_display_label(doc, art) if lang != 'en' else _clip(art.label)}: "
                f"「{m.group(0)}」 -> [[{target}]]",
            )
        )
        return f"[[{target}]]"

    if lang == "en":
        body = _EN_REFS.sub(lambda m: _link_english_list(m, id_by_key), body)
    return (_EN_REF if lang == "en" else _ZH_REF).sub(sub, body)


def _link_english_list(m: re.Match[str], id_by_key: dict[tuple[int, int], str]) -> str:
    """Articles 22 through 26 -> [[a022]] through [[a026]] (each renders as Article N)."""
    nums = re.findall(_EN_NUM, m["list"])
    keys = [(int(n.split("-")[0]), int(n.split("-")[1]) if "-" in n else 0) for n in nums]
    if not all(k in id_by_key for k in keys):
        return m.group(0)
    out = m["list"]
    for n, k in zip(nums, keys, strict=True):
        out = re.sub(rf"(?<![\d\[-]){re.escape(n)}(?![\d-])", f"[[{id_by_key[k]}]]", out, count=1)
    return out
