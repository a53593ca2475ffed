"""Captions at the start of an article or item: (目的), 目的：…, a short heading line."""

from __future__ import annotations

import re

from .clean import (
    CJK,
    PAD,
)
from .doc import Chunk, ParsedDoc
from .grammar import PUNCT


# Guessing where a caption ends when caption and text run together
# ("（一）目的本規章制度旨在…"): the caption must end with one of CAPTION_ENDINGS
# and the text must start with one of BODY_OPENERS; the longest opener wins.
# Guesses are listed in the report for the editor to check.
def _words(text: str) -> tuple[str, ...]:
    """Whitespace-separated words, longest first (so the longest match wins)."""
    return tuple(sorted(set(text.split()), key=len, reverse=True))


CAPTION_ENDINGS = _words("""
    目的 宗旨 依據 範圍 范圍 原則 定義 階段 管理 職責 分工 架構 圖 流程 規劃 計劃 措施 安全 控制
    機制 策略 評估 激勵 培訓 發展 招聘 選拔 錄用 溝通 協作 執行 實施 上線 部署 測試 開發 維護 升級
    優化 反饋 處理 考核 監督 監控 預警 識別 應對 改進 提升 目標 方針 標準 規範 規范 要求 指南 概述
    說明 準備 籌備 調研 選型 驗收 總結 轉移 指標 周期 方式 通道 輪崗 加密 隔離 審計 恢復 備份 協議
    簽訂 報銷 審核 調整 編制 分析 節約 關係 系統 內容 服務 項目 活動 預算 成本 費用 演練 預案 報告
    創新 拓展 合作 建設 生效 解釋 責任 義務 權利 紀律 獎懲 處罰 獎勵 需求 計畫 制度 體系 程序 設計
    採購 收集 評價 檢查 保密 監測 運營 策劃 制定 跟進 經理 專員 分析員 設定 應用 會議 工具 風險 規避
    降低 接受 認證 索引 秘密 信息 支持 與支持 組織
""")
BODY_OPENERS = _words("""
    本規章制度 本規章 本管理辦法 本辦法 本制度 本規定 本細則 本準則 本運營 為了 為 根據 依據 按照
    依照 建立 制定 定期 負責 明確 嚴格 優化 針對 通過 採用 采用 採取 采取 強調 對於 對于 對 鼓勵
    關注 運用 跟蹤 與 組織 確保 涉及 持續 從 將 如因 在 包括 利用 保障 以 設立 清晰 提供 加強 及時
    實行 實施 結合 做好 開展 推動 遵守 遵循 由 各部門 每 凡 當 若 規範 規范 發生 協助 財務部門
    人力資源部門
""")
MAX_CAPTION = 16
_CAPTION_SEP = re.compile(
    rf"^(?P<cap>[^，,。；;：:、！？!?\s\u3000]{{1,{MAX_CAPTION}}})"
    rf"(?P<sep>\u3000+|\s{{2,}}|[ \t](?=[{CJK}]))(?P<rest>.+)$"
)
_CAPTION_COLON = re.compile(r"^(?P<cap>[^，,。；;：:、！？!?]{1,20}?)(?P<sep>[：:])(?P<rest>.*)$")
_CAPTION_PAREN = re.compile(r"^[（(](?P<cap>[^（）()，,。；;]{1,15})[）)][ \t\u3000]*(?P<rest>.*)$")


def guess_caption(text: str) -> tuple[str, str] | None:
    """``(caption, rest)`` where a caption ends and the text begins, or None.

    Each place where the text before ends with a caption ending and the text
    after starts with a body opener scores 2 per opener character plus the
    length of the ending; an opener that is itself a caption ending (實施,
    制定) scores 3 less, since it more likely belongs to the caption
    (培訓實施 | 採用…). The best score wins, the shorter caption on a tie. Text
    that itself starts with an opener (建立…, 根據…) has no caption.
    """
    lead = next((o for o in BODY_OPENERS if text.startswith(o)), "")
    if lead and lead not in CAPTION_ENDINGS:
        return None
    best: tuple[int, int] | None = None  # (score, position)
    for p in range(2, min(len(text), MAX_CAPTION + 1)):
        if text[p - 1] in PUNCT or text[p - 1].isspace():
            break
        rest = text[p:]
        opener = next((o for o in BODY_OPENERS if rest.startswith(o)), None)
        if opener is None or len(rest) < 2:
            continue
        cap = text[:p]
        ending = next((e for e in CAPTION_ENDINGS if cap.endswith(e)), None)
        if ending is None:
            continue
        score = len(opener) * 2 + len(ending) - (3 if opener in CAPTION_ENDINGS else 0)
        if best is None or score > best[0]:
            best = (score, p)
    if best is None:
        return None
    return text[: best[1]], text[best[1] :]


