"""Make variables are data: real ``make`` on a copy of the Makefile whose ``.venv/bin/python``
is a stub that records its arguments and environment. Whatever bytes a variable holds
(``$(shell ...)``, ``$$``, backticks, quotes, newlines, non-ASCII), the script sees them
unchanged, or make refuses the variable by name; nothing runs."""

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
        # the recipe's own words only: no value is spliced into the command
        assert all("touch" not in a and "$" not in a for a in call["argv"]), call["argv"]
        for name, value in values.items():
            assert call["env"].get(name) == value, (name, value, call["env"].get(name))


@pytest.mark.parametrize("target", sorted(TARGETS))
@pytest.mark.parametrize("start", range(0, len(HOSTILE), 3))
def test_command_line_values_reach_the_script_unchanged(proj, tmp_path, target, start):
    marker = tmp_path / "pwned"
    values = _values(marker, TARGETS[target], start)
    result, calls = make(proj, target, *(f"{k}={v}" for k, v in values.items()))
    assert not marker.exists(), result.stdout + result.stderr
    assert result.returncode == 0, result.stderr
    _assert_exact(calls, values, result)


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


def test_plain_paths_still_work(proj):
    venv = proj / ".venv"
    result, calls = make(proj, "check", f"VENV={venv}", "PYTHON=python3.11")
    assert result.returncode == 0, result.stderr
    assert calls[0]["argv"] == ["scripts/make_target.py", "check"]


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
        ["make", "-s", f"VENV={ROOT / '.venv'}", "new-regulation", "ID=fees", "TITLE=收費辦法"]
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
