"""Make variables are data: real ``make`` on a copy of the Makefile whose ``.venv/bin/python``
is a stub that records its arguments and environment. Whatever bytes a variable holds
(``$(shell ...)``, ``$$``, backticks, quotes, newlines, non-ASCII), the command line gets
them unchanged, as one argument ``NAME=value``, or make refuses the variable by name;
nothing runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

# A file any executed payload creates; {m} is replaced by its absolute path.
HOSTILE = [
    "$(shell touch {m})",
    "$$(touch {m})",
    "${{shell touch {m}}}",
    "`touch {m}`",
    "$(eval $$(shell touch {m}))",
    "a$(foreach x,1 2,$(shell touch {m}))",
    "\\$(shell touch {m})",
    '"; touch {m}; echo "',
    "'; touch {m}; echo '",
    "x;touch {m}",
    "$(info {m}) $(MAKE) $@ $< $^ $*",
    "Fee of US$100 ($USD)",
    "$",
    "$$",
    "$$$$",
    "a$",
    "$(",
    ")",
    "${{",
    "\\",
    "a\\",
    "a\\\nb",
    "#x",
    "a # b",
    "%",
    "a\nb",
    "trail ",
    "請假管理辦法 é\u00a0",
    "'\"",
    "x:=y",
    "a=b",
    "$(value ID)",
    "-e",
    "--output={m}",
]

# Every target that takes user variables, with the variables it reads.
TARGETS = {
    "check": ["CHECK_ARGS", "DRIFT"],
    "diff": ["OLD", "NEW", "OUT", "FORMATS", "DIFF_ARGS"],
    "release": ["VERSION", "NOTES", "NOTES_EN", "RELEASE_ARGS"],
    "new-regulation": ["ID", "TITLE", "TITLE_EN", "OWNER", "CODE", "EFFECTIVE"],
    "new-article": ["REG", "ID", "AFTER", "INSERTED", "CAPTION", "CAPTION_EN"],
    "rename": ["OLD", "NEW"],
    "move": ["OLD", "TO", "AFTER"],
    "import": ["SRC", "ID", "IMPORT_ARGS"],
    "stamp": ["STAMP_ARGS"],
    "publish": ["VERSION", "DRAFT", "BRANCH", "NO_PDF", "ALIAS_TYPE"],
    "test-fast": ["PYTEST_ARGS"],
    "verify": ["FILE"],
}

# The stub: records argv and the environment, and runs make once more (as a script
# that calls make would) when asked, so MAKEFLAGS propagation is exercised too.
STUB = """#!{python}
import json, os, subprocess, sys
log = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "log.jsonl")
with open(log, "a", encoding="utf-8") as f:
    f.write(json.dumps({{"argv": sys.argv[1:], "env": dict(os.environ)}}) + "\\n")
if os.environ.get("STUB_SUBMAKE") and os.environ.get("MAKELEVEL") == "1":
    subprocess.run(["make", "-s", os.environ["STUB_SUBMAKE"]], check=False)
