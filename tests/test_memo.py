"""Results kept between builds (compendium/site/memo.py): a warm memo gives the same
pages as none, a conversion that rewrote a URL is not kept, and unused entries go."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from compendium import LANGUAGES
from compendium.printing.assembly import BuildInfo, Printer
from compendium.site import memo as memo_mod
from compendium.site.memo import FileMemo, Memo
from compendium.site.render import Renderer
from tests.test_depgraph import model, sources


def _url(src: str, anchor: str | None) -> str:
    return f"{src}#{anchor}" if anchor else src


def _pages(comp, convert_memo: Memo | None) -> list[str]:
    out = []
    for lang in LANGUAGES:
        r = Renderer(comp, lang, bilingual=True, convert_memo=convert_memo)
        out += ["".join(r.regulation_page(rid, _url)) for rid in comp.regulations]
    return out


def test_a_warm_memo_renders_the_same_pages_without_converting(tmp_path, monkeypatch):
    comp = model(sources())
    cold = _pages(comp, None)
    path = tmp_path / "bodies.json"
    first = Memo(path)
    assert _pages(comp, first) == cold
    first.save()
    assert json.loads(path.read_text(encoding="utf-8"))["entries"]

    def refuse(*args, **kwargs):
        raise AssertionError("converted although the memo has the result")

    monkeypatch.setattr(Renderer, "body_converter", refuse)
    assert _pages(comp, Memo(path)) == cold


def test_an_edited_body_is_converted_again(tmp_path):
    files = sources()
    comp = model(files)
    path = tmp_path / "bodies.json"
    warm = Memo(path)
    _pages(comp, warm)
    warm.save()
    name = next(k for k in files if k.endswith(".zh-Hant.md") and "/index" not in k)
    files[name] = files[name].rstrip("\n") + "新增的一句。\n"
    edited = model(files)
    assert _pages(edited, Memo(path)) == _pages(edited, None)
    assert any("新增的一句" in page for page in _pages(edited, Memo(path)))


def test_a_memo_of_other_code_is_not_read(tmp_path, monkeypatch):
    path = tmp_path / "bodies.json"
    m = Memo(path)
    m.put("k", "v")
    m.save()
    assert Memo(path).get("k") == "v"
    monkeypatch.setattr(memo_mod, "CODE", "another version of the code")
    assert Memo(path).get("k") is None
    path.write_text("not json", encoding="utf-8")
    assert Memo(path).get("k") is None


def test_print_conversions_that_rewrite_urls_are_not_kept(tmp_path):
    files = sources()
    name = next(k for k in files if k.endswith(".zh-Hant.md") and "/index" not in k)
    files[name] = files[name].rstrip("\n") + "\n\n![圖](chart.png)\n"
    comp = model(files)
    info = BuildInfo("2026.1", built=dt.date(2026, 1, 1))
    memo = Memo(tmp_path / "bodies.json")
    base = tmp_path.as_uri() + "/"
    first = Printer(comp, "zh-Hant", info, base, memo=memo).compendium()
    again = Printer(comp, "zh-Hant", info, base, memo=memo).compendium()
    assert first.html == again.html
    assert first.sources == again.sources  # the image is still reported with its source
    assert any(url.endswith("chart.png") for url in again.sources)
    memo.save()
    warm = Printer(comp, "zh-Hant", info, base, memo=Memo(tmp_path / "bodies.json")).compendium()
    assert warm.html == first.html
    assert warm.sources == first.sources  # a kept result never hides a resource's source


def test_a_warm_memo_prints_the_same_documents_without_converting(tmp_path, monkeypatch):
    from compendium.printing import assembly

    comp = model(sources())
    info = BuildInfo("2026.1", built=dt.date(2026, 1, 1))
    base = tmp_path.as_uri() + "/"
    path = tmp_path / "bodies.json"

    def documents(memo: Memo | None) -> list[str]:
        return [Printer(comp, lang, info, base, memo=memo).compendium().html for lang in LANGUAGES]

    cold = documents(None)
    first = Memo(path)
    assert documents(first) == cold
    first.save()

    def refuse(*args, **kwargs):
        raise AssertionError("converted a regulation although the memo has the result")

    monkeypatch.setattr(assembly.markdown, "Markdown", refuse)
    monkeypatch.setattr(Renderer, "body_converter", refuse)
    assert documents(Memo(path)) == cold


def test_file_memo_keeps_only_what_the_build_used(tmp_path):
    folder = tmp_path / "search"
    m = FileMemo(folder)
    m.put("a", "1")
    m.put("b", "2")
    m.save()
    m2 = FileMemo(folder)
    assert m2.get("a") == "1"
    m2.save()
    assert FileMemo(folder).get("a") == "1"
    assert FileMemo(folder).get("b") is None
    stale = folder / ("0" * 16)
    stale.mkdir()
    (stale / "x").write_text("old", encoding="utf-8")
    FileMemo(folder).save()
    assert not stale.exists()
    assert sorted(p.name for p in Path(folder).iterdir()) == [memo_mod.CODE[:16]]
