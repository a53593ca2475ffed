"""Review cycles: parsing, overdue warnings relative to a pinned date, the site page."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from compendium.buildtime import build_date
from compendium.site.historypages import reviews_page
from compendium.site.render import Renderer
from compendium.source.checks import validate
from compendium.source.loader import load
from compendium.source.reviews import (
    add_months,
    check_reviews,
    review_rows,
)
from compendium.source.tree import DirTree

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "tests" / "fixtures" / "pdf" / "docs", tmp_path / "docs")
    return tmp_path / "docs"


def _set(docs: Path, reg: str, every, last) -> int:
    """Give ``reg`` a review cycle; the line of ``review_every`` in its manifest."""
    path = docs / "regulations" / reg / "index.md"
    lines = [
        ln
        for ln in path.read_text(encoding="utf-8").split("\n")
        if not ln.startswith(("review_every:", "last_reviewed:"))
    ]
    i = next(i for i, ln in enumerate(lines) if ln.startswith("effective:"))
    lines[i + 1 : i + 1] = [f"review_every: {every}", f"last_reviewed: {last}"]
    path.write_text("\n".join(lines), encoding="utf-8")
    return i + 2


def test_add_months_clamps_to_month_end():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 6, 15), 18) == dt.date(2027, 12, 15)


def test_overdue_warnings_relative_to_the_given_date(docs):
    line = _set(docs, "alpha", 6, "2025-05-01")
    comp, problems = load(DirTree(docs, display_root="docs"))
    assert problems.errors == []
    warnings = [str(p) for p in check_reviews(comp, dt.date(2026, 1, 1)).warnings]
    assert warnings == [
        f"docs/regulations/alpha/index.md:{line + 1}: warning: review overdue: last reviewed "
        "2025-05-01, every 6 month(s), due 2025-11-01 (61 day(s) before 2026-01-01)"
    ]
    assert check_reviews(comp, dt.date(2025, 10, 31)).warnings == []
    rows = review_rows(comp, dt.date(2026, 1, 1))
    assert rows[0].regulation.id == "alpha" and rows[0].overdue
    assert not any(r.overdue for r in rows[1:])


def test_bad_review_fields_are_errors(docs):
    line = _set(docs, "alpha", "yearly", "2025-13-01")
    _, problems = load(DirTree(docs, display_root="docs"))
    msgs = [str(p) for p in problems.errors]
    assert any(f":{line}: field 'review_every' must be a whole number" in m for m in msgs), msgs
    assert any(f":{line + 1}: field 'last_reviewed' must be a valid date" in m for m in msgs), msgs


def test_build_date_prefers_source_date_epoch_then_the_commit(tmp_path):
    assert build_date(tmp_path, {"SOURCE_DATE_EPOCH": "1798761600"}) == dt.date(2027, 1, 1)
    assert build_date(tmp_path, {}) is None  # not a git repository
    assert build_date(None, {}) is None
    env = {"GIT_COMMITTER_DATE": "2026-05-01T23:30:00+00:00", "PATH": os.environ["PATH"]}
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(
        [*git, "commit", "-q", "--allow-empty", "-m", "x"], cwd=tmp_path, env=env, check=True
    )
    assert build_date(tmp_path, {}) == dt.date(2026, 5, 1)
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH='tomorrow' is not a number"):
        build_date(tmp_path, {"SOURCE_DATE_EPOCH": "tomorrow"})


def test_check_reports_a_bad_source_date_epoch(docs, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "tomorrow")
    _, problems = validate(DirTree(docs, display_root="docs"))
    assert [str(p) for p in problems.errors if p.path == "SOURCE_DATE_EPOCH"]


@pytest.mark.parametrize("lang", ["zh-Hant", "en"])
def test_page_lists_overdue_first_in_both_languages(docs, lang):
    _set(docs, "beta", 3, "2026-01-01")
    comp, _ = load(DirTree(docs))
    renderer = Renderer(comp, lang, ROOT / "templates")
    title, md = reviews_page(
        comp, lang, dt.date(2026, 6, 1), lambda src, a: src, renderer.render_template
    )
    assert title == {"zh-Hant": "規章覆核週期", "en": "Review Cycles"}[lang]
    rows = md.split("<tbody>")[1].split("<tr")[1:]
    assert 'class="review-overdue"' in rows[0] and "beta" in rows[0]
    assert {"zh-Hant": "逾期 61 日", "en": "overdue by 61 days"}[lang] in rows[0]
    assert "review-overdue" not in "".join(rows[1:])
    assert len(rows) == len(comp.regulations)
    owner = comp.roles[comp.regulations["beta"].owner].name[lang]
    assert owner in rows[0]


def test_page_without_build_date_marks_nothing(docs):
    comp, _ = load(DirTree(docs))
    renderer = Renderer(comp, "en", ROOT / "templates")
    _, md = reviews_page(comp, "en", None, lambda src, a: src, renderer.render_template)
    assert "build date is unknown" in md and "review-overdue" not in md
