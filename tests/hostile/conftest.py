"""Fixture compendiums with attacks and careless edits, built once per session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, make_project

MINI = FIXTURES / "mini" / "docs"
ALPHA = "regulations/alpha"

# Every payload sets window.__pwned (and pops a dialog) if it ever runs.
RUN = "window.__pwned=1;alert(1)"
PAYLOADS = {
    "title": f'<img src=x onerror="{RUN}">甲管理制度',
    "role": f'運營部門<svg onload="{RUN}">',
    "caption": f"目的<script>{RUN}</script>",
    "body": "\n\n".join(
        [
            f"<script>{RUN}</script>",
            f'<svg onload="{RUN}"></svg>',
            f'<details open ontoggle="{RUN}"><summary>x</summary></details>',
            f'<iframe srcdoc="<script>parent.{RUN}</script>"></iframe>',
            f"[點此](javascript:{RUN})",
            f"[obfuscated](jav&#x61;script&#58;{RUN})",
            f"[case]( JaVaScRiPt:{RUN})",
            f"[data](data:text/html,<script>{RUN}</script>)",
            f'attribute list{{: onclick="{RUN}" }}',
            # tag names Markdown reads as raw HTML although they are not HTML's
            f'4. 違規 <x_body tabindex=1 autofocus onfocus="{RUN}" style="position:fixed;'
            'inset:0;z-index:9999">本條已廢止，請至 [入口](https://evil.example/login)</x_body>',
            "<a.b style=position:fixed>點</a.b> <https:x/style=position:fixed>",
            # link targets on the next line, and a reference definition
            f"[多行](\njavascript:{RUN})",
            f"[參考][r]\n\n[r]:\n  javascript:{RUN}",
            # attribute lists beyond an id: hiding, redirecting search, editing, pinging
            "段落甲隱藏\n{: hidden }",
            '段落乙搜尋\n{: data-pagefind-meta="url:https://evil.example/login" }',
            '段落丙\n{: contenteditable=true dir=rtl popover ping="https://evil.example/p" }',
            "段落丁\n{: #art-1 .md-sidebar }",
            '[連結](https://example.com/){: ping="https://evil.example/p" hidden }',
        ]
    ),
}


def hostile_docs(dest: Path) -> Path:
    """The mini compendium with a payload in a title, a role name, a caption and a body."""
    docs = dest / "docs"
    shutil.copytree(MINI, docs)
    manifest = docs / ALPHA / "index.md"
    manifest.write_text(
        manifest.read_text("utf-8").replace("甲管理制度", PAYLOADS["title"].replace('"', '\\"'), 1),
        "utf-8",
    )
    roles = docs / "roles.yml"
    roles.write_text(
        roles.read_text("utf-8").replace(
            "name: {zh-Hant: 運營部門,", f"name: {{zh-Hant: '{PAYLOADS['role']}',", 1
        ),
        "utf-8",
    )
    art = docs / ALPHA / "purpose.zh-Hant.md"
    text = art.read_text("utf-8")
    head, _, rest = text.partition("\n---\n")
    art.write_text(
        f"{head}\ncaption: '{PAYLOADS['caption']}'\n---\n{rest}\n\n{PAYLOADS['body']}\n", "utf-8"
    )
    return docs


def run(cmd: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = dict(os.environ, NO_MKDOCS_2_WARNING="1", **env)
    return subprocess.run(cmd, cwd=cwd, env=full, capture_output=True, text=True, timeout=900)


def check(docs: Path) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, str(ROOT / "scripts" / "check.py"), "docs"], docs.parent)


def check_output(docs: Path) -> str:
    """What ``make check`` prints for ``docs``: never a traceback."""
    result = check(docs)
    out = result.stdout + result.stderr
    assert "Traceback" not in out, out
    return out


@pytest.fixture
def docs(tmp_path) -> Path:
    """A copy of the mini fixture's docs/, to spoil."""
    d = tmp_path / "docs"
    shutil.copytree(MINI, d)
    return d


UNCHECKED_BUILD = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
from compendium.source.loader import load
from compendium.source.problems import Problems

cfg = load_config("mkdocs.yml", site_dir=sys.argv[1])
hook = cfg.plugins["hooks/compendium_site.py"]
# Validation switched off, to test the defences behind it.
hook.validate = lambda tree: (load(tree)[0], Problems())
build(cfg)
"""


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory) -> Path:
    """The hostile compendium built with validation switched off (the last line of defence)."""
    base = tmp_path_factory.mktemp("hostile")
    proj = make_project(base, hostile_docs(base / "src"))
    result = run([sys.executable, "-c", UNCHECKED_BUILD, str(proj / "site")], proj)
    assert result.returncode == 0, result.stderr[-3000:]
    return proj / "site"