"""


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    """A copy of the Makefile with a stub interpreter, its install stamp up to date."""
    p = tmp_path / "proj"
    (p / ".venv" / "bin").mkdir(parents=True)
    (p / "scripts").mkdir()
    shutil.copy(ROOT / "Makefile", p / "Makefile")
    for name in ("requirements.lock", "pyproject.toml"):
        (p / name).write_text("", encoding="utf-8")
        os.utime(p / name, (1_000_000, 1_000_000))
    (p / "scripts" / "sysdeps.sh").write_text("exit 0\n", encoding="utf-8")
    stub = p / ".venv" / "bin" / "python"
    stub.write_text(STUB.format(python=sys.executable), encoding="utf-8")
    stub.chmod(0o755)
    (p / ".venv" / ".installed").touch()
    return p


def _env(**extra: str) -> dict[str, str]:
    # Not the MAKEFLAGS of a make that runs these tests.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    env.pop("STUB_SUBMAKE", None)
    env.update(extra)
    return env


def make(
    proj: Path, *args: str, env: dict[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[str], list[dict]]:
    log = proj / "log.jsonl"
    log.unlink(missing_ok=True)
    result = subprocess.run(
        ["make", "-s", *args],
        cwd=proj,
        env=env if env is not None else _env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    calls = (
        [json.loads(line) for line in log.read_text("utf-8").splitlines()] if log.exists() else []
    )
    return result, calls


def _values(marker: Path, names: list[str], start: int) -> dict[str, str]:
    """A different hostile value for each variable of a target."""
    return {
        name: HOSTILE[(start + i) % len(HOSTILE)].format(m=marker) for i, name in enumerate(names)
    }


def _assert_exact(calls: list[dict], values: dict[str, str], result) -> None:
    assert calls, result.stdout + result.stderr
    for call in calls:
        for word in call["argv"]:
            name = word.partition("=")[0]
            if name in values:  # one argument NAME=value, its bytes unchanged
                assert word == f"{name}={values[name]}", (name, values[name], word)
            else:  # the recipe's own words: no value is spliced into the command
                assert "touch" not in word and "$" not in word, call["argv"]
        for name, value in values.items():
            assert call["env"].get(name) == value, (name, value, call["env"].get(name))


def _passed(calls: list[dict], names: list[str]) -> list[str]:
    """The variables no call received as an argument (DRIFT is read by the recipe's shell)."""
    words = {w.partition("=")[0] for call in calls for w in call["argv"]}
    return [n for n in names if n != "DRIFT" and n not in words]


@pytest.mark.parametrize("target", sorted(TARGETS))
@pytest.mark.parametrize("start", range(0, len(HOSTILE), 3))
def test_command_line_values_reach_the_script_unchanged(proj, tmp_path, target, start):
    marker = tmp_path / "pwned"
    values = _values(marker, TARGETS[target], start)
    result, calls = make(proj, target, *(f"{k}={v}" for k, v in values.items()))
    assert not marker.exists(), result.stdout + result.stderr
    assert result.returncode == 0, result.stderr
    _assert_exact(calls, values, result)
    assert _passed(calls, TARGETS[target]) == []


@pytest.mark.parametrize("value", HOSTILE)
def test_every_hostile_value_alone(proj, tmp_path, value):
    marker = tmp_path / "pwned"
    value = value.format(m=marker)
    result, calls = make(proj, "new-regulation", f"TITLE_EN={value}", "ID=leave")
    assert not marker.exists(), result.stdout + result.stderr
    _assert_exact(calls, {"TITLE_EN": value, "ID": "leave"}, result)


@pytest.mark.parametrize("target", sorted(TARGETS))
@pytest.mark.parametrize("dash_e", [False, True], ids=["env", "make-e"])
def test_environment_values_reach_the_script_unchanged(proj, tmp_path, target, dash_e):
    marker = tmp_path / "pwned"
    values = _values(marker, TARGETS[target], 0)
    args = ["-e", target] if dash_e else [target]
    result, calls = make(proj, *args, env=_env(**values))
    assert not marker.exists(), result.stdout + result.stderr
    assert result.returncode == 0, result.stderr
    _assert_exact(calls, values, result)


def test_make_e_keeps_command_line_values(proj, tmp_path):
    marker = tmp_path / "pwned"
    values = {"CHECK_ARGS": f"$(shell touch {marker})", "NOTES": "a${HOME}b$$"}
    result, calls = make(proj, "-e", "check", *(f"{k}={v}" for k, v in values.items()))
    assert not marker.exists(), result.stderr
    _assert_exact(calls, values, result)


def test_a_make_run_by_a_recipe_gets_the_same_bytes(proj, tmp_path):
    """A parent make passes its command-line variables in MAKEFLAGS; the child's
    Makefile treats them the same way."""
    marker = tmp_path / "pwned"
    values = {"CHECK_ARGS": f"$(shell touch {marker})", "TITLE_EN": "US$100 ($USD) `id` $$"}
    result, calls = make(
        proj, "check", *(f"{k}={v}" for k, v in values.items()), env=_env(STUB_SUBMAKE="check")
    )
    assert not marker.exists(), result.stderr
    assert len(calls) == 2, calls  # the parent's recipe and the child's
    assert calls[1]["env"]["MAKELEVEL"] == "2"
    _assert_exact(calls, values, result)


def test_simple_assignment_on_the_command_line(proj, tmp_path):
    """``VAR:=value`` is expanded by make once, on the command line (that is make's own
    syntax); what it yields is passed on unexpanded."""
    marker = tmp_path / "pwned"
    result, calls = make(proj, "check", f"CHECK_ARGS:=$$(shell touch {marker})")
    assert not marker.exists(), result.stderr
    _assert_exact(calls, {"CHECK_ARGS": f"$(shell touch {marker})"}, result)


@pytest.mark.parametrize(
    ("arg", "named"),
    [
        ("PY=touch {m};", "'PY'"),
        ("SHELL=/bin/sh", "'SHELL'"),
        ("STAMP=x", "'STAMP'"),
        ("SYS_PKGS_SITE=x;touch {m}", "'SYS_PKGS_SITE'"),
        (".SHELLFLAGS=-c touch {m};", "'.SHELLFLAGS'"),
        ("MAKEFILES=x", "'MAKEFILES'"),
        ("mk_drop=$(shell touch {m})", "'mk_drop'"),
        ("_x=1", "'_x'"),
        ("a.b=$(shell touch {m})", "'a.b'"),
        ("a$$b=$(shell touch {m})", "'a$b'"),
        ("é=$(shell touch {m})", "'é'"),
        ("VENV=x;touch {m}", "VENV='x;touch"),
        ("VENV=a b", "VENV='a b'"),
        ("VENV=-x", "VENV='-x'"),
        ("PYTHON=$(shell touch {m})", "PYTHON='$(shell touch"),
        ("PYTHON=python3 -c 'touch'", "PYTHON="),
    ],
)
def test_refused_names_and_paths(proj, tmp_path, arg, named):
    marker = tmp_path / "pwned"
    result, calls = make(proj, "check", arg.format(m=marker))
    assert result.returncode != 0
    assert named in result.stderr, result.stderr
    assert "may not be set" in result.stderr or "not a plain path" in result.stderr
    assert not calls and not marker.exists()


@pytest.mark.parametrize("name", ["PY", "STAMP", "SYS_PKGS_TEST", "VENV", "PYTHON"])
def test_make_e_cannot_splice_the_makefiles_own_variables(proj, tmp_path, name):
    marker = tmp_path / "pwned"
    result, calls = make(proj, "-e", "check", env=_env(**{name: f"x;touch {marker};"}))
    assert result.returncode != 0
    assert name in result.stderr, result.stderr
    assert not calls and not marker.exists()


def test_the_makefiles_own_variables_in_the_environment_without_make_e(proj, tmp_path):
    """Without -e the Makefile's own definitions win: nothing to refuse, nothing spliced."""
    marker = tmp_path / "pwned"
    env = _env(**{n: f"x;touch {marker};" for n in ("PY", "STAMP", "SYS_PKGS_TEST")})
    result, calls = make(proj, "check", env=env)
    assert result.returncode == 0, result.stderr
    assert calls and not marker.exists()


def test_plain_paths_still_work(proj):
    venv = proj / ".venv"
    result, calls = make(proj, "check", f"VENV={venv}", "PYTHON=python3.11")
    assert result.returncode == 0, result.stderr
    assert calls[0]["argv"] == ["scripts/cli.py", "--from-make", "check", "CHECK_ARGS="]


def test_real_scaffold_stores_the_exact_title(tmp_path):
    """End to end with the project's interpreter: the title is stored as typed."""
    proj = tmp_path / "proj"
    proj.mkdir()
    for name in ("Makefile", "requirements.lock", "pyproject.toml"):
        shutil.copy2(ROOT / name, proj / name)  # older than the venv's install stamp
    shutil.copytree(
        ROOT / "scripts", proj / "scripts", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini" / "docs", proj / "docs")
    marker = tmp_path / "pwned"
    title = f"Fee of US$100 ($USD) $(shell touch {marker}) `x` \\ # %"
    run = subprocess.run(
        # --old-file: never re-install into the project's own environment from here
        ["make", "-s", f"--old-file={ROOT / '.venv' / '.installed'}", f"VENV={ROOT / '.venv'}"]
        + ["new-regulation", "ID=fees", "TITLE=收費辦法"]
        + [f"TITLE_EN={title}", "OWNER=ops-dept"],
        cwd=proj,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert not marker.exists()
    manifest = proj / "docs" / "regulations" / "fees" / "index.md"
    assert manifest.exists(), run.stdout + run.stderr
    meta = yaml.safe_load(manifest.read_text("utf-8").split("---\n")[1])
    assert meta["title"]["en"] == title, meta


# -- validating patterns match the whole value ------------------------------------

# Every str literal in compendium/, scripts/ and hooks/ that ends in an unescaped `$`
# (Python's `$` also matches before a final newline). Allowed only where a pattern
# reads one line of text (split, so without its newline) or searches inside text,
# never where it validates a whole value: those end in \Z or use fullmatch.
LINE_PARSERS = {
    "compendium/changes/releases.py": 1,  # section headings of tag messages, per line
    "compendium/editing/yamlrt.py": 1,  # a comment at the end of one YAML line
    "compendium/importer/captions.py": 5,  # captions of imported paragraphs
    "compendium/importer/clean.py": 16,  # scraped page furniture, per line
    "compendium/importer/doc.py": 1,  # a repealed article's text
    "compendium/importer/references.py": 2,  # text before a reference
    "compendium/source/rolementions.py": 1,  # protected spans, re.M
}


def _dollar_literals() -> dict[str, int]:
    import ast
    import re

    end = re.compile(r"(?<!\\)\$\Z")
    counts: dict[str, int] = {}
    for base in ("compendium", "scripts", "hooks"):
        for path in sorted((ROOT / base).rglob("*.py")):
            tree = ast.parse(path.read_text("utf-8"))
            parts = {
                id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values
            }
            for node in ast.walk(tree):
                if isinstance(node, ast.JoinedStr):
                    text = "".join(
                        v.value if isinstance(v, ast.Constant) else "{}" for v in node.values
                    )
                elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                    if id(node) in parts:
                        continue
                    text = node.value
                else:
                    continue
                if end.search(text):
                    rel = path.relative_to(ROOT).as_posix()
                    counts[rel] = counts.get(rel, 0) + 1
    return counts


def test_no_validating_pattern_ends_in_dollar():
    assert _dollar_literals() == LINE_PARSERS


def _script(name: str):
    import runpy

    return runpy.run_path(str(ROOT / "scripts" / f"{name}.py"), run_name="check")


def _validators() -> list[tuple[str, object, str]]:
    from compendium import argtypes
    from compendium.changes import git
    from compendium.numbering import xref
    from compendium.source import fields, layout

    return [
        ("ID_RE", fields.ID_RE, "leave-policy"),
        ("VERSION_RE", git.VERSION_RE, "2026.12"),
        ("RELEASE_RE", git.RELEASE_RE, "release/2026.2"),
        ("ARTICLE_FILE_RE", layout.ARTICLE_FILE_RE, "scope.zh-Hant.md"),
        ("_DATE_RE", fields._DATE_RE, "2026-03-01"),
        ("ARTICLE_RE", argtypes.ARTICLE_RE, "alpha/scope"),
        ("FILE_PATH_RE", argtypes.FILE_PATH_RE, "notes.md"),
        ("CODE_RE", argtypes.CODE_RE, "HR-02"),
        ("_TARGET_RE", xref._TARGET_RE, "alpha/scope"),
        ("BRANCH_RE", _script("publish")["BRANCH_RE"], "gh-pages"),
    ]


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\n\n", "\x00"])
def test_validators_refuse_a_trailing_newline(ending):
    for name, pattern, valid in _validators():
        assert pattern.fullmatch(valid), name
        for method in ("match", "search", "fullmatch"):
            assert getattr(pattern, method)(valid + ending) is None, (name, method, ending)


def test_versions_and_dates_take_ascii_digits_only():
    import argparse

    from compendium import argtypes
    from compendium.changes.git import VERSION_RE

    assert not VERSION_RE.match("２０２６.1") and not VERSION_RE.match("٢٠٢٦.1")
    for value in ("２０２６-01-01", "2026-02-30", "20260101"):
        with pytest.raises(argparse.ArgumentTypeError, match="is not a valid date"):
            argtypes.date(value)


def test_schema_patterns_refuse_a_trailing_newline():
    """The JSON Schemas are validated with Python (re.search) and read by editors (ECMA)."""
    import re

    from compendium.source.schema import all_schemas

    def patterns(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "pattern" and isinstance(value, str):
                    yield value
                else:
                    yield from patterns(value)
        elif isinstance(node, list):
            for value in node:
                yield from patterns(value)

    samples = ["leave-policy", "2026-03-01", "alpha/scope", "0123456789ab", "scope", "2026.1"]
    samples += ["sha256:" + "0" * 64, "0" * 40]  # a release record's digest and commit
    found = {p for s in all_schemas().values() for p in patterns(s)}
    whole = [p for p in found if p.startswith("^") and p.endswith(("$", "$(?!\\n)"))]
    assert whole, found
    for p in whole:
        ok = [s for s in samples if re.search(p, s)]
        assert ok, p
        for s in ok:
            assert not re.search(p, s + "\n"), (p, s)


@pytest.mark.parametrize(
    ("target", "variables", "named"),
    [
        ("import", {"SRC": "a.txt", "ID": "leave\n"}, "ID="),
        ("release", {"VERSION": "2026.2\n"}, "VERSION="),
        ("diff", {"OLD": "2026.1", "NEW": "WORKTREE", "OUT": "build/x\n"}, "OUT="),
        ("stamp", {"STAMP_ARGS": "--only 'alpha/scope\n'"}, "STAMP_ARGS"),
        ("import", {"SRC": "a.txt", "ID": "x", "IMPORT_ARGS": "--code 'HR-1\n'"}, "IMPORT_ARGS"),
        ("import", {"SRC": "a.txt\n", "ID": "x"}, "SRC"),
    ],
)
def test_make_variables_with_a_trailing_newline_are_refused(target, variables, named):
    cli = _script("cli")
    with pytest.raises(cli["Refused"], match=f"^{named}"):
        cli["arguments"](target, variables)


def test_an_article_file_name_with_a_newline_is_refused(tmp_path):
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini" / "docs", tmp_path / "docs")
    folder = tmp_path / "docs" / "regulations" / "alpha"
    (folder / "scope.zh-Hant.md").rename(folder / "scope\n.zh-Hant.md")
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check.py"), "docs"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    assert (
        "docs/regulations/alpha/scope[U+000A].zh-Hant.md:1: "
        "invalid article id 'scope[U+000A]' in the file name"
    ) in run.stdout + run.stderr


def test_a_pack_id_with_a_newline_is_refused(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini" / "docs", docs)
    (docs / "packs.yml").write_text(
        'packs:\n  - id: "ops\\n"\n    title: {zh-Hant: 入職, en: Onboarding}\n'
        "    roles: [ops-dept]\n    contents: [general-provisions]\n",
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check.py"), "docs"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = run.stdout + run.stderr
    assert run.returncode != 0 and "Traceback" not in out
    assert "docs/packs.yml:2: invalid pack id" in out, out


# -- user values reach git after --end-of-options ------------------------------------


@pytest.fixture
def repo(tmp_path: Path):
    from compendium.changes.git import GitRepo

    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    root = tmp_path / "repo"
    root.mkdir()
    (root / "docs").mkdir()
    (root / "docs" / "a.md").write_text("a\n", encoding="utf-8")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "one"]):
        subprocess.run(git + args, cwd=root, env=env, check=True, capture_output=True)
    return GitRepo(root)


HOSTILE_REFS = ["--output={m}", "--force", "-b", "--help", "--sort=x"]


def test_every_git_call_puts_user_values_after_end_of_options(repo, monkeypatch, tmp_path):
    """Each method that hands git a revision or a name puts --end-of-options first."""
    from compendium.changes.git import END_OF_OPTIONS, GitRepo
    from compendium.site import publish

    calls: list[tuple[str, ...]] = []
    real = GitRepo._git

    def spy(self, *args, **kw):
        calls.append(args)
        return real(self, *args, **kw)

    monkeypatch.setattr(GitRepo, "_git", spy)
    marker = tmp_path / "pwned"
    head = repo.resolve("HEAD")
    for value in [v.format(m=marker) for v in HOSTILE_REFS]:
        attempts = [
            lambda v=value: repo.ls_tree(v, "docs"),
            lambda v=value: repo.is_ancestor(v, head),
            lambda v=value: repo.tag(v, head, "x"),
            lambda v=value: repo.resolve(v),
            lambda v=value: repo.git("show", "-s", END_OF_OPTIONS, v),
        ]
        for attempt in attempts:
            calls.clear()
            try:
                attempt()
            except Exception:  # noqa: BLE001 - git refuses the unknown revision
                pass
            assert calls
            for args in calls:
                if value in args:
                    assert END_OF_OPTIONS in args[: args.index(value)], args
        assert not marker.exists()
        assert not repo.is_ancestor(value, head)
    # the methods that resolve first pass git the hash, after --end-of-options too
    calls.clear()
    repo.commit_date("HEAD")
    repo.file_log("docs/a.md")
    assert all(END_OF_OPTIONS in a for a in calls if a[0] in ("show", "log")), calls
    # publishing: the worktree of a ref
    calls.clear()
    monkeypatch.setattr(publish, "_run", lambda *a, **k: None)
    with pytest.raises(Exception):  # noqa: B017, PT011 - git: unknown revision '--force'
        publish.build_ref(repo, "--force", tmp_path / "site", pdf=False, log=lambda s: None)
    add = [a for a in calls if a[:2] == ("worktree", "add")]
    assert add and END_OF_OPTIONS in add[0][: add[0].index("--force")], add


def test_a_ref_that_looks_like_an_option_is_never_one(repo, tmp_path):
    from compendium.changes.git import GitError

    marker = tmp_path / "x"
    for call in (
        lambda: repo.ls_tree(f"--output={marker}", "docs"),
        lambda: repo.tag("--force", repo.resolve("HEAD"), "m"),
        lambda: repo.git("log", "--format=%H", "--end-of-options", f"--output={marker}"),
    ):
        with pytest.raises(GitError):
            call()
    assert not marker.exists()
    assert repo.git("tag", "--list") == ""