def _split_first(
    chunks: list[Chunk], style: str, lang: str, what: str, has_items: bool
) -> tuple[str | None, str, str | None]:
    """Find a caption at the start of an article or item: ``(caption, separator, how)``.

    Modifies ``chunks`` (the first chunk loses its caption).
    """
    if not chunks:
        return None, "", None
    if chunks[0].new_line:
        # the label alone on its line, then a caption alone in brackets: (小型電業之定義)
        m = _CAPTION_PAREN.match(chunks[0].text) if lang != "en" else None
        if not (what == "article" and m and not m["rest"].strip(PAD) and len(chunks) > 1):
            return None, "", None
    first = chunks[0]
    text = first.text
    more = len(chunks) > 1
    result: tuple[str, str, str, str] | None = None  # caption, sep, rest, how
    if lang == "en":
        m = re.match(r"^[(（](?P<cap>[^()]{1,60})[)）]\s*(?P<rest>.*)$", text)
        if what == "article" and m:
            result = (m["cap"], "", m["rest"], "paren")
        elif (
            what == "article"
            and (more and chunks[1].new_line or not more and has_items)
            and len(text) <= 80
            and not text.endswith((".", ";", ",", ":"))
        ):
            result = (text, "", "", "heading")
        elif what == "item":
            m = re.match(r"^(?P<cap>[A-Z][^.:;]{0,50}?)(?P<sep>:|\s[–—-])\s+(?P<rest>.+)$", text)
            if m:
                result = (m["cap"], m["sep"].strip(), m["rest"], "colon")
    else:
        m = _CAPTION_PAREN.match(text)
        short_heading = (
            len(text) <= (12 if style == "chapter-article" else MAX_CAPTION)
            and not any(ch in text for ch in PUNCT)
            and not any(ch.isspace() for ch in text.strip())
        )
        if what == "article" and m and (m["rest"] or more or has_items):
            result = (m["cap"].strip(PAD), "", m["rest"], "paren")
        elif what == "article" and short_heading and more and chunks[1].new_line:
            result = (text, "", "", "heading")
        elif what == "article" and style == "outline" and short_heading and not more and has_items:
            result = (text, "", "", "heading")
        elif style == "outline" or what == "item":
            m = _CAPTION_COLON.match(text)
            if m and m["rest"].strip(PAD):
                result = (m["cap"].strip(PAD), m["sep"], m["rest"].strip(PAD), "colon")
            elif style == "outline":
                m = _CAPTION_SEP.match(text)
                if m:
                    result = (m["cap"], "", m["rest"].strip(PAD), "space")
                else:
                    g = guess_caption(text)
                    if g:
                        result = (g[0], "", g[1], "guess")
    if result is None:
        return None, "", None
    cap, sep, rest, how = result
    if not rest and not more and not has_items:
        return None, "", None  # nothing would be left as text
    if rest:
        chunks[0] = Chunk(rest, first.line, False, first.blank_before)
    else:
        del chunks[0]
        if chunks:
            chunks[0] = Chunk(chunks[0].text, chunks[0].line, False, chunks[0].blank_before)
    return cap, sep, how


def _captions(doc: ParsedDoc) -> None:
    for art in doc.articles:
        art.caption, _, art.caption_how = _split_first(
            art.intro, doc.style, doc.lang, "article", bool(art.items)
        )
        if art.caption and doc.lang != "en":
            art.caption = tidy_title(art.caption)
        for item in (i for i in art.items if i.level):
            item.caption, item.caption_sep, item.caption_how = _split_first(
                item.chunks, doc.style, doc.lang, "item", False
            )


def tidy_title(text: str) -> str:
    """Drop typographic spacing between Chinese characters in a heading (總　則 -> 總則)."""
    return re.sub(rf"(?<=[{CJK}])[{PAD}]+(?=[{CJK}])", "", text.strip(PAD))
