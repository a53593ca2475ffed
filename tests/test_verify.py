"""make verify: a PDF is an unmodified output of a release (current or superseded),
modified, or not a compendium output. The fixture is built once, as a release."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from compendium.printing.verify import CURRENT, MODIFIED, NOT_OURS, PdfText, verify
from compendium.source.ledger import (
    Approval,
    ReleaseRecord,
    digests_of,
    folder_files,
    load_records,
    record_text,
)

pytestmark = pytest.mark.pdf

HERE = Path(__file__).parent
ROOT = HERE.parent
FIXTURE_DOCS = HERE / "fixtures" / "pdf" / "docs"


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(f"verify_{name}", ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_pdf = _load_script("build_pdf")
verify_script = _load_script("verify")


def _record(sources: str, per_reg: dict[str, str], version: str = "2026.1") -> ReleaseRecord:
    month = int(version.split(".")[1]) + 1
    return ReleaseRecord(
        version,
        dt.date(2026, month, 2),
        Approval({"zh-Hant": "董事會", "en": "Board"}, dt.date(2026, month, 1)),
        dt.date(2026, month, 2),
        {"zh-Hant": "", "en": ""},
        sources,
        per_reg,
    )


def _project(root: Path, sources: str | None = None) -> Path:
    """The fixture with a record of release 2026.1: of its content, or ``sources``."""
    docs = root / "docs"
    shutil.copytree(FIXTURE_DOCS, docs)
    real, per_reg = digests_of(folder_files(docs))
    (root / "releases").mkdir()
    text = record_text(_record(sources or real, per_reg))
    (root / "releases" / "2026.1.yml").write_text(text, encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_url: https://rules.example.org/\n", "utf-8")
    return docs


def _build(docs: Path, out: Path, *only: str) -> Path:
    argv = [str(docs), "--out", str(out), "--date", "2026-11-22", "--release", "2026.1"]
    assert build_pdf.main([*argv, *(only or ("--only", "everyone", "--lang", "en")), "-q"]) == 0
    return out / "pack-everyone-en.pdf"


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> tuple[Path, Path]:
    """(docs, the English pack PDF of its release); every PDF of it in pdf/."""
    root = tmp_path_factory.mktemp("released")
    docs = _project(root)
    return docs, _build(docs, root / "pdf", "--only", "compendium", "--only", "everyone")


def _verify(pdf: Path, docs: Path, capsys) -> tuple[int, str]:
    code = verify_script.main([str(pdf), "--docs", str(docs)])
    return code, capsys.readouterr().out


def test_an_unmodified_pdf_of_the_current_release(released, capsys):
    docs, pdf = released
    code, out = _verify(pdf, docs, capsys)
    assert code == 0, out
    assert "an unmodified output of release 2026.1, current" in out


def test_every_pdf_of_the_release_in_both_languages_verifies(released, capsys):
    docs, pdf = released
    names = sorted(p.name for p in pdf.parent.glob("*.pdf"))
    assert "compendium-zh-Hant.pdf" in names and "compendium-bilingual.pdf" in names
    for name in names:
        code, out = _verify(pdf.parent / name, docs, capsys)
        assert code == 0, (name, out)
        # the cover carries the approval record, in the edition's language(s)
        cover = "".join(PdfReader(str(pdf.parent / name)).pages[0].extract_text().split())
        if "zh-Hant" in name or "bilingual" in name:
            assert "2026年2月1日經董事會通過，自2026年2月2日施行" in cover, name
        if "-en" in name or "bilingual" in name:
            assert "ApprovedbyBoardon1February2026,inforcefrom2February2026" in cover, name


def test_a_superseded_release_names_the_next(released, tmp_path, capsys):
    docs, pdf = released
    root = tmp_path / "later"
    shutil.copytree(docs.parent / "releases", root / "releases")
    shutil.copytree(docs, root / "docs")
    (root / "releases" / "2026.2.yml").write_text(
        record_text(_record("sha256:" + "cd34" * 16, {}, "2026.2")), encoding="utf-8"
    )
    code, out = _verify(pdf, root / "docs", capsys)
    assert code == 1
    assert "an unmodified output of release 2026.1, superseded by 2026.2" in out


def test_a_forged_digest_is_modified(tmp_path, released, capsys):
    """A PDF printing a digest no release recorded (built with a forged record)."""
    docs, _ = released
    forged = _build(_project(tmp_path, sources="sha256:" + "ab12" * 16), tmp_path / "pdf")
    code, out = _verify(forged, docs, capsys)
    assert code == 1
    assert "modified: digest ab12ab12ab12 is not that of a recorded release" in out


def test_pages_of_two_editions_mixed_is_modified(tmp_path, released, capsys):
    docs, pdf = released
    forged = _build(_project(tmp_path, sources="sha256:" + "ab12" * 16), tmp_path / "pdf")
    writer = PdfWriter()
    writer.append(str(pdf))
    writer.add_page(PdfReader(str(forged)).pages[-1])
    mixed = tmp_path / "mixed.pdf"
    with mixed.open("wb") as f:
        writer.write(f)
    code, out = _verify(mixed, docs, capsys)
    assert code == 1 and "modified: its pages carry different digests" in out


def test_a_page_without_digest_or_metadata_of_another_release_is_modified(released):
    docs, pdf = released
    records, _ = load_records(docs.parent / "releases")
    reader = PdfReader(str(pdf))
    pages = [p.extract_text() for p in reader.pages]
    meta = {k: str(v) for k, v in (reader.metadata or {}).items()}
    assert verify(PdfText(pages, meta), records).kind == CURRENT
    assert verify(PdfText([*pages, "an inserted page"], meta), records).kind == MODIFIED
    renamed = [p.replace("2026.1", "2027.1") for p in pages]
    assert verify(PdfText(renamed, meta), records).kind == MODIFIED
    other = {**meta, "/Subject": "Onboarding · Release 2027.3"}
    assert verify(PdfText(pages, other), records).kind == MODIFIED


def test_a_pdf_that_is_not_ours(tmp_path, released, capsys):
    docs, _ = released
    blank = tmp_path / "blank.pdf"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    with blank.open("wb") as f:
        writer.write(f)
    code, out = _verify(blank, docs, capsys)
    assert code == 1 and "not a compendium output" in out
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.7\nnot really\n")
    code, out = _verify(junk, docs, capsys)
    assert code == 1 and "not a compendium output" in out
    assert verify(PdfText([], {}), []).kind == NOT_OURS


def test_usage_errors_exit_2(tmp_path, released, capsys):
    docs, _ = released
    assert verify_script.main([str(tmp_path / "missing.pdf"), "--docs", str(docs)]) == 2
    assert "no such file" in capsys.readouterr().err
    assert verify_script.main([str(tmp_path), "--docs", str(docs)]) == 2  # a folder
    bad = tmp_path / "bad"
    shutil.copytree(docs, bad / "docs")
    (bad / "releases").mkdir()
    (bad / "releases" / "2026.1.yml").write_text("version: [\n", encoding="utf-8")
    assert verify_script.main([str(released[1]), "--docs", str(bad / "docs")]) == 2
    assert "releases/2026.1.yml" in capsys.readouterr().err


def test_make_verify_passes_file_as_the_argument():
    cli = _load_script("cli")
    argv = cli.arguments("verify", {"FILE": "copy $(rm x); `y`.pdf"})
    assert argv == ["--", "copy $(rm x); `y`.pdf"]  # one argument, its bytes unchanged
    for bad in ("a\nb", "-copy.pdf"):
        with pytest.raises(cli.Refused, match="FILE="):
            cli.arguments("verify", {"FILE": bad})


def test_records_are_compared_by_their_digest_not_their_name(released):
    docs, pdf = released
    records, _ = load_records(docs.parent / "releases")
    reader = PdfReader(str(pdf))
    text = PdfText([p.extract_text() for p in reader.pages], {})
    renamed = [dataclasses.replace(records[0], sources="sha256:" + "ef56" * 16)]
    assert verify(text, renamed).kind == MODIFIED
