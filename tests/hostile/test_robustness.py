"""Every field of every source file, mutated: each case is accepted (and then builds) or
refused with problems naming the file; never a traceback, a hang or a silent acceptance
of what README refuses (the fuzzer and its oracle: ``tests/hostile/fuzzing.py``; a
bigger pass: ``benchmarks/fuzz.py``)."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from compendium.source.checks import validate
from compendium.source.tree import MemoryTree
from tests.conftest import make_project, mkdocs_build
from tests.hostile import fuzzing
from tests.hostile.fuzzing import Case, Result, Target

SEED = 32
CASES = 1500
BUILDS = {"accepted": 10, "refused": 10}


@pytest.fixture(scope="module")
def fuzz_pass() -> tuple[Counter[str], list[Result]]:
    counts, results = fuzzing.run(SEED, CASES)
    print(f"\nfuzz pass, seed {SEED}, {CASES} cases: {fuzzing.summary(counts)}")
    return counts, results


def _errors(files: dict[str, str]) -> list[str]:
    return [str(p) for p in validate(MemoryTree(files), as_of=fuzzing.AS_OF)[1].errors]


def test_the_fixture_is_valid_and_written_back_as_it_was_read():
    files = fuzzing.base_files()
    assert _errors(files) == []
    for rel in sorted(files):
        src = fuzzing.read_source(rel, files[rel])
        again = dict(files, **{rel: src.text(src.data)})
        assert _errors(again) == [], rel
        assert fuzzing.read_source(rel, again[rel]).data == src.data, rel


def test_every_field_of_every_file_is_mutated():
    files = fuzzing.base_files()
    kinds = {fuzzing.kind_of(rel) for rel in files}
    assert {"manifest", "article.zh-Hant", "article.en", "roles", "glossary", "packs"} <= kinds
    assert {"role page", "page"} <= kinds
    every = set(fuzzing.targets(files))
    mutated = {case.target for case in fuzzing.cases(SEED, CASES, files)}
    assert every - mutated == set()


def test_no_traceback_hang_or_silent_acceptance(fuzz_pass):
    counts, results = fuzz_pass
    failed = [r for r in results if r.outcome in fuzzing.FAILURES]
    assert not failed, f"{fuzzing.summary(counts)}\n" + "\n".join(map(str, failed[:20]))
    assert counts["refused"] > CASES // 2 and counts["accepted"] > 0, fuzzing.summary(counts)


def _case(files: dict[str, str], reason: str | None) -> Case:
    return Case(0, Target("file", "roles.yml"), "by hand", files, reason)


def test_the_outcomes_can_fail():
    files = fuzzing.base_files()
    assert fuzzing.run_case(_case(files, "README refuses it")).outcome == "silent acceptance"
    assert fuzzing.run_case(_case(files, None)).outcome == "accepted"
    broken = dict(files, **{"roles.yml": None})  # the validator cannot read this
    assert fuzzing.run_case(_case(broken, None)).outcome == "traceback"  # type: ignore[arg-type]
    assert fuzzing.run_case(_case(files, None), limit=1e-6).outcome == "hang"
    elsewhere = dict(files, **{"packs.yml": files["packs.yml"].replace("ops-dept,", "nobody,")})
    assert fuzzing.run_case(_case(elsewhere, "README refuses it")).outcome == "misplaced"


def test_the_oracle_follows_readme():
    reason = fuzzing.refusal_reason
    assert reason("roles/ops-dept.md", "---\ncompendium: role\nrole: ops-dept\n---\n") is None
    assert "one-line" in (
        reason("glossary.yml", 'terms:\n- {zh-Hant: "數\\n據", en: data}\n') or ""
    )
    assert "control" in (reason("roles/index.md", '---\ntitle: "a\\x01"\n---\n') or "")
    assert "schema" in (reason("regulations/beta/intro.en.md", "---\nid: 3\n---\n") or "")
    assert "only" in (reason("index.md", "---\ncompendium: home\nauthor: x\n---\n") or "")
    assert (
        reason("regulations/beta/intro.en.md", '---\nid: intro\ncaption: "2026-02-30"\n---\n')
        is None
    )


@pytest.mark.build
def test_a_sample_builds_as_it_validates(fuzz_pass, tmp_path):
    """Accepted cases build; refused ones stop the build, naming the file."""
    _, results = fuzz_pass
    rng = random.Random(SEED)
    for outcome, count in BUILDS.items():
        pool = [r for r in results if r.outcome == outcome]
        for result in rng.sample(pool, min(count, len(pool))):
            case = result.case
            docs = tmp_path / f"case-{case.number}" / "docs"
            for rel, text in case.files.items():
                (docs / rel).parent.mkdir(parents=True, exist_ok=True)
                (docs / rel).write_text(text, "utf-8", newline="")
            built = mkdocs_build(make_project(docs.parent, docs))
            assert "Traceback" not in built.stderr, (case.describe(), built.stderr[-3000:])
            if outcome == "accepted":
                assert built.returncode == 0, (case.describe(), built.stderr[-3000:])
            else:
                assert built.returncode != 0, case.describe()
                assert f"docs/{case.target.rel}" in built.stderr, (case.describe(), built.stderr)
