"""The regulation importer: structure, noise, safety, English alignment, round trips."""

from __future__ import annotations

import importlib.util
import os
import pathlib
import re
import shutil
from pathlib import Path

import markdown
import pytest
import yaml

from compendium.importer import (
    ImportFailure,
    ImportOptions,
    ImportResult,
    detect_style,
    escape_md,
    guess_caption,
    import_text,
    parse_text,
    scan_labels,
    write_regulation,
    yaml_str,
)
from compendium.importer.clean import (
    CleanResult,
    clean_layout,
    clean_scrape,
    fix_traditional,
    fullwidth_punct,
    split_lines,
)
from compendium.numbering.numerals import parse_chinese
from compendium.site.render import Renderer
from compendium.source.loader import load
from compendium.source.tree import DirTree, MemoryTree
from compendium.source.yamlsrc import load_yaml, split_front_matter

from .conftest import mkdocs_build, require_shared

HERE = Path(__file__).parent
ROOT = HERE.parent
FIXTURES = HERE / "fixtures" / "import"
SEEDS = ROOT.parent / "shared" / "seeds"


def _load_script(name: str):
    """A module from scripts/ (not a package), loaded by path."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


import_regulation = _load_script("import_regulation")

ROLES_YML = """roles:
  - id: all-employees
    kind: everyone
    name: {zh-Hant: 全體員工, en: All Employees}
