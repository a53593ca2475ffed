"""Interface words of the diff, release, revision-history and drift outputs, per language.

Kept apart from :mod:`compendium.labels.interface` (the site's words) so the two can be
edited independently; every template under ``templates/diff/`` reads ``t`` from
here and ``kind_name`` for change kinds.
"""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "zh-Hant": {
        "redline_title": "修正對照",
        "table_title": "修正條文對照表",
        "summary_title": "規章修正摘要",
        "from_to": "自 {old} 至 {new}",
        "colon": "：",
        "paren": "（{x}）",
        "item_sep": "",
        "entry_sep": "；",
        "built_from": "本網站建置自：{stamp}",
        "col_new": "修正條文",
        "col_old": "現行條文",
        "col_why": "說明",
        "none_old": "（新增）",
        "none_new": "（刪除）",
        "legend": "圖例",
        "legend_del": "刪除文字",
        "legend_ins": "新增文字",
        "no_changes": "兩版本之間沒有變更。",
        "changes": "變更",
        "change_count": "共 {n} 項變更",
        "formerly": "原",
        "moved_from": "原列於",
        "role_registry": "角色登錄表",
        "regulation_changes": "規章層級變更",
        "articles_count": "{n} 條",
        "english_pending": "英文譯文尚未隨本次修正更新，以下為中文修正對照：",
        "english_pending_table": "英文譯文尚未隨本次修正更新，表內為中文條文。",
        "untranslated": "（未翻譯）",
        "more_changes": "……另有 {n} 項變更未列出，請參閱完整報告。",
        "details": "修正對照",
        "language_note": "",
        "field_title": "名稱",
        "field_code": "編號",
        "field_version": "版本",
        "field_effective": "生效日期",
        "field_owner": "主管單位",
        "field_numbering": "編號方式",
        "field_articles": "條文數",
        "field_name": "名稱",
        "field_kind": "類別",
        "field_parent": "上級",
        "field_aliases": "別名",
        "none": "（無）",
        # explanation facts
        "fact_added": "本條新增。",
        "fact_removed": "本條刪除。",
        "fact_moved": "本條由{where}移列。",
        "fact_renumbered": "條次變更（原{old}）。",
        "fact_amended": "修正條文內容。",
        "fact_caption": "修正條文標題（原「{old}」）。",
        "fact_caption_new": "新增條文標題。",
        "fact_roles": "權責單位調整：{parts}。",
        "fact_roles_added": "新增{names}",
        "fact_roles_removed": "刪除{names}",
        "fact_translation": "修訂英文譯文。",
        "list_sep": "、",
        # releases and revision history
        "revisions_title": "修訂沿革",
        "revisions_intro": "本匯編各發布版本及其修正內容。每一版本均可檢視與前一版本之修正對照。",
        "release": "版本",
        "release_n": "{version} 版",
        "released_on": "發布日期",
        "release_notes": "發布說明",
        "first_release": "首次發布",
        "since": "與 {old} 比較",
        "view_redline": "修正對照",
        "view_table": "修正條文對照表",
        "draft": "草稿",
        "draft_at": "草稿（提交 {commit}）",
        "draft_modified": "草稿（提交 {commit}，另有未提交之修改）",
        "release_stamp": "{version} 版",
        "notice_no_git": "本網站並非由 git 儲存庫建置，無法顯示修訂沿革。",
        "notice_shallow": (
            "本網站由淺層複製（shallow clone）建置，缺少完整的版本紀錄，"
            "因此無法顯示修訂沿革。請以完整複製建置（git fetch --unshallow --tags）。"
        ),
        "notice_no_tags": "尚未發布任何版本（儲存庫中沒有 release/ 標籤），因此沒有修訂沿革。",
        "notice_error": "無法讀取修訂沿革：{error}",
        "unreleased_changes": "尚未發布之修改",
        # article history
        "article_history": "修訂紀錄",
        "changed_in_latest": "於最新版本（{version}）修正",
        # translation drift
        "drift_title": "待更新譯文",
        "drift_intro": "以下英文譯文所依據的中文條文其後已經修訂，譯文可能已過時。",
        "drift_none": "所有英文譯文均與現行中文條文一致。",
        "drift_notice": "此譯文可能已過時：中文條文已於 {when} 修訂。",
        "drift_notice_unknown": "此譯文可能已過時：中文條文於翻譯後已經修訂。",
        "drift_when_release": "{version} 版（{date}）",
        "drift_when_draft": "{date}（尚未發布）",
        "drift_when_worktree": "尚未提交之修改中",
        "drift_col_article": "條文",
        "drift_col_amended": "中文修訂於",
        "drift_col_file": "英文檔案",
        "drift_unknown": "不詳",
        "regulation": "規章",
    },
    "en": {
        "redline_title": "Redline",
        "table_title": "Amendment comparison table",
        "summary_title": "Changes to the regulations",
        "from_to": "from {old} to {new}",
        "colon": ": ",
        "paren": " ({x})",
        "item_sep": " ",
        "entry_sep": "; ",
        "built_from": "This site was built from: {stamp}",
        "col_new": "Amended text",
        "col_old": "Current text",
        "col_why": "Explanation",
        "none_old": "(new article)",
        "none_new": "(repealed)",
        "legend": "Key",
        "legend_del": "deleted text",
        "legend_ins": "inserted text",
        "no_changes": "There are no changes between the two versions.",
        "changes": "Changes",
        "change_count": "{n} change(s)",
        "formerly": "formerly",
        "moved_from": "formerly in",
        "role_registry": "Role registry",
        "regulation_changes": "Regulation-level changes",
        "articles_count": "{n} article(s)",
        "english_pending": (
            "The English translation has not yet been revised for this amendment; the Chinese "
            "redline follows:"
        ),
        "english_pending_table": (
            "The English translation has not yet been revised for this amendment; the Chinese text "
            "is shown."
        ),
        "untranslated": "(not translated)",
        "more_changes": "… and {n} more change(s) not listed here; see the full report.",
        "details": "Redline",
        "language_note": "",
        "field_title": "Title",
        "field_code": "Code",
        "field_version": "Version",
        "field_effective": "Effective",
        "field_owner": "Owner",
        "field_numbering": "Numbering style",
        "field_articles": "Articles",
        "field_name": "Name",
        "field_kind": "Kind",
        "field_parent": "Parent",
        "field_aliases": "Aliases",
        "none": "(none)",
        "fact_added": "New article.",
        "fact_removed": "Article repealed.",
        "fact_moved": "Moved from {where}.",
        "fact_renumbered": "Renumbered (formerly {old}).",
        "fact_amended": "Text amended.",
        "fact_caption": "Caption changed (formerly “{old}”).",
        "fact_caption_new": "Caption added.",
        "fact_roles": "Responsible roles changed: {parts}.",
        "fact_roles_added": "added {names}",
        "fact_roles_removed": "removed {names}",
        "fact_translation": "English translation revised.",
        "list_sep": ", ",
        "revisions_title": "Revision history",
        "revisions_intro": (
            "Every release of this compendium and the changes it made. Each release links to its "
            "redline against the release before."
        ),
        "release": "Release",
        "release_n": "Release {version}",
        "released_on": "Released",
        "release_notes": "Release notes",
        "first_release": "First release",
        "since": "compared with {old}",
        "view_redline": "Redline",
        "view_table": "Comparison table",
        "draft": "Draft",
        "draft_at": "Draft (commit {commit})",
        "draft_modified": "Draft (commit {commit} with uncommitted changes)",
        "release_stamp": "Release {version}",
        "notice_no_git": (
            "This site was not built from a git repository, so the revision history is not "
            "available."
        ),
        "notice_shallow": (
            "This site was built from a shallow clone, which lacks the release history, so the "
            "revision history is not available. Build from a full clone (git fetch --unshallow "
            "--tags)."
        ),
        "notice_no_tags": (
            "No release has been made yet (the repository has no release/ tags), so there is no "
            "revision history."
        ),
        "notice_error": "The revision history could not be read: {error}",
        "unreleased_changes": "Unreleased changes",
        "article_history": "Amendment history",
        "changed_in_latest": "Changed in the latest release ({version})",
        "drift_title": "Outdated translations",
        "drift_intro": (
            "The Chinese text these English translations were made from has been amended since; "
            "the translations may be outdated."
        ),
        "drift_none": "Every English translation matches the current Chinese text.",
        "drift_notice": "This translation may be outdated: the Chinese text was amended in {when}.",
        "drift_notice_unknown": (
            "This translation may be outdated: the Chinese text was amended after it was "
            "translated."
        ),
        "drift_when_release": "release {version} ({date})",
        "drift_when_draft": "a draft of {date} (not yet released)",
        "drift_when_worktree": "uncommitted changes",
        "drift_col_article": "Article",
        "drift_col_amended": "Chinese amended in",
        "drift_col_file": "English file",
        "drift_unknown": "unknown",
        "regulation": "Regulation",
    },
}

