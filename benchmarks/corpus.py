"""Measuring the importer and the diff against a corpus with ground truth (expected.json).

An evaluation harness, not part of the product: used by ``scripts/corpus_report.py``
(``make corpus-report``); the binding checks are in tests/test_corpus.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compendium.changes.diff import compare
from compendium.importer.doc import ParsedArticle
from compendium.importer.grammar import ImportFailure
from compendium.importer.options import ImportOptions
from compendium.importer.pipeline import ImportResult, import_text
from compendium.importer.update import update_regulation
from compendium.roles.pages import role_stub
from compendium.source.layout import ROLES_FILE, regulation_dir, role_page
from compendium.source.loader import load
from compendium.source.tree import MemoryTree

CORPUS_DEFAULT = "../shared/corpus"
ROLES = """roles:
  - id: all-employees
    kind: everyone
    name: {zh-Hant: 全體員工, en: All Employees}
"""
_LABEL_LINE = re.compile(r"^第\s*\d+(?:-\d+)?\s*條\s*$")
_EN_LABEL = re.compile(r"^Article\s*(\d+(?:-\d+)?)\s*$")
_EN_ITEM = re.compile(r"^\s*(?:\(\d+\)|\d+\.|\([a-z]\)|[a-z]\.)\s*")


@dataclass
class LawReport:
    law: str
    exact: bool
    paragraphs_kept: int
    paragraphs_source: int
    en_matched: int
    en_articles: int
    precision: float
    recall: float
    seconds: float


def _label(art: ParsedArticle) -> str:
    return f"第{art.num}" + (f"-{art.sub}" if art.sub else "") + "條"


def _import(law: Path, version: str, layout: str) -> ImportResult:
    options = ImportOptions(
        law.name.lower(),
        source_name=f"{law.name}/{version}.{layout}.txt",
        style="chapter-article",
        effective=dt.date(int(version[:4]), int(version[4:6]), int(version[6:])),
    )
    zh = (law / f"{version}.{layout}.txt").read_text(encoding="utf-8")
    en = (law / f"{version}.en.txt").read_text(encoding="utf-8")
    return import_text(zh, options, en)


def _tree(reg_id: str, files: dict[str, str]) -> MemoryTree:
    tree = {
        ROLES_FILE: ROLES,
        role_page("all-employees"): role_stub("all-employees"),
    }
    tree.update({f"{regulation_dir(reg_id)}/{n}": t for n, t in files.items()})
    return MemoryTree(tree)


def _source_paragraphs(path: Path) -> int:
    """Lines of article text in the official layout (each paragraph or item is one line)."""
    count, inside = 0, False
    for line in path.read_text(encoding="utf-8").splitlines():
        if _LABEL_LINE.match(line.strip()):
            inside = True
        elif not line.strip():
            inside = False
        elif inside:
            count += 1
    return count


def _written_paragraphs(res: ImportResult) -> int:
    count = 0
    for art in res.doc.articles:
        count += len([c for c in art.intro if c.new_line]) or (1 if art.intro else 0)
        count += sum(1 for i in art.items if i.level) + sum(
            len([c for c in i.chunks if c.new_line]) for i in art.items
        )
    return count


def raw_english(path: Path) -> dict[str, str]:
    """English article texts from the file, without item labels or white space."""
    out: dict[str, str] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _EN_LABEL.match(line.strip())
        if m:
            current = "Article" + m[1]
            out.setdefault(current, "")
        elif current is not None and not line.startswith("Chapter"):
            out[current] += "".join(_EN_ITEM.sub("", line).split())
    return out


def expected_changes(law: Path, exp: dict[str, Any]) -> set[tuple[str, str]]:
    ch = exp["changes"]
    old_en = raw_english(law / f"{ch['from']}.en.txt")
    new_en = raw_english(law / f"{ch['to']}.en.txt")
    old_labels = set(exp["versions"][ch["from"]]["articles"])
    out = {(k, x) for k in ("added", "removed", "amended") for x in ch[k]}
    en = {
        x.replace("Article", "第") + "條"
        for x in ch["en_changed"]
        if old_en.get(x) is None or old_en.get(x) != new_en.get(x)
    }
    en |= {
        x.replace("Article", "第") + "條"
        for x in new_en
        if x not in old_en and x.replace("Article", "第") + "條" in old_labels
    }
    out |= {("en", x) for x in en - set(ch["amended"]) - set(ch["added"])}
    return out


def found_changes(older: ImportResult, newer: ImportResult) -> set[tuple[str, str]]:
    upd = update_regulation(dict(older.files), newer, missing="remove")
    rid = older.options.reg_id
    old_comp, _ = load(_tree(rid, older.files))
    new_comp, _ = load(_tree(rid, upd.files))
    old_labels = {a.id: _label(a) for a in older.doc.articles}
    new_labels = {fid: f"第{n}條" for fid, n in upd.ids.items()}
    out: set[tuple[str, str]] = set()
    for c in compare(old_comp, new_comp).changes:
        if c.scope != "article":
            continue
        for kind, name in (
            ("added", "added"),
            ("removed", "removed"),
            ("amended", "amended"),
            ("translation-revised", "en"),
            ("renumbered", "renumbered"),
        ):
            if kind in c.kinds:
                table = old_labels if kind == "removed" else new_labels
                out.add((name, table.get(c.id, c.id)))
    return out


def check_law(law: Path) -> LawReport:
    start = time.perf_counter()
    exp = json.loads((law / "expected.json").read_text(encoding="utf-8"))
    versions = sorted(exp["versions"])
    exact = True
    results: dict[tuple[str, str], ImportResult] = {}
    for version in versions:
        for layout in ("zh", "zh-word"):
            try:
                res = _import(law, version, layout)
            except ImportFailure:
                exact = False
                continue
            results[(version, layout)] = res
            labels = [_label(a) for a in res.doc.articles]
            exact = exact and labels == exp["versions"][version]["articles"]
    newest = results.get((versions[-1], "zh"))
    older = results.get((versions[0], "zh"))
    kept = _written_paragraphs(newest) if newest else 0
    source = _source_paragraphs(law / f"{versions[-1]}.zh.txt")
    matched = len(newest.alignment.matched) if newest and newest.alignment else 0
    en_total = len(newest.alignment.english.articles) if newest and newest.alignment else 0
    precision = recall = 0.0
    if newest and older:
        want, got = expected_changes(law, exp), found_changes(older, newest)
        hit = len(want & got)
        precision = hit / len(got) if got else 1.0
        recall = hit / len(want) if want else 1.0
    return LawReport(
        law.name,
        exact,
        kept,
        source,
        matched,
        en_total,
        precision,
        recall,
        time.perf_counter() - start,
    )
