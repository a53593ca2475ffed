from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import shutil
import traceback
from dataclasses import dataclass
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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--docs",
        type=Path,
        default=ROOT / "docs",
        help="the docs folder the content tests check and real_site builds (default: docs/)",
    )


@pytest.fixture(scope="session")
def docs_dir(request) -> Path:
    """The docs folder under test: docs/, or the one given with ``--docs``."""
    return Path(request.config.getoption("--docs")).resolve()


@dataclass
class BuildResult:
    """What ``mkdocs build`` would exit with and write to stderr."""

    returncode: int
    stderr: str


def mkdocs_build(proj: Path, site: Path | None = None) -> BuildResult:
    """Build ``proj`` in this process as ``mkdocs build`` does (its log lines and
    error message in ``stderr``, a traceback when something crashes). The commands
    of the README run as subprocesses in test_walkthrough and tests/hostile."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    proj, site = proj.resolve(), (site or proj / "site").resolve()
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    code = 0
    try:
        with contextlib.chdir(proj):
            config = load_config(str(proj / "mkdocs.yml"), site_dir=str(site))
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
    except MkDocsException as exc:
        out.write(f"{exc.format_message()}\n")
        code = 1
    except Exception:
        out.write(traceback.format_exc())
        code = 1
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return BuildResult(code, out.getvalue())


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory) -> Path:
    """The tiny bilingual fixture compendium, built once."""
    proj = make_project(tmp_path_factory.mktemp("mini"), FIXTURES / "mini" / "docs")
    result = mkdocs_build(proj)
    assert result.returncode == 0, result.stderr
    return proj / "site"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory, docs_dir) -> Path:
    """The compendium under test (docs/, or ``--docs``), built once."""
    proj = make_project(tmp_path_factory.mktemp("real"), docs_dir)
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
