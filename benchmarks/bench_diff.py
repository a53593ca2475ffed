"""Benchmark the release diff on a synthetic compendium of about 4,000 articles.

    python benchmarks/bench_diff.py [--regulations 40] [--articles 100] [--keep DIR]

Builds a temporary git repository with two releases of a generated compendium
(both languages; every article has list items and most a cross reference), where the
second release inserts an article at the start of every regulation (so nearly
every later article is renumbered), amends 5 % of the articles, re-wraps 10 %
(whitespace only), repeals, moves and re-captions some, and revises some
translations. Then it times, as ``scripts/diff.py`` does them: reading both
releases through git and loading them, comparing, and writing every output
(redline, table and Markdown in both languages, and JSON). Prints one line per
step and the total; the target is under 10 s. Also times comparing the first
release with itself (no changes; not part of the total). The tests guard how the
work grows (tests/test_diff.py), not how long it takes.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from compendium.changes.diff import compare
from compendium.changes.git import GitRepo
from compendium.changes.releases import load_ref, roles_of
from compendium.changes.report import write_reports

CJK = (
    "本公司員工應遵守制度規定負責管理數據安全保障業務流程執行監督檢查報告審核批准記錄保存期限"
    "部門職責資訊系統備份權限存取操作紀錄考核評估改進措施培訓計畫預算費用報銷審計風險控制"
)
WORDS = (
    "the company staff shall comply with rules responsible for managing data security business "
    "process carry out supervise inspect report review approve record keep period department "
    "duty information system backup access operation log assess improve measure training plan"
).split()


def _zh(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(CJK) for _ in range(n)) + "。"


def _en(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _article(rng: random.Random, reg: str, aid: str, prev: str | None) -> tuple[str, str]:
    ref_zh = f"依[[{prev}]]之規定，" if prev else ""
    ref_en = f"Under [[{prev}]], " if prev else ""
    zh_items = "\n".join(f"{k}. {_zh(rng, 30)}" for k in range(1, 4))
    en_items = "\n".join(f"{k}. {_en(rng, 14)}" for k in range(1, 4))
    zh = (
        f"---\nid: {aid}\ncaption: {_zh(rng, 4)[:-1]}\nroles: [staff]\n---\n"
        f"{ref_zh}{_zh(rng, 40)}\n\n{zh_items}\n"
    )
    en = f"---\nid: {aid}\ncaption: {_en(rng, 3)[:-1]}\n---\n{ref_en}{_en(rng, 20)}\n\n{en_items}\n"
    return zh, en


def _manifest(reg: str, chapters: list[tuple[str, list[str]]], version: str) -> str:
    lines = [
        "---",
        "compendium: regulation",
        f"id: {reg}",
        f"code: {reg.upper()}",
        f"title: {{zh-Hant: 規章{reg}, en: Regulation {reg}}}",
        "owner: staff",
        f'version: "{version}"',
        "effective: 2026-01-01",
        "numbering: chapter-article",
        "chapters:",
    ]
    for cid, arts in chapters:
        lines += [
            f"  - id: {cid}",
            f"    title: {{zh-Hant: 章{cid}, en: Chapter {cid}}}",
            f"    articles: [{', '.join(arts)}]",
        ]
    return "\n".join(lines + ["---", ""])


def generate(
    docs: Path, n_regs: int, n_arts: int, seed: int = 7
) -> dict[str, list[tuple[str, list[str]]]]:
    rng = random.Random(seed)
    (docs / "roles").mkdir(parents=True)
    (docs / "roles.yml").write_text(
        "roles:\n  - id: staff\n    kind: everyone\n    name: {zh-Hant: 全體員工, en: All Staff}\n",
        encoding="utf-8",
    )
    (docs / "roles" / "staff.md").write_text(
        "---\ncompendium: role\nrole: staff\n---\n", encoding="utf-8"
    )
    layout: dict[str, list[tuple[str, list[str]]]] = {}
    for r in range(n_regs):
        reg = f"reg-{r:02d}"
        folder = docs / "regulations" / reg
        folder.mkdir(parents=True)
        ids = [f"a-{k:03d}" for k in range(n_arts)]
        chapters = [(f"part-{c}", ids[c * 10 : (c + 1) * 10]) for c in range((n_arts + 9) // 10)]
        layout[reg] = chapters
        (folder / "index.md").write_text(_manifest(reg, chapters, "1.0"), encoding="utf-8")
        for aid in ids:  # every article refers to the first one (never repealed or moved)
            zh, en = _article(rng, reg, aid, ids[0] if aid != ids[0] else None)
            (folder / f"{aid}.zh-Hant.md").write_text(zh, encoding="utf-8")
            (folder / f"{aid}.en.md").write_text(en, encoding="utf-8")
    return layout


def modify(docs: Path, layout: dict[str, list[tuple[str, list[str]]]], seed: int = 11) -> None:
    rng = random.Random(seed)
    for reg, chapters in layout.items():
        folder = docs / "regulations" / reg
        # insert one article at the start: every later article is renumbered
        zh, en = _article(rng, reg, "inserted", None)
        (folder / "inserted.zh-Hant.md").write_text(zh, encoding="utf-8")
        (folder / "inserted.en.md").write_text(en, encoding="utf-8")
        chapters[0][1].insert(0, "inserted")
        # repeal one, move one to the last chapter
        gone = chapters[1][1].pop(3)
        (folder / f"{gone}.zh-Hant.md").unlink()
        (folder / f"{gone}.en.md").unlink()
        moved = chapters[2][1].pop(0)
        chapters[-1][1].append(moved)
        for _cid, arts in chapters:
            for aid in arts:
                if aid == "inserted":
                    continue
                roll = rng.random()
                zh_path, en_path = folder / f"{aid}.zh-Hant.md", folder / f"{aid}.en.md"
                if roll < 0.05:  # amend one item in both languages
                    zh_path.write_text(
                        zh_path.read_text(encoding="utf-8").replace("2. ", f"2. {_zh(rng, 6)}", 1),
                        encoding="utf-8",
                    )
                    en_path.write_text(
                        en_path.read_text(encoding="utf-8").replace("2. ", f"2. {_en(rng, 4)} ", 1),
                        encoding="utf-8",
                    )
                elif roll < 0.15:  # whitespace only
                    text = zh_path.read_text(encoding="utf-8")
                    head, body = text.split("---\n", 2)[1:]
                    zh_path.write_text(
                        f"---\n{head}---\n"
                        + body.replace("。", "。\n", 1).replace("\n\n", "\n\n\n"),
                        encoding="utf-8",
                    )
                elif roll < 0.17:  # caption
                    zh_path.write_text(
                        zh_path.read_text(encoding="utf-8").replace("caption: ", "caption: 新", 1),
                        encoding="utf-8",
                    )
                elif roll < 0.20:  # translation only
                    en_path.write_text(
                        en_path.read_text(encoding="utf-8").replace(" shall ", " must ", 1),
                        encoding="utf-8",
                    )
        (folder / "index.md").write_text(_manifest(reg, chapters, "1.1"), encoding="utf-8")


def git(repo: Path, *args: str) -> None:
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(
        ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.test", *args],
        cwd=repo,
        env=env,
        check=True,
        capture_output=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regulations", type=int, default=40)
    parser.add_argument(
        "--articles", type=int, default=100, help="articles per regulation (at least 30)"
    )
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    args = parser.parse_args(argv)
    if args.articles < 30:
        parser.error("--articles must be at least 30 (the modifications need three chapters)")
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-diff-"))
    repo = base / "repo"
    try:
        t0 = time.perf_counter()
        repo.mkdir(parents=True)
        git(repo, "init", "-q")
        layout = generate(repo / "docs", args.regulations, args.articles)
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "release 1")
        git(repo, "tag", "release/2026.1")
        modify(repo / "docs", layout)
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "release 2")
        git(repo, "tag", "release/2026.2")
        print(
            f"setup (generate and commit two releases): {time.perf_counter() - t0:.2f} s",
            file=sys.stderr,
        )

        r = GitRepo(repo)
        t1 = time.perf_counter()
        old = load_ref(r, "2026.1")
        new = load_ref(r, "2026.2")
        t2 = time.perf_counter()
        same = compare(old.comp, old.comp, old.edition, old.edition)
        t_same = time.perf_counter()
        diff = compare(old.comp, new.comp, old.edition, new.edition)
        t3 = time.perf_counter()
        written = write_reports(diff, base / "out", role_names=roles_of(old, new))
        t4 = time.perf_counter()
        n_old = sum(len(x.articles) for x in old.comp.regulations.values())
        n_new = sum(len(x.articles) for x in new.comp.regulations.values())
        assert not old.problems.errors and not new.problems.errors, new.problems.errors[:3]
        counts = ", ".join(f"{k} {v}" for k, v in diff.counts().items())
        size = sum(p.stat().st_size for p in written)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"articles: {n_old} -> {n_new} ({args.regulations} regulations, 2 languages)")
        print(f"changes: {len(diff.changes)} ({counts})")
        print(f"read and load both releases through git: {t2 - t1:.2f} s")
        print(f"compare an edition with itself: {t_same - t2:.2f} s ({len(same.changes)} changes)")
        print(f"compare: {t3 - t_same:.2f} s")
        print(f"write 7 outputs ({size / 1e6:.1f} MB): {t4 - t3:.2f} s")
        total = t4 - t1 - (t_same - t2)
        print(f"total: {total:.2f} s (target < 10 s); peak memory {peak:.0f} MB")
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
