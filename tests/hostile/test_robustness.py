"""Every field of every source file, mutated: each case is accepted (and then builds) or
refused with problems naming the file; never a traceback, a hang or a silent acceptance
of what README refuses (the fuzzer and its oracle: ``tests/hostile/fuzzing.py``; a
bigger pass: ``benchmarks/fuzz.py``)."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from compendium.source.checks import validate
from compendium.source.tree import MemoryTree
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
    assert {"role page", "page", "other yaml"} <= kinds
    every = set(fuzzing.targets(files))
    # KNOWN_ELSEWHERE set aside: some fields (review_every, a role page's role) have only such cases
    mutated = {case.target for case in fuzzing.cases(SEED, CASES, files, skip_known=False)}
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
            assert fuzzing.build_case(result.case, tmp_path) is None, result.case.describe()


ALPHA = "regulations/alpha"
FINDINGS = [
    # (file, text replaced, replacement, the message expected on the replacement's line)
    (f"{ALPHA}/index.md", "code: A-01", "code:", r"field 'code' has no value"),
    (
        f"{ALPHA}/index.md",
        "title: {zh-Hant: 甲管理制度, en: Alpha Management Regulation}",
        "title: null",
        r"field 'title' has no value",
    ),
    (
        f"{ALPHA}/index.md",
        "title_short: {zh-Hant: 甲制度, en: Alpha Regulation}",
        "title_short: 2026",
        r"field 'title_short' must give the text per language",
    ),
    (
        f"{ALPHA}/index.md",
        "title_short: {zh-Hant: 甲制度,",
        "title_short: {zh-Hant: [甲],",
        r"field 'title_short' \(zh-Hant\) must be text, got a list",
    ),
    (
        f"{ALPHA}/index.md",
        "title_short: {zh-Hant: 甲制度,",
        "title_short: {zh-Hant: null,",
        r"field 'title_short' \(zh-Hant\) has no value",
    ),
    (
        f"{ALPHA}/index.md",
        "last_reviewed: 2026-01-01",
        "last_reviewed: 2026-05-17T10:30:00",
        r"field 'last_reviewed' must be a valid date .* got the timestamp 2026-05-17 10:30:00 "
        r"\(expected the day alone, without a time: 2026-05-17\)",
    ),
    (
        f"{ALPHA}/index.md",
        "effective: 2026-03-01",
        "effective: 2026-03-01 08:00:00Z",
        r"field 'effective' must be a valid date .* got the timestamp",
    ),
    (
        f"{ALPHA}/index.md",
        "{id: old-rule, repealed: 2026-02-01}",
        "{id: old-rule, repealed: null}",
        r"'repealed' has no value",
    ),
    (
        f"{ALPHA}/index.md",
        "{id: old-rule, repealed: 2026-02-01}",
        "{id: old-rule, repealed: 2026-02-01T00:00:00}",
        r"'repealed' must be a valid date .* got the timestamp",
    ),
    (
        f"{ALPHA}/index.md",
        "  file: alpha-source.txt",
        "  file: 7",
        r"'source.file' must be text, got the number 7",
    ),
    (
        f"{ALPHA}/index.md",
        "  file: alpha-source.txt",
        "  files: a.txt",
        r"unknown field 'files' \(expected one of: file, truncated\)",
    ),
    (
        f"{ALPHA}/index.md",
        "  truncated: {zh-Hant: 原文至第五條止。, en: The source ends at Article 5.}",
        "  truncated: {}",
        r"'source.truncated' must be text, or text per language",
    ),
    (
        f"{ALPHA}/backup.zh-Hant.md",
        'release: "2026.1"',
        "release: 2026.1",
        r"a history release must be text, got the number 2026.1",
    ),
    (
        f"{ALPHA}/backup.zh-Hant.md",
        "note: 首次發布。",
        "note: 12",
        r"a history note must be text, or text per language, got the number 12",
    ),
    (
        f"{ALPHA}/backup.zh-Hant.md",
        "formerly: [daily-backup]",
        "formerly: daily-backup",
        r"field 'formerly' must be a list of earlier ids, got 'daily-backup'",
    ),
    (
        f"{ALPHA}/backup.zh-Hant.md",
        "formerly: [daily-backup]",
        "formerly: [Daily]",
        r"invalid earlier article id 'Daily'",
    ),
    (
        f"{ALPHA}/backup.zh-Hant.md",
        "roles: [ops-dept]",
        "roles: {}",
        r"field 'roles' must be a list of role ids",
    ),
    (
        f"{ALPHA}/backup.en.md",
        "translates: 3f2a9c1b0d4e",
        "translates: no-such-id",
        r"field 'translates' must be the hash 'make stamp' writes",
    ),
    (
        f"{ALPHA}/backup.en.md",
        "duties:\n  ops-dept: Responsible for the daily data backup, kept under [[retention]].",
        "duties: []",
        r"field 'duties' must map role ids",
    ),
    (
        "glossary.yml",
        "{zh-Hant: 數據, en: data}",
        "{zh-Hant: true, en: data}",
        r"the zh-Hant term must be text, got true/false",
    ),
    ("glossary.yml", "  - zh-Hant: 備份", "  - zh-Hant:", r"field 'zh-Hant' has no value"),
    (
        "glossary.yml",
        'note: "備份數據 = back up data."',
        "note: {a: b}",
        r"a note must be text, got a mapping",
    ),
    (
        "glossary.yml",
        '{en: copy, note: "Where a single file is meant."}',
        "{en: {a: copy}, note: x}",
        r"a sense's 'en' must be text, got a mapping",
    ),
    (
        "roles.yml",
        "aliases: {zh-Hant: [運營部], en: [operations]}",
        'aliases: ""',
        r"'aliases' must map each language \(zh-Hant, en\) to a list of names, got ''",
    ),
    (
        "roles.yml",
        "aliases: {zh-Hant: [全部員工], en: [all employees]}",
        "aliases: []",
        r"'aliases' must map each language \(zh-Hant, en\) to a list of names, got a list",
    ),
    (f"{ALPHA}/contacts.yml", "phone: '1234'", 'phone: "\\u202e1234"', r"bidirectional control"),
    (f"{ALPHA}/contacts.yml", "phone: '1234'", "phone: [1234", r"malformed YAML"),
    (
        "packs.yml",
        "        chapters: [data]",
        "        chapters: [{a: b}]",
        r"unknown chapter a mapping in regulation 'alpha'",
    ),
    (
        "packs.yml",
        "        title: {zh-Hant: 數據管理, en: Data Management}",
        "        title:",
        r"field 'title' has no value",
    ),
]


@pytest.mark.parametrize(
    ("rel", "old", "new", "expected"),
    FINDINGS,
    ids=[f"{rel.rsplit('/', 1)[-1]}:{new.strip()[:24]}" for rel, _, new, _ in FINDINGS],
)
def test_what_the_fuzzer_found_is_refused_clearly(rel, old, new, expected):
    files = fuzzing.base_files()
    assert old in files[rel]
    files[rel] = files[rel].replace(old, new, 1)
    line = files[rel][: files[rel].index(new)].count("\n") + 1  # the problem is on that line
    errors = _errors(files)
    assert any(re.match(rf"docs/{re.escape(rel)}:{line}: {expected}", e) for e in errors), errors
