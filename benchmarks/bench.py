"""The scale benchmark suite: every figure of the 4,000-article benchmark next to its target.

Generates the benchmark compendium of benchmarks/bench_site.py (100 regulations x
40 articles x 2 languages, two onboarding packs) as a project of its own and
measures, on this machine:

- site: a clean `mkdocs build` against plain mkdocs-material + i18n (ratio);
- build: a clean `make site` (site and every PDF), wall-clock time and the peak
  memory of the whole process tree (PSS, sampled from /proc every 50 ms);
- incremental: the same build again after one article is edited, with the
  cache the first build left; then a clean build of the edited sources into a
  fresh folder with an empty cache, and whether both outputs are byte-identical;
- serve: save -> updated page served by `make serve` (benchmarks/bench_serve.py).

Each figure is printed with its target and "ok" or "MISSED". Times vary with
the load of the machine: the load average is printed with every figure.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_site import PLAIN_YML, build, plain_docs, project_docs  # noqa: E402

EPOCH = "1767225600"  # 2026-01-01: the same date in every build, so outputs compare
EDITED = ("reg-042", "a017")  # the article the incremental build and the preview edit


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    target: float | None  # None: measured, no target
    load: float

    @property
    def ok(self) -> bool:
        return self.target is None or self.value <= self.target

    def line(self) -> str:
        if self.target is None:
            goal, verdict = "(no target)", ""
        else:
            goal, verdict = f"target <= {self.target:g} {self.unit}", "ok" if self.ok else "MISSED"
        return (
            f"{self.name:<46} {self.value:>9.2f} {self.unit:<3} {goal:<18} {verdict:<6} "
            f"(load {self.load:.2f})"
        )


def load_average() -> float:
    return os.getloadavg()[0]


def _tree_memory_kb(root_pid: int) -> tuple[int, int]:
    """The memory of ``root_pid`` and all its descendants, in kB: (PSS, RSS).

    PSS (proportional set size, /proc/PID/smaps_rollup) counts a page shared by
    several processes (a forked worker's copy-on-write pages) once in all, so it
    is what the tree takes from the machine; the sum of RSS counts it in every
    process and is printed beside it.
    """
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/status", encoding="ascii", errors="replace") as fh:
                status = fh.read()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid = int(entry.name)
        children.setdefault(int(fields.get("PPid", "0").strip() or 0), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) if "VmRSS" in fields else 0
    pss_total = rss_total = 0
    todo = [root_pid]
    while todo:
        pid = todo.pop()
        rss_total += rss.get(pid, 0)
        pss_total += _pss_kb(pid, rss.get(pid, 0))
        todo.extend(children.get(pid, []))
    return pss_total, rss_total


def _pss_kb(pid: int, fallback: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return fallback


def run_measured(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """Run ``cmd``; wall-clock seconds and the peak memory (MB) of its whole process
    tree, as PSS and as the sum of RSS."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak_pss = peak_rss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_pss, peak_rss
        while not done.is_set():
            pss, rss = _tree_memory_kb(proc.pid)
            peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(
            f"{' '.join(cmd)} failed in {cwd}:\n{out.decode(errors='replace')[-3000:]}"
        )
    return seconds, peak_pss / 1024, peak_rss / 1024


def make_project(folder: Path, n: int, m: int) -> Path:
    """A copy of the project's build files with the benchmark compendium as docs/."""
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", folder)
    ignore = shutil.ignore_patterns("__pycache__")
    for name in ("hooks", "templates", "scripts"):
        shutil.copytree(ROOT / name, folder / name, ignore=ignore)
    project_docs(folder / "docs", n, m)
    return folder


def edit_article(proj: Path, text: str) -> Path:
    reg, art = EDITED
    path = proj / "docs" / "regulations" / reg / f"{art}.zh-Hant.md"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + text + "\n", encoding="utf-8")
    return path


def differences(a: Path, b: Path) -> list[str]:
    """Paths under ``a`` and ``b`` that are missing on one side or differ in bytes."""
    out: list[str] = []
    files_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    out += [f"only in the incremental build: {p}" for p in sorted(files_a - files_b)]
    out += [f"only in the clean build: {p}" for p in sorted(files_b - files_a)]
    for rel in sorted(files_a & files_b):
        if not filecmp.cmp(a / rel, b / rel, shallow=False):
            out.append(f"differs: {rel}")
    return out


