"""Benchmark the PDFs: pages, seconds, pages per second and peak memory per language,
and a cold build in parts against rendering every document whole.

Every run is made in a fresh process (so the peak memory is that of one build,
fonts and all, and nothing is cached), --runs times; the fastest run is
reported, with the CPU seconds it used, its worker processes included (less
sensitive than wall-clock time to other load on the machine).

The per-language figures are those of the compendium made as ``make pdf`` makes
it (in parts, joined) with one process. With --all the whole PDF build
(compendium and packs, both languages) is timed twice with --jobs processes:
as ``make pdf`` makes it, with an empty cache of parts (the cold build of every
CI run), and with each document rendered whole by WeasyPrint, the reference;
the ratio of the two is checked against decisions/0015-pdf-pipeline.md.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import multiprocessing
import os
import resource
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
TARGET_COLD_RATIO = 1.1  # a cold build in parts, against rendering whole
INFO = BuildInfo(commit="bench")

Figures = tuple[int, float, float, float]  # pages, wall seconds, CPU seconds, peak MB


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _language(docs: str, lang: str, out: str) -> int:
    from compendium.printing.pdf import Job, build

    comp, _ = load(DirTree(docs))
    [result] = build(comp, [Job(lang)], INFO, Path(docs), Path(out), workers=1)
    return result.pages


def _parts(docs: str, jobs: int, out: str) -> int:
    """The whole PDF build as ``make pdf`` makes it, with an empty cache."""
    from compendium.printing.pdf import build, plan

    tree = DirTree(docs)
    comp, _ = load(tree)
    packs, _ = load_packs(tree, comp)
    results = build(comp, plan(packs), INFO, Path(docs), Path(out), workers=jobs)
    return sum(r.pages for r in results)


def _whole(docs: str, jobs: int, out: str) -> int:
    """Every document of the PDF build rendered whole, longest first, ``jobs`` at a time."""
    from compendium import TEMPLATES as DEFAULT_TEMPLATES
    from compendium.printing.pdf import (
        document_of,
        plan,
        render_pdf,
        stage_build_dir,
    )

    tree = DirTree(docs)
    comp, _ = load(tree)
    packs, _ = load_packs(tree, comp)
    with tempfile.TemporaryDirectory() as tmp:
        build_dir = stage_build_dir(Path(docs), Path(tmp))
        base = build_dir.resolve().as_uri() + "/"
        documents = [
            document_of(comp, job, INFO, base, DEFAULT_TEMPLATES, parts=False)
            for job in plan(packs)
        ]
        ctx = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=ctx) as pool:
            futures = [
                pool.submit(render_pdf, d, build_dir, Path(out) / f"{d.name}.pdf")
                for d in documents
            ]
            return sum(f.result().pages for f in futures)


_KINDS = {"language": _language, "parts": _parts, "whole": _whole}


def _run(kind: str, args: tuple[object, ...], queue: multiprocessing.Queue) -> None:
    """In a fresh process: one build of ``kind``; report its figures."""
    with tempfile.TemporaryDirectory() as out:
        start, cpu = time.perf_counter(), _cpu()
        pages = _KINDS[kind](*args, out)  # type: ignore[operator]
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        queue.put((pages, seconds, _cpu() - cpu, peak))


def fastest(kind: str, args: tuple[object, ...], runs: int) -> Figures:
    """The fastest of ``runs`` fresh-process runs of ``kind``."""
    ctx = multiprocessing.get_context("spawn")  # fresh interpreter: cold caches, honest memory
    best: Figures | None = None
    for _ in range(runs):
        queue = ctx.Queue()
        proc = ctx.Process(target=_run, args=(kind, args, queue))
        proc.start()
        result = queue.get()
        proc.join()
        if best is None or result[1] < best[1]:
            best = result
    assert best is not None
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs", nargs="?", default="docs", help="the docs folder (default: docs)")
    parser.add_argument(
        "--lang", action="append", choices=LANGUAGES, help="only this language (repeatable)"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="runs per figure; the fastest counts (default: 3)"
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="also time the whole PDF build: cold in parts against rendering whole",
    )
    parser.add_argument("--jobs", type=int, default=2, help="processes for --all (default: 2)")
    args = parser.parse_args(argv)
    if problem := missing_docs(args.docs):
        print(problem, file=sys.stderr)
        return 2
    runs = max(1, args.runs)
    print(
        f"compendium PDF, {os.cpu_count()} CPU(s), best of {runs} run(s), target "
        f"{TARGET_PAGES_PER_SECOND:.0f} pages/s"
    )
    print(
        f"{'language':<10} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'peak MB':>8} {'CPU s':>7}"
    )
    slow = False
    for lang in args.lang or LANGUAGES:
        pages, seconds, cpu, peak = fastest("language", (args.docs, lang), runs)
        rate = pages / seconds if seconds else float("inf")
        slow |= rate < TARGET_PAGES_PER_SECOND
        print(f"{lang:<10} {pages:>6} {seconds:>8.2f} {rate:>8.1f} {peak:>8.0f} {cpu:>7.2f}")
    if slow:
        print(f"below the target of {TARGET_PAGES_PER_SECOND:.0f} pages/s", file=sys.stderr)
    if args.all:
        return 1 if compare(args.docs, max(1, args.jobs), runs) > TARGET_COLD_RATIO else 0
    return 0


def compare(docs: str, jobs: int, runs: int) -> float:
    """Print the cold build in parts against rendering whole; the ratio of their seconds."""
    print(f"whole PDF build (compendium and packs, all languages), {jobs} process(es):")
    figures = {}
    for _ in range(runs):  # alternated, so that both meet the same load
        for kind in ("whole", "parts"):
            found = fastest(kind, (docs, jobs), 1)
            if kind not in figures or found[1] < figures[kind][1]:
                figures[kind] = found
    for kind, label in (("whole", "rendered whole"), ("parts", "in parts, cold cache")):
        pages, seconds, cpu, _ = figures[kind]
        print(f"  {label:<22} {pages:>5} pages {seconds:>7.2f} s {cpu:>7.2f} CPU s")
    ratio = figures["parts"][1] / figures["whole"][1]
    cpu_ratio = figures["parts"][2] / figures["whole"][2]
    verdict = "met" if ratio <= TARGET_COLD_RATIO else "NOT met"
    print(
        f"  cold build / rendered whole: {ratio:.2f}x seconds, {cpu_ratio:.2f}x CPU seconds "
        f"(target <= {TARGET_COLD_RATIO}x seconds: {verdict})"
    )
    return ratio


if __name__ == "__main__":
    sys.exit(main())