KIND_NAMES: dict[str, dict[str, dict[str, str]]] = {
    "zh-Hant": {
        "article": {
            "added": "新增",
            "removed": "刪除",
            "repealed": "刪除（保留條次）",
            "moved": "移列",
            "renumbered": "條次變更",
            "amended": "修正",
            "caption-changed": "標題修正",
            "roles-changed": "權責調整",
            "translation-revised": "譯文修訂",
        },
        "regulation": {
            "added": "新訂規章",
            "retired": "廢止規章",
            "renamed": "名稱修正",
            "code-changed": "編號變更",
            "version-changed": "版本變更",
            "effective-changed": "生效日期變更",
            "owner-changed": "主管單位變更",
            "numbering-changed": "編號方式變更",
        },
        "chapter": {"added": "新增章", "removed": "刪除章", "renamed": "章名修正"},
        "section": {"added": "新增節", "removed": "刪除節", "renamed": "節名修正"},
        "role": {"added": "新增角色", "removed": "刪除角色", "changed": "角色變更"},
    },
    "en": {
        "article": {
            "added": "Added",
            "removed": "Repealed",
            "repealed": "Repealed (number kept)",
            "moved": "Moved",
            "renumbered": "Renumbered",
            "amended": "Amended",
            "caption-changed": "Caption changed",
            "roles-changed": "Roles changed",
            "translation-revised": "Translation revised",
        },
        "regulation": {
            "added": "Regulation added",
            "retired": "Regulation retired",
            "renamed": "Renamed",
            "code-changed": "Code changed",
            "version-changed": "Version changed",
            "effective-changed": "Effective date changed",
            "owner-changed": "Owner changed",
            "numbering-changed": "Numbering style changed",
        },
        "chapter": {
            "added": "Chapter added",
            "removed": "Chapter removed",
            "renamed": "Chapter renamed",
        },
        "section": {
            "added": "Section added",
            "removed": "Section removed",
            "renamed": "Section renamed",
        },
        "role": {"added": "Role added", "removed": "Role removed", "changed": "Role changed"},
    },
}


ROLE_KIND_NAMES: dict[str, dict[str, str]] = {
    "zh-Hant": {
        "department": "部門",
        "position": "職位",
        "committee": "委員會",
        "team": "團隊",
        "everyone": "全體",
    },
    "en": {
        "department": "department",
        "position": "position",
        "committee": "committee",
        "team": "team",
        "everyone": "everyone",
    },
}


def kind_name(lang: str, scope: str, kind: str) -> str:
    return KIND_NAMES[lang][scope][kind]
