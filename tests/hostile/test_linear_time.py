"""Every checker and parser reads its input in time linear in its length (issue 32, item 12).

Each case times one reader on an input of size n and of size 4n (best of three). Linear
time makes the second about 4 times the first, quadratic 16 times; a case fails above 8.
The cases run in one child process with a hard timeout, so a regression fails instead of
hanging the suite; the child prints each case as it finishes, so a timeout names the case
that did not. The size limits themselves (``compendium.source.limits``) are tested at the
documented numbers and one above.
"""

from __future__ import annotations

import gc
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from compendium.source.checks import validate
from compendium.source.limits import MAX_PARAGRAPH_BRACKETS, MAX_PARAGRAPH_CHARS
from compendium.source.tree import MemoryTree
from tests.conftest import FIXTURES, ROOT

MINI = FIXTURES / "mini" / "docs"
ARTICLE = "regulations/alpha/scope.zh-Hant.md"
TIMEOUT = 120  # seconds for every case together; all of them take about 5


def _mini_with(body: str) -> MemoryTree:
    """The mini fixture in memory, ``body`` appended to one article."""
    files = {
        p.relative_to(MINI).as_posix(): p.read_text("utf-8")
        for p in sorted(MINI.rglob("*"))
        if p.is_file()
    }
    files[ARTICLE] += "\n" + body + "\n"
    return MemoryTree(files)


def _check(body: str) -> Callable[[], object]:
    tree = _mini_with(body)
    return lambda: validate(tree)


def _import(text: str, lang: str = "zh-Hant") -> Callable[[], object]:
    from compendium.importer import ImportFailure, ImportOptions, import_text, parse_text

    def run() -> object:
        if lang != "zh-Hant":
            return parse_text(text, lang=lang)
        try:
            return import_text(text, ImportOptions(reg_id="x"))
        except ImportFailure as exc:  # "no articles found" is an answer too
            return exc

    return run


def _roles(text: str) -> Callable[[], object]:
    from compendium.source.model import Role
    from compendium.source.rolementions import RoleMatcher

    role = Role("ops", "department", {"zh-Hant": "運營部門"}, {"zh-Hant": ["運營"]}, None)
    matcher = RoleMatcher.build({"ops": role}, "zh-Hant")
    return lambda: matcher.find(text)


def _policy(text: str) -> Callable[[], object]:
    from compendium.source.htmlpolicy import text_problems

    return lambda: list(text_problems(text))


def _terms(value: str) -> Callable[[], object]:
    from compendium.source.terminology import paragraphs, variants

    return lambda: (variants(value), paragraphs(value, 1))


def _redline(old: str, new: str) -> Callable[[], object]:
    from compendium.changes.redline import compare, tokenize

    a, b = (tokenize(t, style="chapter-article", lang="zh-Hant") for t in (old, new))
    return lambda: compare(a, b)


def _at_limit_paragraphs(count: int) -> str:
    """``count`` paragraphs of 2,000 characters, each with as many unclosed links as the
    bracket limit allows: the slowest text Markdown may be given, per paragraph."""
    head = "[a](" * MAX_PARAGRAPH_BRACKETS
    para = head + "字" * (2_000 - len(head))
    return "\n\n".join([para] * count)


