"""Make variables are validated and passed as single arguments: injections create nothing."""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from compendium import argtypes
from tests.conftest import ROOT


def _cli() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cli_under_test", ROOT / "scripts" / "cli.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


cli = _cli()
arguments, Refused = cli.arguments, cli.Refused

ATTACKS = [
    ("diff", {"OLD": '2026.1" ; touch x ; echo "', "NEW": "WORKTREE"}),
    ("diff", {"OLD": "$$(touch x)", "NEW": "WORKTREE"}),
    ("diff", {"OLD": "HEAD", "NEW": 'y";{touch,x};"'}),
    ("release", {"VERSION": "2026.2; touch x"}),
    ("release", {"VERSION": "2026.2", "NOTES": '"; touch x; echo "', "RELEASE_ARGS": "--dry-run"}),
    ("check", {"CHECK_ARGS": "--strict; touch x"}),
    ("check", {"CHECK_ARGS": "--strict", "DRIFT": "1;touch x"}),
    ("stamp", {"STAMP_ARGS": "--dry-run $(touch x)"}),
    ("import", {"SRC": "a.txt; touch x", "ID": "x$(touch x)"}),
]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A git copy of the project (Makefile, scripts, docs), so make never writes into the
    checkout; the checkout's virtual environment is used as it is."""
    proj = tmp_path_factory.mktemp("inject") / "project"
    proj.mkdir()
    for name in ("Makefile", "requirements.lock", "pyproject.toml", "mkdocs.yml"):
        shutil.copy2(ROOT / name, proj / name)  # older than the venv's install stamp
    for name in ("scripts", "docs"):
        shutil.copytree(ROOT / name, proj / name, ignore=shutil.ignore_patterns("__pycache__"))
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "copy"]):
        subprocess.run(git + args, cwd=proj, env=_env(), check=True, capture_output=True)
    return proj


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "MAKE", "MFLAGS"))}


@pytest.mark.parametrize(("target", "variables"), ATTACKS)
def test_injection_creates_nothing(project, target, variables):
    before = sorted(p.name for p in project.iterdir())
    # --old-file: never reinstall into the checkout's environment (its path file would
    # then point at this copy), even when pyproject.toml is newer than its stamp.
    stamp = ROOT / ".venv" / ".installed"
    cmd = ["make", "-s", f"--old-file={stamp}", f"VENV={ROOT / '.venv'}", target]
    cmd += [f"{k}={v}" for k, v in variables.items()]
    result = subprocess.run(
        cmd, cwd=project, env=_env(), capture_output=True, text=True, timeout=300
    )
    created = (project / "x").exists() or (ROOT / "x").exists()
    (project / "x").unlink(missing_ok=True)
    assert not created, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in project.iterdir() if p.name != "build") == [
        n for n in before if n != "build"
    ]


def test_refused_values_name_the_variable():
    with pytest.raises(Refused, match=r"^OLD=.* is not a git ref name"):
        arguments("diff", {"OLD": "a b", "NEW": "WORKTREE", "OUT": "build/diff"})
    with pytest.raises(Refused, match=r"^VERSION='2026\.2; touch x' is not a release version"):
        arguments("release", {"VERSION": "2026.2; touch x"})
    with pytest.raises(Refused, match=r"^CHECK_ARGS: unrecognized arguments: --force"):
        arguments("check", {"CHECK_ARGS": "--force"})
    with pytest.raises(Refused, match=r"^OLD='--output=/var/x' .*starts with '-'"):
        arguments("diff", {"OLD": "--output=/var/x", "NEW": "HEAD", "OUT": "build/diff"})
    with pytest.raises(argparse.ArgumentTypeError, match=r"starts with '-'"):
        argtypes.revision("--output=/var/x")
    with pytest.raises(Refused, match=r"^the following arguments are required: OLD, NEW"):
        arguments("diff", {"OLD": "", "NEW": "", "OUT": "build/diff"})
    with pytest.raises(Refused, match=r"^FORMATS='pdf': unknown format 'pdf'"):
        arguments("diff", {"OLD": "a", "NEW": "b", "OUT": "build/diff", "FORMATS": "pdf"})
    with pytest.raises(Refused, match=r"^CHECK_ARGS=\"'a\": No closing quotation"):
        arguments("check", {"CHECK_ARGS": "'a"})
    with pytest.raises(Refused, match=r"^TITLE is not a variable of this command"):
        arguments("check", {"TITLE": "x"})


@pytest.mark.parametrize(
    ("command", "variables", "what"),
    [
        ("check", {"CHECK_ARGS": "/etc"}, "docs"),
        ("stamp", {"STAMP_ARGS": "--all ../other/docs"}, "docs"),
        ("release", {"RELEASE_ARGS": "--repo /elsewhere --dry-run"}, "repo"),
        ("diff", {"OLD": "a", "NEW": "b", "OUT": "o", "DIFF_ARGS": "--docs=x"}, "docs"),
        ("import", {"SRC": "a.txt", "ID": "x", "IMPORT_ARGS": "--docs /elsewhere/d"}, "docs"),
    ],
)
def test_make_works_on_its_own_checkout(command, variables, what):
    """*_ARGS take the command's options, but not another repository or docs folder."""
    name = next(n for n in variables if n.endswith("_ARGS"))
    with pytest.raises(Refused, match=rf"^{name}: another {what} .* is not for make"):
        arguments(command, variables)


def test_valid_values_become_single_arguments():
    variables = {"OLD": "2026.1", "NEW": 'y";{touch,x};"', "OUT": "build/diff", "FORMATS": ""}
    assert arguments("diff", variables) == ["--out=build/diff", "--", "2026.1", 'y";{touch,x};"']
    assert arguments("release", {"VERSION": "2026.2", "NOTES": "-a; b", "NOTES_EN": ""}) == [
        "--notes=-a; b",
        "--",
        "2026.2",
    ]
    assert arguments(
        "import",
        {"SRC": "x.txt", "ID": "leave", "IMPORT_ARGS": "--code HR-02 --title-en 'Leave Policy'"},
    ) == ["--id=leave", "--code", "HR-02", "--title-en", "Leave Policy", "--", "x.txt"]
    assert arguments("stamp", {"STAMP_ARGS": "--only alpha/backup beta/x"}) == [
        "--only",
        "alpha/backup",
        "beta/x",
    ]
    # a switch is on unless empty or 0; the fixed arguments come first
    assert arguments("new-article", {"ID": "x", "INSERTED": "1"}) == [
        "article",
        "--id=x",
        "--inserted",
    ]
    assert arguments("new-article", {"INSERTED": "0", "CAPTION": ""}) == ["article"]
    assert arguments("drift", {}) == ["--check-drift"]
    assert arguments("pytest", {"PYTEST_ARGS": "-k 'a b'"}, ["-m", "not build"]) == [
        "-m",
        "not build",
        "-k",
        "a b",
    ]
