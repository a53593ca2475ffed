"""Make variables are validated and passed as single arguments: injections create nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from compendium.makevars import MakeVarError, arguments, check_ref
from tests.conftest import ROOT

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
    cmd = ["make", "-s", f"VENV={ROOT / '.venv'}", target]
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
    with pytest.raises(MakeVarError, match=r"OLD=.* is not a git ref name"):
        arguments("diff", {"OLD": "a b", "NEW": "WORKTREE"})
    with pytest.raises(MakeVarError, match=r"VERSION='2026\.2; touch x' is not a release version"):
        arguments("release", {"VERSION": "2026.2; touch x"})
    with pytest.raises(MakeVarError, match=r"CHECK_ARGS: option '--force' is not allowed"):
        arguments("check", {"CHECK_ARGS": "--force"})
    with pytest.raises(MakeVarError, match=r"starts with '-'"):
        check_ref("OLD", "--output=/tmp/x")


def test_valid_values_become_single_arguments():
    assert arguments("diff", {"OLD": "2026.1", "NEW": 'y";{touch,x};"'}) == [
        "2026.1",
        'y";{touch,x};"',
        "--out",
        "build/diff",
    ]
    assert arguments("release", {"VERSION": "2026.2", "NOTES": "a; b"}) == [
        "2026.2",
        "--notes",
        "a; b",
    ]
    assert arguments(
        "import",
        {"SRC": "x.txt", "ID": "leave", "IMPORT_ARGS": "--code HR-02 --title-en 'Leave Policy'"},
    ) == ["x.txt", "--id", "leave", "--code", "HR-02", "--title-en", "Leave Policy"]
    assert arguments("stamp", {"STAMP_ARGS": "--only alpha/backup beta/x"}) == [
        "--only",
        "alpha/backup",
        "beta/x",
    ]