"""
# The loader wants a page per role (docs/roles/<id>.md); a stub is enough.
ROLE_PAGES = {"roles/all-employees.md": "---\ncompendium: role\nrole: all-employees\n---\n"}
MD_EXTENSIONS = ["attr_list", "md_in_html", "tables", "toc", "compendium.site.mdext"]
ARTICLE_NUM_RE = re.compile(
    r'<h[345][^>]*>\s*<span id="(?:[\w-]+--)?art-[\d-]+"></span><span class="num">([^<]+)</span>'
)
PINYIN_RE = re.compile(r"[\u4e00-\u9fff][（(][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[）)]")


# -- helpers ----------------------------------------------------------------------


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def run(name: str, reg_id: str = "imported", en: str | None = None, **kw) -> ImportResult:
    options = ImportOptions(reg_id=reg_id, source_name=name, **kw)
    return import_text(fixture(name), options, fixture(en) if en else None)


def tree_of(*results: ImportResult) -> MemoryTree:
    files = {"roles.yml": ROLES_YML, **ROLE_PAGES}
    for res in results:
        for name, text in res.files.items():
            files[f"regulations/{res.options.reg_id}/{name}"] = text
    return MemoryTree(files)


def loaded(*results: ImportResult):
    comp, problems = load(tree_of(*results))
    assert problems.errors == [], "\n".join(str(p) for p in problems.errors)
    return comp, problems


def rendered_numbers(res: ImportResult, lang: str = "zh-Hant") -> list[str]:
    """The article numbers in the HTML of the regulation page, in page order."""
    comp, _ = loaded(res)
    _title, md = Renderer(comp, lang).regulation_page(res.options.reg_id, lambda src, anchor: "#")
    html = markdown.Markdown(extensions=MD_EXTENSIONS).convert(md)
    return ARTICLE_NUM_RE.findall(html)


def front(text: str) -> dict:
    return split_front_matter(text).meta


def body(text: str) -> str:
    return split_front_matter(text).body.strip()


def manifest(res: ImportResult) -> dict:
    return front(res.files["index.md"])


def article_entries(res: ImportResult) -> list[tuple[str, bool]]:
    out = []
    for ch in manifest(res)["chapters"]:
        lists = [s["articles"] for s in ch["sections"]] if "sections" in ch else [ch["articles"]]
        for arts in lists:
            for a in arts:
                out.append(
                    (a["id"], a.get("inserted", False)) if isinstance(a, dict) else (a, False)
                )
    return out


_CN = "零〇一二兩三四五六七八九十百千"


def source_article_numbers(text: str) -> list[tuple[int, int]]:
    """Article numbers printed at the start of lines (第十條之一, 第 10-1 條).

    Read with a regular expression of its own, independently of the importer.
    """
    out = []
    for line in text.splitlines():
        line = line.strip(" \t\u3000\u00a0")
        m = re.match(
            rf"^第\s*([\d{_CN}\s\u3000]+?)\s*(?:-\s*(\d+)\s*)?條(?:\s*之\s*([{_CN}]+))?", line
        )
        if m:
            n = parse_chinese(re.sub(r"[\s\u3000]", "", m[1]))
            sub = int(m[2]) if m[2] else parse_chinese(m[3]) if m[3] else 0
            out.append((n, sub))
    return out


def zh_label(n: int, sub: int) -> str:
    from compendium.numbering.numerals import chinese

    return f"第{chinese(n)}條" + (f"之{chinese(sub)}" if sub else "")


# -- labels and cleaning ----------------------------------------------------------------


def test_labels_with_spaces_digits_and_inserted_spellings():
    def one(text: str) -> tuple[str, int, int]:
        c = scan_labels(text, ("zh-chapter", "zh-section", "zh-article"))[0]
        return c.kind, c.num, c.sub

    assert one("第二　十條　本條") == ("zh-article", 20, 0)
    assert one("第 1 條 為規範") == ("zh-article", 1, 0)
    assert one("第 一 章 總則") == ("zh-chapter", 1, 0)
    assert one("第十條之一 電子") == ("zh-article", 10, 1)
    assert one("第 10-1 條 借閱") == ("zh-article", 10, 1)
    assert one("第一百零二條") == ("zh-article", 102, 0)
    assert one("第三節 特別") == ("zh-section", 3, 0)


def test_style_detection():
    assert detect_style(split_lines(fixture("statute_chinese.txt"))) == "chapter-article"
    assert detect_style(split_lines(fixture("outline.txt"))) == "outline"
    assert parse_text(fixture("statute_inserted.txt")).style == "chapter-article"
    assert parse_text(fixture("outline.txt")).style == "outline"


def test_pinyin_is_removed_only_where_it_is_pinyin():
    res = CleanResult([])
    lines = clean_scrape(split_lines("數(shù)字化運(yùn)營\nf(x) 與 (a) 及 項目(一)\n"), res)
    assert [ln.text for ln in lines] == ["數字化運營", "f(x) 與 (a) 及 項目(一)", ""]
    assert [f.old for f in res.pinyin] == ["(shù)", "(yùn)"]
    assert res.pinyin[0].line == 1


def test_scrape_cleaner_drops_site_debris_and_page_prefix():
    res = CleanResult([])
    lines = clean_scrape(split_lines(fixture("scrape_preview.txt")), res)
    kept = "\n".join(ln.text for ln in lines if ln.text.strip())
    assert kept.startswith("差旅費管理辦法第一章總則"), kept[:30]  # PAGE prefix and pinyin gone
    for debris in (
        "_第1頁",
        "全文預覽",
        "下載本文檔",
        "版權說明",
        "文檔簡介",
        "溫馨提示",
        "本站",
        "最新文檔",
        "評論",
        "0/150",
    ):
        assert debris not in kept, debris
    reasons = res.dropped_by_reason()
    assert reasons["page list"] == 3 and reasons["site tips"] == 3 and reasons["comment box"] == 3
    assert reasons["PAGE prefix"] == 1 and res.page_title == "差旅費管理辦法"


def test_layout_noise_page_numbers_headers_indentation():
    res = CleanResult([])
    lines = clean_layout(split_lines(fixture("noise_layout.txt")), res)
    texts = [ln.text for ln in lines]
    assert "勞動安全衛生守則" not in texts  # running header, three pages
    assert not any(re.fullmatch(r"-\s*\d+\s*-|第 \d 頁 共 \d 頁|\d+", t) for t in texts)
    assert "第三條 員工應配戴安全帽。" in texts  # U+3000 indentation stripped
    assert "第四條 員工應遵守安全標示。" in texts  # U+00A0 indentation stripped
    assert all(t.strip() for t in texts)  # no whitespace-only lines
    reasons = res.dropped_by_reason()
    assert reasons["page number"] == 4
    assert reasons["running header or footer"] == 4
    assert reasons["whitespace-only line"] == 1


def test_noise_never_reaches_the_regulation():
    res = run("noise_layout.txt")
    assert res.title_zh == "勞動安全衛生守則"  # recovered from the running header
    text = "\n".join(body(t) for n, t in res.files.items() if n != "index.md")
    assert "勞動安全衛生守則" not in text and "頁" not in text and "- 1 -" not in text
    assert [a for a, _ in article_entries(res)] == [f"a{n:03d}" for n in range(1, 8)]
    loaded(res)


def test_fix_traditional_table_and_report_lines():
    text, fixes = fix_traditional(
        "為了規范管理，適用于全體員工，并采用聯系方式注冊；之后合并。于先生", 7
    )
    assert text == "為了規範管理，適用於全體員工，並採用聯繫方式註冊；之後合併。于先生"
    assert [(f.old, f.new) for f in fixes] == [
        ("規范", "規範"),
        ("適用于", "適用於"),
        ("并", "並"),
        ("采用", "採用"),
        ("聯系", "聯繫"),
        ("注冊", "註冊"),
        ("之后", "之後"),
        ("合并", "合併"),
    ]
    assert all(f.line == 7 for f in fixes)


def test_fullwidth_punctuation_only_next_to_chinese():
    text, fixes = fullwidth_punct("規範,管理:如下(一)。時間 10:30, f(x)", 1)
    assert text == "規範，管理：如下（一）。時間 10:30, f(x)"
    assert len(fixes) == 3


# -- structure per style --------------------------------------------------------------------


def test_chapter_article_with_sections_items_and_caption():
    res = run("statute_chinese.txt")
    m = manifest(res)
    assert m["numbering"] == "chapter-article" and m["title"]["zh-Hant"] == "員工獎懲辦法"
    chapters = m["chapters"]
    assert [c["title"]["zh-Hant"] for c in chapters] == ["總則", "獎勵", "附則"]
    assert chapters[0]["title"]["en"] == "General Provisions"
    assert [s["title"]["zh-Hant"] for s in chapters[1]["sections"]] == ["一般獎勵", "特別獎勵"]
    assert [s["articles"] for s in chapters[1]["sections"]] == [["a004", "a005"], ["a006"]]
    # label on its own line, and inline with the text continued on the next line
    assert body(res.files["a001.zh-Hant.md"]) == "為規範本公司員工之獎勵與懲處，特訂定本辦法。"
    assert (
        body(res.files["a002.zh-Hant.md"])
        == "本辦法適用於本公司全體員工，包括試用期員工及派遣人員。"
    )
    a3 = res.files["a003.zh-Hant.md"]
    assert front(a3)["caption"] == "用詞定義"
    assert body(a3) == (
        "本辦法用詞定義如下：\n\n"
        "1. **獎勵**：指嘉獎、記功及記大功。\n"
        "2. **懲處**：指申誡、記過及記大過，其種類如下：\n"
        "    1. **申誡**：以書面告誡。\n"
        "    2. **記過**：記錄於人事資料。\n"
        "3. **主管**：指直屬主管。"
    )
    # a reference inside a sentence is not a new article
    assert "依第五條規定折算" in body(res.files["a006.zh-Hant.md"])
    loaded(res)


def test_arabic_digits_and_spaces_inside_labels():
    res = run("statute_arabic_spaces.txt")
    m = manifest(res)
    assert m["title"]["zh-Hant"] == "資訊設備使用規則"  # U+3000 indentation dropped
    assert [c["title"]["zh-Hant"] for c in m["chapters"]] == ["總則", "使用"]  # 總　則 tidied
    assert [a for a, _ in article_entries(res)] == ["a001", "a002", "a003", "a004", "a005"]
    assert body(res.files["a004.zh-Hant.md"]) == "員工不得安裝未經授權之軟體。"
    assert "依第 3 條規定" in body(res.files["a005.zh-Hant.md"])


def test_outline_style_levels_and_captions():
    res = run("outline.txt")
    m = manifest(res)
    assert m["numbering"] == "outline"
    assert [c["title"]["zh-Hant"] for c in m["chapters"]] == ["總則", "服務規範", "附則"]
    assert [c["articles"] for c in m["chapters"]] == [
        ["a1-01", "a1-02"],
        ["a2-01", "a2-02"],
        ["a3-01"],
    ]
    captions = [front(res.files[f"{a}.zh-Hant.md"]).get("caption") for a, _ in article_entries(res)]
    assert captions == ["目的", "適用範圍", "服務態度", "投訴處理", "施行"]
    assert body(res.files["a2-01.zh-Hant.md"]) == (
        "1. **熱情**：主動問候客戶。\n"
        "2. **耐心**：仔細聆聽客戶需求，不得打斷客戶。\n"
        "    1. 電話應於三聲內接聽。\n"
        "    2. 來信應於兩日內回覆。\n"
        "3. **專業**：準確解答客戶問題。"
    )
    loaded(res)


def test_run_on_scraped_text_is_split_at_the_expected_labels():
    res = run("scrape_preview.txt", clean_scrape=True, fix_traditional=True)
    assert [a for a, _ in article_entries(res)] == ["a001", "a002", "a003", "a004", "a005"]
    m = manifest(res)
    assert m["title"]["zh-Hant"] == "差旅費管理辦法"
    assert [c["title"]["zh-Hant"] for c in m["chapters"]] == ["總則", "報銷"]
    assert body(res.files["a001.zh-Hant.md"]) == "為了規範差旅費管理,特制定本辦法。"
    assert body(res.files["a004.zh-Hant.md"]) == "與客戶的聯繫費用依照第三條規定辦理。"
    # fixes are recorded as editorial notes of the article they were made in
    assert front(res.files["a003.zh-Hant.md"])["editorial"] == [
        "原文「并」為機器轉換遺留的簡體字，已改為「並」。",
        "原文「采用」為機器轉換遺留的簡體字，已改為「採用」。",
    ]
    # the preview stops mid-sentence: the last article is marked, the manifest says where
    assert front(res.files["a005.zh-Hant.md"])["truncated"] is True
    assert "第五條" in m["source"]["truncated"] and "本辦法自發布之" in m["source"]["truncated"]
    report = res.report()
    assert "line 12: 規范 -> 規範" in report and "line 12: 聯系 -> 聯繫" in report
    assert "3 pinyin annotation(s)" in report
    everything = "\n".join(t for n, t in res.files.items() if n != "index.md") + str(m["chapters"])
    assert (
        not PINYIN_RE.search(everything)
        and "PAGE" not in everything
        and "溫馨提示" not in everything
    )
    loaded(res)


def test_drop_incomplete_ends_at_the_last_complete_article():
    res = run("scrape_preview.txt", clean_scrape=True, drop_incomplete=True)
    assert [a for a, _ in article_entries(res)] == ["a001", "a002", "a003", "a004"]
    assert "left out" in manifest(res)["source"]["truncated"]
    assert "truncated" not in front(res.files["a004.zh-Hant.md"])


def test_anomalies_stop_the_import_with_line_numbers():
    with pytest.raises(ImportFailure) as exc:
        run("numbering_gaps.txt")
    text = str(exc.value)
    assert "numbering_gaps.txt:5: gap: article 第三條 follows number 1 (article 2 missing)" in text
    assert "numbering_gaps.txt:6: article 第三條 repeats or goes back" in text
    assert "numbering_gaps.txt:12: gap: chapter 第四章 follows number 2" in text
    assert "nothing was written" in text and "--accept-anomalies" in text
    # item numbering is reported, not an anomaly
    assert ":11:" not in text


def test_accepted_anomalies_are_recorded_in_the_manifest():
    res = run("numbering_gaps.txt", accept_anomalies=True)
    assert [a.line for a in res.anomalies] == [5, 6, 12]
    manifest = yaml.safe_load(res.files["index.md"].split("---")[1])
    zh_notes, en_notes = manifest["notes"]["zh-Hant"], manifest["notes"]["en"]
    assert any("line 5: gap: article 第三條" in n for n in zh_notes)
    assert any("were accepted at import" in n and "line 12" in n for n in en_notes)


def test_report_counts_numbers_gaps_duplicates_and_unplaced_lines():
    res = run("numbering_gaps.txt", accept_anomalies=True)
    report = res.report()
    assert "chapters: 3 (第一章 總則 … 第四章 附則)" in report
    assert "articles: 5 (第一條 … 第五條)" in report
    assert "items: 2 at level 1" in report
    assert "line 5: gap: article 第三條 follows number 1 (article 2 missing)" in report
    assert "line 6: article 第三條 repeats or goes back" in report
    assert "line 11: item 三、 in 第四條 follows item number 1 (expected 2)" in report
    assert "line 12: gap: chapter 第四章 follows number 2 (chapter 3 missing)" in report
    assert (
        "line 2: text before the first chapter or article: 「（二〇二四年一月一日公布）」" in report
    )
    assert "line 8: text after the chapter heading 第二章" in report
    assert "line 5: source 第三條 is shown as 第二條" in report
    # duplicated source numbers still give unique ids
    assert [a for a, _ in article_entries(res)] == ["a001", "a003", "a003-2", "a004", "a005"]


def test_inserted_articles_both_spellings():
    res = run("statute_inserted.txt")
    entries = article_entries(res)
    assert [a for a, ins in entries if ins] == ["a010-1", "a010-2", "a011-1"]
    assert ("a010", False) in entries and ("a012", False) in entries
    report = res.report()
    assert "of which inserted: 3 (第十條之一, 第十條之二, 第十一條之一)" in report
    assert "shown as" not in report  # the site numbers equal the source numbers
    comp, _ = loaded(res)
    assert [a.inserted for a in comp.regulations["imported"].articles.values()].count(True) == 3


def test_caption_ids_from_the_table():
    res = run("outline.txt", ids="caption")
    assert [c["id"] for c in manifest(res)["chapters"]] == ["general", "c2", "supplementary"]
    assert [a for a, _ in article_entries(res)] == [
        "purpose",
        "scope",
        "a2-01",
        "a2-02",
        "entry-into-force",
    ]
    loaded(res)


def test_reference_linking_is_opt_in_and_skips_other_laws():
    text = (
        "規則\n第一章 總則\n第一條 依勞動基準法第二條及本辦法第二條辦理。\n"
        "第二條 依《公司法》第二條；見第二條之一。\n第二條之一 前條以外者，依第一條。\n"
    )
    plain = import_text(text, ImportOptions("r"))
    assert "[[" not in plain.files["a001.zh-Hant.md"]
    res = import_text(text, ImportOptions("r", link_references=True))
    assert body(res.files["a001.zh-Hant.md"]) == "依勞動基準法第二條及本辦法[[a002]]辦理。"
    assert body(res.files["a002.zh-Hant.md"]) == "依《公司法》第二條；見[[a002-1]]。"
    assert "References turned into [[id]] links (3)" in res.report()
    loaded(res)


def test_roles_are_suggested_with_the_validators_rule():
    text = "規則\n第一章 總則\n第一條 全體員工應遵守本規則。\n第二條 本規則自公布日施行。\n"
    res = import_text(text, ImportOptions("r", roles_yml=ROLES_YML))
    assert front(res.files["a001.zh-Hant.md"])["roles"] == ["all-employees"]
    assert front(res.files["a002.zh-Hant.md"])["roles"] == []
    _comp, problems = loaded(res)
    assert not [p for p in problems.warnings if "does not declare" in p.message]


def test_guessed_captions():
    assert guess_caption("目的本規章制度旨在規範工作流程。") == (
        "目的",
        "本規章制度旨在規範工作流程。",
    )
    assert guess_caption("培訓實施採用內部培訓、外部培訓等方式。") == (
        "培訓實施",
        "採用內部培訓、外部培訓等方式。",
    )
    assert guess_caption("建立完善的數據收集體系，涵蓋各類數據。") is None  # starts with a verb
    assert guess_caption("規劃公司信息系統架構。") is None


def test_no_articles_is_an_error_naming_the_lines():
    with pytest.raises(ImportFailure, match=r"(?s)no articles found.*line 1: text before"):
        import_text("這只是一段說明文字，沒有任何條文。\n", ImportOptions("r"))


def test_bad_regulation_id_is_refused():
    with pytest.raises(ImportFailure, match="invalid regulation id 'art-x'"):
        import_text(fixture("outline.txt"), ImportOptions("art-x"))


def test_escape_and_yaml_quoting():
    assert escape_md("1. 不是清單") == "1\\. 不是清單"
    assert escape_md("a*b_c [[x]] <b>") == "a\\*b\\_c \\[\\[x]] &lt;b>"
    assert (
        escape_md("[平臺名稱]管理委員會") == "[平臺名稱]管理委員會"
    )  # placeholders stay as written
    for value in (
        "1.0",
        "2026-01-01",
        "true",
        "[平臺名稱]",
        "a: b",
        "#x",
        "總則",
        "x, y",
        'say "hi"',
    ):
        data, _ = load_yaml(f"k: {yaml_str(value)}\nf: {{a: {yaml_str(value)}}}\n")
        assert data == {"k": value, "f": {"a": value}}, value


# -- English alignment ---------------------------------------------------------------


def test_english_alignment_by_article_number():
    res = run("english_zh.txt", en="english_en.txt")
    files = res.files
    assert sorted(n for n in files if n.endswith(".en.md")) == [
        "a001.en.md",
        "a002.en.md",
        "a003-1.en.md",
        "a003.en.md",
    ]
    assert front(files["a001.en.md"])["caption"] == "Purpose"
    assert body(files["a003-1.en.md"]) == "Personal data shall be stored encrypted."
    assert body(files["a003.en.md"]) == (
        "Personal data shall be processed in accordance with the following principles:\n\n"
        "1. lawfulness;\n2. necessity."
    )
    m = manifest(res)
    assert m["title"]["en"] == "Data Protection Regulation"
    assert [c["title"]["en"] for c in m["chapters"]] == ["General Provisions", "Processing"]
    report = res.report()
    assert "4 of 5 article(s) matched" in report
    assert "articles without English: 第四條" in report
    assert "English articles without Chinese: Article 7 (line 21)" in report
    comp, problems = loaded(res)
    for art in comp.regulations["imported"].articles.values():
        if art.is_translated("en"):
            assert art.texts["en"].translates == art.source_hash  # stamped as current
    missing = [p for p in problems.warnings if "no English translation" in p.message]
    assert len(missing) == 1 and "a004" in missing[0].message


def test_english_alignment_outline():
    res = run("outline.txt", en="outline_en.txt")
    assert sorted(n for n in res.files if n.endswith(".en.md")) == [
        "a1-01.en.md",
        "a1-02.en.md",
        "a2-01.en.md",
    ]
    assert front(res.files["a2-01.en.md"])["caption"] == "Service Attitude"
    assert body(res.files["a2-01.en.md"]).startswith("1. **Warmth**: greet customers proactively.")
    assert [c["title"]["en"] for c in manifest(res)["chapters"]][:2] == [
        "General Provisions",
        "Service Standards",
    ]
    assert "articles without English: 二、（二）, 三、（一）" in res.report()


# -- writing safely -----------------------------------------------------------------------


def docs_dir(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "roles.yml").write_text(ROLES_YML, encoding="utf-8")
    for rel, text in ROLE_PAGES.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, encoding="utf-8")
    return docs


def hidden(docs: Path) -> list[str]:
    return [p.name for p in (docs / "regulations").iterdir() if p.name.startswith(".")]


def test_write_refuses_to_overwrite_without_force(tmp_path):
    docs = docs_dir(tmp_path)
    first = run("statute_chinese.txt", reg_id="rules")
    write_regulation(first.files, docs, "rules")
    other = run("outline.txt", reg_id="rules")
    with pytest.raises(ImportFailure, match="already exists"):
        write_regulation(other.files, docs, "rules")
    assert (docs / "regulations/rules/a001.zh-Hant.md").exists()  # untouched
    write_regulation(other.files, docs, "rules", force=True)
    assert sorted(p.name for p in (docs / "regulations/rules").iterdir()) == sorted(other.files)
    assert hidden(docs) == []


def test_failure_while_writing_leaves_no_half_written_folder(tmp_path, monkeypatch):
    docs = docs_dir(tmp_path)
    res = run("statute_chinese.txt", reg_id="rules")
    real_write = pathlib.Path.write_text
    calls = {"n": 0}

    def failing(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "write_text", failing)
    with pytest.raises(OSError, match="disk full"):
        write_regulation(res.files, docs, "rules")
    assert not (docs / "regulations/rules").exists()
    assert hidden(docs) == []


def test_failure_while_replacing_keeps_the_old_folder(tmp_path, monkeypatch):
    docs = docs_dir(tmp_path)
    old = run("statute_chinese.txt", reg_id="rules")
    write_regulation(old.files, docs, "rules")
    new = run("outline.txt", reg_id="rules")
    real_replace = os.replace

    def failing(src, dst):
        if Path(dst).name == "rules" and ".importing-" in Path(src).name:
            raise OSError("rename failed")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OSError, match="rename failed"):
        write_regulation(new.files, docs, "rules", force=True)
    assert sorted(p.name for p in (docs / "regulations/rules").iterdir()) == sorted(old.files)
    assert hidden(docs) == []


def test_script_end_to_end(tmp_path, capsys):
    docs = docs_dir(tmp_path)
    src = str(FIXTURES / "statute_inserted.txt")
    base = [
        src,
        "--id",
        "archives",
        "--code",
        "ADM-02",
        "--title-en",
        "Archives Management Regulation",
        "--owner",
        "all-employees",
        "--effective",
        "2026-03-01",
        "--docs",
        str(docs),
    ]
    assert import_regulation.main(base + ["--dry-run"]) == 0
    assert not (docs / "regulations" / "archives").exists()
    assert import_regulation.main(base) == 0
    out = capsys.readouterr().out
    assert "articles: 15 (第一條 … 第十二條), of which inserted: 3" in out
    assert "validation: 0 error(s)" in out
    m = front((docs / "regulations/archives/index.md").read_text(encoding="utf-8"))
    assert (m["code"], m["title"]["en"], str(m["effective"])) == (
        "ADM-02",
        "Archives Management Regulation",
        "2026-03-01",
    )
    assert import_regulation.main(base) == 2  # exists
    assert "already exists" in capsys.readouterr().err
    assert import_regulation.main(base + ["--force"]) == 0
    comp, problems = load(DirTree(docs))
    assert problems.errors == [] and len(comp.regulations["archives"].articles) == 15


def test_script_reports_bad_input(tmp_path, capsys):
    docs = docs_dir(tmp_path)
    assert (
        import_regulation.main([str(tmp_path / "missing.txt"), "--id", "x", "--docs", str(docs)])
        == 2
    )
    assert "no such file" in capsys.readouterr().err
    bad = tmp_path / "bad.txt"
    bad.write_bytes("第一條 文字\n".encode() + b"\xff\xfe\n")
    assert import_regulation.main([str(bad), "--id", "x", "--docs", str(docs)]) == 2
    assert "bad.txt:2: file is not UTF-8 text" in capsys.readouterr().err


# -- round trips: the numbers on the site equal the numbers in the source ----------------


@pytest.mark.parametrize(
    "name",
    [
        "statute_chinese.txt",
        "statute_arabic_spaces.txt",
        "statute_inserted.txt",
        "noise_layout.txt",
        "english_zh.txt",
    ],
)
def test_round_trip_chapter_article(name):
    res = run(name)
    expected = [zh_label(n, s) for n, s in source_article_numbers(fixture(name))]
    assert len(expected) >= 5
    assert rendered_numbers(res) == expected
    assert rendered_numbers(res, "en") == [
        f"Article {n}" + (f"-{s}" if s else "") for n, s in source_article_numbers(fixture(name))
    ]


def test_round_trip_inserted_keeps_its_number():
    numbers = rendered_numbers(run("statute_inserted.txt"))
    assert numbers[9:15] == [
        "第十條",
        "第十條之一",
        "第十條之二",
        "第十一條",
        "第十一條之一",
        "第十二條",
    ]


def test_round_trip_outline():
    text = fixture("outline.txt")
    expected = [m[1] for m in re.finditer(r"^[（(]([一二三四五六七八九十]+)[）)]", text, re.M)]
    assert rendered_numbers(run("outline.txt")) == [f"（{n}）" for n in expected]


def test_round_trip_run_on_text():
    res = run("scrape_preview.txt", clean_scrape=True)
    assert rendered_numbers(res) == ["第一條", "第二條", "第三條", "第四條", "第五條"]


# -- the five seed regulations -------------------------------------------------------------

SEED_COUNTS = {  # seed file prefix -> (numbering, chapters, articles) observed with --clean-scrape
    "000": ("chapter-article", 8, 30),
    "001": ("outline", 6, 20),
    "002": ("outline", 6, 17),
    "003": ("outline", 8, 30),
    "004": ("outline", 7, 20),
}


def seed(prefix: str) -> Path:
    found = sorted(require_shared(SEEDS).glob(f"{prefix}_*.txt"))
    if not found:
        require_shared(SEEDS / f"{prefix}_*.txt")
    return found[0]


@pytest.mark.parametrize("prefix", sorted(SEED_COUNTS))
def test_seed_imports_and_loads(prefix, tmp_path):
    path = seed(prefix)
    text = path.read_text(encoding="utf-8")
    res = import_text(
        text,
        ImportOptions(
            f"seed-{prefix}",
            source_name=path.name,
            clean_scrape=True,
            fix_traditional=True,
            fullwidth_punct=True,
        ),
    )
    style, n_chapters, n_articles = SEED_COUNTS[prefix]
    m = manifest(res)
    assert (m["numbering"], len(m["chapters"]), len(article_entries(res))) == (
        style,
        n_chapters,
        n_articles,
    )
    assert m["source"]["truncated"]  # every preview stops mid-sentence
    for name, content in res.files.items():
        if name == "index.md":  # its notes name what was removed; check the titles only
            content = str(m["title"]) + str(m["chapters"])
        assert not PINYIN_RE.search(content), f"{name}: {PINYIN_RE.search(content).group(0)}"
        for debris in (
            "_第1頁",
            "溫馨提示",
            "PAGE",
            "下載本文檔",
            "版權說明",
            "提交評論",
            "文檔簡介",
            "本站",
        ):
            assert debris not in content, f"{name}: {debris}"
    # written and loaded from disk, like the script does
    docs = docs_dir(tmp_path)
    write_regulation(res.files, docs, res.options.reg_id)
    comp, problems = load(DirTree(docs))
    assert problems.errors == [], "\n".join(map(str, problems.errors))
    assert len(comp.regulations[res.options.reg_id].articles) == n_articles
    # round trip: the numbers on the page equal the numbers printed in the preview
    cleaned = re.sub(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[)）]", "", text.split("溫馨提示")[0])
    if style == "chapter-article":
        expected = list(
            dict.fromkeys(m[0] for m in re.finditer(r"第[一二三四五六七八九十百]+條", cleaned))
        )
    else:
        expected = [
            "（" + m[1] + "）" for m in re.finditer(r"[(（]([一二三四五六七八九十]+)[)）]", cleaned)
        ]
    assert rendered_numbers(res) == expected


# -- a real MkDocs build ---------------------------------------------------------------------


@pytest.mark.build
def test_round_trip_through_a_real_mkdocs_build(tmp_path):
    proj = tmp_path / "project"
    proj.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", proj / "mkdocs.yml")
    shutil.copytree(ROOT / "hooks", proj / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", proj / "templates")
    docs = docs_dir(proj)
    (docs / "index.md").write_text("---\ncompendium: home\n---\n", encoding="utf-8")
    cases = {
        "archives": "statute_inserted.txt",
        "rewards": "statute_chinese.txt",
        "service": "outline.txt",
    }
    for reg_id, name in cases.items():
        res = run(
            name,
            reg_id=reg_id,
            title_en=reg_id.title(),
            en="outline_en.txt" if reg_id == "service" else None,
        )
        write_regulation(res.files, docs, reg_id)
    build = mkdocs_build(proj)
    assert build.returncode == 0, build.stderr
    site = proj / "site"

    def numbers(reg_id: str, lang: str = "") -> list[str]:
        html = (site / lang / "regulations" / reg_id / "index.html").read_text(encoding="utf-8")
        return ARTICLE_NUM_RE.findall(html)

    for reg_id in ("archives", "rewards"):
        src = source_article_numbers(fixture(cases[reg_id]))
        assert numbers(reg_id) == [zh_label(n, s) for n, s in src]
        assert numbers(reg_id, "en") == [f"Article {n}" + (f"-{s}" if s else "") for n, s in src]
    assert "第十條之一" in numbers("archives") and "Article 11-1" in numbers("archives", "en")
    assert numbers("service") == ["（一）", "（二）", "（一）", "（二）", "（一）"]
    assert numbers("service", "en") == ["1.", "2.", "1.", "2.", "1."]
    service_en = (site / "en" / "regulations" / "service" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "Service Attitude" in service_en and "greet customers proactively" in service_en