# name -> (n, the reader on an input of size n); every input stays valid UTF-8 text.
CASES: dict[str, tuple[int, Callable[[int], Callable[[], object]]]] = {
    "import: 一、 x n on one line": (4_000, lambda n: _import("第一條 總則\n" + "一、" * n)),
    "import: 一  x n (numerals and spaces)": (50_000, lambda n: _import("一 " * n + "\n")),
    "import: 。一、 x n": (3_000, lambda n: _import("第一條 總則\n" + "。一、" * n)),
    "import: English labels x n": (3_000, lambda n: _import("Article 1 " * n, "en")),
    "check: [ x n in an article": (50_000, lambda n: _check("[" * n)),
    "check: [a]( x n in an article": (12_000, lambda n: _check("[a](" * n)),
    "check: role name x n without a sentence end": (10_000, lambda n: _check("運營部門" * n)),
    "check: paragraphs at the bracket limit": (2, lambda n: _check(_at_limit_paragraphs(n))),
    "roles: unclosed links, cross references and tags": (
        20_000,
        lambda n: _roles("[a](" * n + "[[" * n + "<a" * n + "運營部門"),
    ),
    "policy: distinct unsafe links, one a paragraph": (
        300,
        lambda n: _policy("\n\n".join(f"[a](javascript:{i})" for i in range(n))),
    ),
    "policy: autolinks between tags": (5_000, lambda n: _policy("<a@b.c><x" * n)),
    # beyond redline.MAX_DIFF_WORK (below it, difflib's own time is what the bound allows)
    "diff: two unrelated long texts": (
        12_000,
        lambda n: _redline("甲乙丙丁" * (n // 4), "戊己庚辛" * (n // 4)),
    ),
    "diff: every paragraph replaced": (
        6_000,
        lambda n: _redline("甲。\n\n" * (n // 2), "乙。\n\n" * (n // 2)),
    ),
    "terminology: unclosed parentheses, spaces, paragraphs": (
        5_000,
        lambda n: _terms("(" * n + " " * n + " /" * n + "a\n\n" * n),
    ),
}


def _best(run: Callable[[], object]) -> float:
    """The best of three runs, without the garbage collector (whose passes over a heap
    of many new objects would add time that is not the reader's)."""
    times = []
    for _ in range(3):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return min(times)


def measure(names: list[str]) -> None:
    """Print ``name<TAB>seconds at n<TAB>seconds at 4n`` for each case, as it finishes."""
    for name in names:
        n, reader = CASES[name]
        small, large = reader(n), reader(4 * n)  # inputs built before the clock starts
        print(f"{name}\t{_best(small):.6f}\t{_best(large):.6f}", flush=True)


@pytest.fixture(scope="module")
def timings() -> dict[str, tuple[float, float]]:
    names = list(CASES)
    code = f"from tests.hostile.test_linear_time import measure; measure({names!r})"
    try:
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        out, err = result.stdout, result.stderr
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        err = f"timed out after {TIMEOUT} s"
    found = {}
    for line in out.splitlines():
        name, small, large = line.split("\t")
        found[name] = (float(small), float(large))
    missing = [n for n in names if n not in found]
    assert not missing, f"{missing[0]!r} did not finish: {err[-2000:]}"
    return found


@pytest.mark.parametrize("name", list(CASES))
def test_time_grows_linearly(timings, name):
    small, large = timings[name]
    assert large <= 8 * small + 0.05, (
        f"{name}: {small:.3f} s at n, {large:.3f} s at 4n (linear: about 4 times)"
    )


def _errors(body: str) -> list[str]:
    _, problems = validate(_mini_with(body))
    return [str(p) for p in problems.errors]


def _article_line(offset: int) -> int:
    """The line in the article of the ``offset``-th line of an appended body."""
    return len((MINI / ARTICLE).read_text("utf-8").split("\n")) + 1 + offset


def test_paragraph_at_the_character_limit_passes_and_one_more_is_refused():
    para = "字" * (MAX_PARAGRAPH_CHARS - 1) + "。"
    assert not [e for e in _errors("前段。\n\n" + para) if "a paragraph" in e]
    errors = _errors("前段。\n\n" + para + "\n續")  # one line more: 20,002 with its break
    assert (
        f"docs/{ARTICLE}:{_article_line(2)}: a paragraph of {MAX_PARAGRAPH_CHARS + 2:,} "
        f"characters (expected at most {MAX_PARAGRAPH_CHARS:,}" in "\n".join(errors)
    )


def test_one_line_over_the_limit_is_refused():
    errors = _errors("長" * (MAX_PARAGRAPH_CHARS + 1))
    assert any(
        f":{_article_line(0)}: a paragraph of {MAX_PARAGRAPH_CHARS + 1:,} characters" in e
        for e in errors
    ), errors


def test_brackets_at_the_limit_pass_and_one_more_is_refused():
    links = "[甲](https://example.com/)" * MAX_PARAGRAPH_BRACKETS
    assert not [e for e in _errors(links) if "'['" in e]
    errors = _errors(links + "[乙")
    assert any(
        f":{_article_line(0)}: a paragraph with {MAX_PARAGRAPH_BRACKETS + 1} '[' (expected "
        f"at most {MAX_PARAGRAPH_BRACKETS} besides cross references" in e
        for e in errors
    ), errors


@pytest.mark.parametrize(
    "body",
    [
        "依[[backup]]辦理。" * (MAX_PARAGRAPH_BRACKETS * 2),
        "\\[註\\]" * (MAX_PARAGRAPH_BRACKETS + 1),
    ],
)
def test_cross_references_and_escaped_brackets_are_not_counted(body):
    assert not [e for e in _errors(body) if "'['" in e]


def test_an_escaped_backslash_does_not_hide_a_bracket():
    errors = _errors("\\\\[" * (MAX_PARAGRAPH_BRACKETS + 1))
    assert any(f"a paragraph with {MAX_PARAGRAPH_BRACKETS + 1} '['" in e for e in errors), errors


REFUSE = """
from tests.hostile.test_linear_time import _errors
for body in ("[" * 190_000, "[a](" * 45_000):
    print(sum("a paragraph with" in e for e in _errors(body)), flush=True)
"""


def test_hostile_bodies_of_the_issue_are_refused_quickly():
    """190,000 '[' took 3.5 minutes in make check; 45,000 '[a](' never finished."""
    result = subprocess.run(
        [sys.executable, "-c", REFUSE], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["1", "1"], result.stderr[-2000:]


def test_every_limit_is_in_the_readme():
    from compendium.source import limits

    readme = (ROOT / "README.md").read_text("utf-8")
    for name in limits.__all__:
        value = getattr(limits, name)
        if isinstance(value, int):
            assert f"{value:,}" in readme, f"{name} = {value:,} is not documented in README"
    assert Path(limits.__file__).name in (ROOT / "decisions" / "0008-threat-model.md").read_text(
        "utf-8"
    )
