from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def make_project(tmp: Path, docs: Path) -> Path:
    """A project folder in ``tmp``: the repo's mkdocs.yml, hooks and templates, with ``docs``."""
    proj = tmp / "project"
    proj.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", proj / "mkdocs.yml")
    shutil.copytree(ROOT / "hooks", proj / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", proj / "templates")
    shutil.copytree(docs, proj / "docs")
    assets = proj / "docs" / "assets"
    if not assets.exists():
        shutil.copytree(ROOT / "docs" / "assets", assets)
    return proj


def mkdocs_build(proj: Path, site: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site or proj / "site")]
    return subprocess.run(cmd, cwd=proj, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory) -> Path:
    """The tiny bilingual fixture compendium, built once."""
    proj = make_project(tmp_path_factory.mktemp("mini"), FIXTURES / "mini" / "docs")
    result = mkdocs_build(proj)
    assert result.returncode == 0, result.stderr
    return proj / "site"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The shipped compendium (docs/), built once."""
    proj = make_project(tmp_path_factory.mktemp("real"), ROOT / "docs")
    result = mkdocs_build(proj)
    assert result.returncode == 0, result.stderr
    (proj / "site" / "build.log").write_text(result.stderr, encoding="utf-8")
    return proj / "site"


SHARED = ROOT.parent / "shared"


def require_shared(path: Path) -> Path:
    """``path`` inside ../shared: skip when it is missing locally, FAIL when CI=true."""
    if path.exists():
        return path
    message = f"{path} is missing (the shared corpus and seeds sit beside the clone)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + "; in CI this is a failure, not a skip")
    pytest.skip(message)


def without_other_language(html: str) -> str:
    """A built page without the side-by-side view's hidden other-language blocks
    (``div.article-other``), so that it reads in its own language only."""
    out, pos = [], 0
    while (start := html.find('<div class="article-other"', pos)) >= 0:
        out.append(html[pos:start])
        depth, end = 0, len(html)
        for m in re.finditer(r"<div\b|</div>", html[start:]):
            depth += 1 if m.group().startswith("<div") else -1
            if depth == 0:
                end = start + m.end()
                break
        pos = end
    out.append(html[pos:])
    return "".join(out)
