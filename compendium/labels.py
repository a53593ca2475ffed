"""Interface words per language, used by every output (site, PDF, diff)."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "zh-Hant": {
        "code": "編號",
        "version": "版本",
        "effective": "生效日期",
        "owner": "主管單位",
        "regulations": "規章制度",
        "regulation": "規章",
        "title": "名稱",
        "compendium_title": "規章制度匯編",
        "home_intro": "本匯編收錄公司現行規章制度。條文編號於建置時依目錄順序自動產生。",
        "untranslated": "本條尚未翻譯。",
        "untranslated_en": "This article has not yet been translated; the Chinese text is shown.",
        "outdated": "此譯文可能已過時：中文條文已修訂。",
        "truncated_source": "原始文件不完整",
        "editorial_notes": "編輯附註",
        "notes": "說明",
        "articles": "條文數",
        "glossary": "詞彙表",
        "source": "來源",
        "language_zh": "中文",
        "language_en": "英文",
        "quote_open": "《",
        "quote_close": "》",
    },
    "en": {
        "code": "Code",
        "version": "Version",
        "effective": "Effective",
        "owner": "Owner",
        "regulations": "Regulations",
        "regulation": "Regulation",
        "title": "Title",
        "compendium_title": "Compendium of Rules and Regulations",
        "home_intro": "This compendium holds the Company's regulations in force. Article numbers are computed at build time from the order of each regulation.",
        "untranslated": "This article has not yet been translated; the Chinese text is shown.",
        "untranslated_en": "This article has not yet been translated; the Chinese text is shown.",
        "outdated": "This translation may be outdated: the Chinese text was amended after it was translated.",
        "truncated_source": "Source incomplete",
        "editorial_notes": "Editorial notes",
        "notes": "Notes",
        "articles": "Articles",
        "glossary": "Glossary",
        "source": "Source",
        "language_zh": "Chinese",
        "language_en": "English",
        "quote_open": "",
        "quote_close": "",
    },
}


def label(lang: str, key: str) -> str:
    return LABELS[lang][key]
