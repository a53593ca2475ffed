"""Benchmark the compendium PDF: pages, seconds, pages per second and peak memory per language.

Each language is rendered in a fresh process (so the peak memory is that of one
build, fonts and all), --runs times; the fastest run is reported, with the CPU
seconds it used (less sensitive than wall-clock time to other load on the machine). With --all it
also times the whole PDF build (compendium and packs, both languages) with one
process and with --jobs processes, to show what rendering in parallel gains.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

from compendium import LANGUAGES
from compendium.printing.assembly import BuildInfo
from compendium.source.loader import load
from compendium.source.packs import load_packs
from compendium.source.tree import DirTree, missing_docs

TARGET_PAGES_PER_SECOND = 10.0


def _one(docs: str, lang: str, out: str, queue: multiprocessing.Queue) -> None:
    """In a fresh process: build the compendium in ``lang``; report pages, seconds, peak MB."""
    from compendium.printing.pdf import Job, build

    comp, _ = load(DirTree(docs))
    start, cpu = time.perf_counter(), time.process_time()
    [result] = build(comp, [Job(lang)], BuildInfo(commit="bench"), Path(docs), Path(out), workers=1)
    queue.put(
        (result.pages, time.perf_counter() - start, time.process_time() - cpu, result.peak_rss_mb)
    )


def bench_language(docs: str, lang: str, runs: int) -> tuple[int, float, float, float]:
    ctx = multiprocessing.get_context("spawn")  # fresh interpreter: cold caches, honest memory
    best: tuple[int, float, float, float] | None = None
    with tempfile.TemporaryDirectory() as out:
        for _ in range(runs):
            queue = ctx.Queue()
            proc = ctx.Process(target=_one, args=(docs, lang, out, queue))
            proc.start()
            result = queue.get()
            proc.join()
            if best is None or result[1] < best[1]:
                best = result
    assert best is not None
    return best


def bench_all(docs: str, jobs: int) -> list[tuple[int, int, float]]:
    """Wall-clock seconds of the whole PDF build with 1 and with ``jobs`` processes."""
    from compendium.printing.pdf import build, plan

    tree = DirTree(docs)
    comp, _ = load(tree)
    packs, _ = load_packs(tree, comp)
    out = []
    for workers in sorted({1, jobs}):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            results = build(
                comp, plan(packs), BuildInfo(commit="bench"), Path(docs), Path(tmp), workers=workers
            )
            out.append((workers, sum(r.pages for r in results), time.perf_counter() - start))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs", nargs="?", default="docs", help="the docs folder (default: docs)")
    parser.add_argument(
        "--lang", action="append", choices=LANGUAGES, help="only this language (repeatable)"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="runs per language; the fastest counts (default: 3)"
    )
    parser.add_argument(
        "--all", action="store_true", help="also time the whole PDF build, serial and parallel"
    )
    parser.add_argument("--jobs", type=int, default=2, help="processes for --all (default: 2)")
    args = parser.parse_args(argv)
    if problem := missing_docs(args.docs):
        print(problem, file=sys.stderr)
        return 2
    print(
        f"compendium PDF, {os.cpu_count()} CPU(s), best of {args.runs} run(s), target "
        f"{TARGET_PAGES_PER_SECOND:.0f} pages/s"
    )
    print(
        f"{'language':<10} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'peak MB':>8} {'CPU s':>7}"
    )
    slow = False
    for lang in args.lang or LANGUAGES:
        pages, seconds, cpu, peak = bench_language(args.docs, lang, max(1, args.runs))
        rate = pages / seconds if seconds else float("inf")
        slow |= rate < TARGET_PAGES_PER_SECOND
        print(f"{lang:<10} {pages:>6} {seconds:>8.2f} {rate:>8.1f} {peak:>8.0f} {cpu:>7.2f}")
    if args.all:
        print("whole PDF build (compendium and packs, all languages):")
        for workers, pages, seconds in bench_all(args.docs, args.jobs):
            rate = pages / seconds
            print(f"  {workers} process(es): {pages} pages in {seconds:.2f} s ({rate:.1f} pages/s)")
    if slow:
        print(f"below the target of {TARGET_PAGES_PER_SECOND:.0f} pages/s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