def bench_site_ratio(tmp: Path, n: int, m: int, repeat: int) -> list[Figure]:
    proj = make_project(tmp / "ratio", n, m)
    plain = tmp / "plain"
    plain.mkdir()
    (plain / "mkdocs.yml").write_text(PLAIN_YML, encoding="utf-8")
    plain_docs(plain / "docs", n, m)
    runs_plain, runs_proj = [], []
    for _ in range(max(1, repeat)):  # alternate, so background load hits both alike
        runs_plain.append(build(plain)[0])
        runs_proj.append(build(proj)[0])
    ratio = min(runs_proj) / min(runs_plain)
    print(
        f"  site: plain {', '.join(f'{t:.1f}' for t in runs_plain)} s; "
        f"compendium {', '.join(f'{t:.1f}' for t in runs_proj)} s"
    )
    return [
        Figure("clean site build / plain MkDocs + i18n (ratio)", ratio, "x", 1.3, load_average())
    ]


def bench_builds(tmp: Path, n: int, m: int) -> list[Figure]:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, NO_MKDOCS_2_WARNING="1")
    cmd = [sys.executable, "scripts/build_site.py"]
    proj = make_project(tmp / "build", n, m)
    seconds, pss, rss = run_measured(cmd, proj, env)
    figures = [
        Figure("clean make site (site + all PDFs)", seconds, "s", None, load_average()),
        Figure("peak memory of the clean build (PSS)", pss, "MB", 1024, load_average()),
    ]
    print(f"  clean build: {seconds:.1f} s, peak {pss:.0f} MB PSS ({rss:.0f} MB summed RSS)")
    edit_article(proj, "本條所稱資料，包括紙本及電子檔案。")
    seconds, pss, rss = run_measured(cmd, proj, env)
    figures.append(Figure("make site after a one-article edit", seconds, "s", 15, load_average()))
    print(f"  incremental build: {seconds:.1f} s, peak {pss:.0f} MB PSS ({rss:.0f} MB summed RSS)")
    fresh = tmp / "fresh"
    shutil.copytree(proj, fresh, ignore=shutil.ignore_patterns(".cache", "site", "site.*"))
    run_measured(cmd, fresh, env)
    diff = differences(proj / "site", fresh / "site")
    for line in diff[:20]:
        print(f"  {line}")
    figures.append(Figure("files differing from a clean build", len(diff), "", 0, load_average()))
    return figures


def bench_serve_latency(n: int, m: int) -> list[Figure]:
    script = ROOT / "benchmarks" / "bench_serve.py"
    if not script.is_file():
        print("  serve: benchmarks/bench_serve.py is not there; skipped")
        return []
    from bench_serve import measure  # type: ignore[import-not-found]

    seconds = measure(n, m)
    return [
        Figure("make serve: save -> updated page in the browser", seconds, "s", 1.5, load_average())
    ]


PARTS = ("site", "build", "serve")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regulations", type=int, default=100)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3, help="site builds of each kind (ratio)")
    parser.add_argument(
        "--only", action="append", choices=PARTS, help="run only this part (repeatable)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated projects")
    args = parser.parse_args(argv)
    parts = args.only or list(PARTS)
    n, m = args.regulations, args.articles
    print(
        f"benchmark: {n} regulations x {m} articles x 2 languages ({n * m * 2} article texts), "
        f"{os.cpu_count()} cores, load {load_average():.2f}"
    )
    tmp = Path(tempfile.mkdtemp(prefix="bench-suite-"))
    figures: list[Figure] = []
    try:
        if "site" in parts:
            figures += bench_site_ratio(tmp, n, m, args.repeat)
        if "build" in parts:
            figures += bench_builds(tmp, n, m)
        if "serve" in parts:
            figures += bench_serve_latency(n, m)
    finally:
        if args.keep:
            print(f"projects kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print()
    for fig in figures:
        print(fig.line())
    missed = [f.name for f in figures if not f.ok]
    print(f"{len(figures) - len(missed)} of {len(figures)} figures within their targets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
