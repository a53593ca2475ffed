"""A bigger seeded fuzz pass over every field of every source file (the harness of
tests/hostile/test_robustness.py): prints the count of every outcome and each failure.

    .venv/bin/python benchmarks/fuzz.py --cases 20000 --seed 1

Exit status 1 when any case ended in a traceback, a hang, a silent acceptance or a
misplaced refusal.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.hostile import fuzzing  # noqa: E402 - after the repository is on the path


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000, help="number of cases (20000)")
    parser.add_argument("--seed", type=int, default=1, help="the random seed (1)")
    parser.add_argument(
        "--limit", type=float, default=fuzzing.TIME_LIMIT, help="seconds per case before a hang"
    )
    parser.add_argument("--show", type=int, default=50, help="failures to print (50)")
    parser.add_argument(
        "--builds", type=int, default=0, help="accepted cases to build with MkDocs too (0)"
    )
    parser.add_argument(
        "--all", action="store_true", help="also run the cases listed in KNOWN_ELSEWHERE"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    counts: Counter[str] = Counter()
    accepted: list[fuzzing.Case] = []
    shown = 0
    slowest = (0.0, "")
    for case in fuzzing.cases(args.seed, args.cases, skip_known=not args.all):
        result = fuzzing.run_case(case, args.limit)
        counts[result.outcome] += 1
        slowest = max(slowest, (result.seconds, case.label()))
        if result.outcome == "accepted":
            accepted.append(case)
        if result.outcome in fuzzing.FAILURES and shown < args.show:
            shown += 1
            print(result)
    elapsed = time.perf_counter() - start
    print(f"seed {args.seed}, {args.cases} cases in {elapsed:.0f} s: {fuzzing.summary(counts)}")
    print(f"slowest case: {slowest[0]:.2f} s ({slowest[1]})")
    failed_builds = _builds(accepted, args.builds, args.seed)
    if fuzzing.KNOWN_ELSEWHERE and not args.all:
        print(f"not run: {len(fuzzing.KNOWN_ELSEWHERE)} patterns of KNOWN_ELSEWHERE")
    return 1 if failed_builds or any(counts[name] for name in fuzzing.FAILURES) else 0


def _builds(accepted: list[fuzzing.Case], count: int, seed: int) -> int:
    """Build ``count`` of the accepted cases; print and count those that fail."""
    if not count:
        return 0
    failed = 0
    sample = random.Random(seed).sample(accepted, min(count, len(accepted)))
    with tempfile.TemporaryDirectory() as tmp:
        for case in sample:
            why = fuzzing.build_case(case, Path(tmp))
            if why is not None:
                failed += 1
                print(f"build: {case.describe()}: {why}")
    print(f"built {len(sample)} accepted cases: {failed} failed")
    return failed


if __name__ == "__main__":
    sys.exit(main())
