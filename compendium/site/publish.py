"""Publish the versioned site with mike: one folder per release on a pages branch.

Each release is built from the commit its record names (``releases/<version>.yml``,
found by content when hashes changed; tags are not needed), in a temporary git
worktree, with that commit's templates, hooks and code, so old releases stay as they were published when
the templates change later. The site (with its PDFs and release reports) lands in
``<version>/`` of the pages branch (``gh-pages``); ``latest`` follows the highest
release, ``versions.json`` feeds Material's version selector, and the root
redirects to ``latest``. A draft is published as ``draft`` only, so it can never
overwrite a release. Nothing is pushed: CI pushes the branch afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from compendium.changes.git import (
    END_OF_OPTIONS,
    VERSION_RE,
    GitError,
    GitRepo,
    version_key,
)
from compendium.changes.recorded import find_commit, read_records
from compendium.source.ledger import RECORDS_DIR, records_dir

DRAFT = "draft"
LATEST = "latest"
PUBLISH_CONFIG = "mkdocs.publish.yml"
PUBLISH_EXTRA = (
    f"INHERIT: mkdocs.yml\nextra:\n  version:\n    provider: mike\n    default: {LATEST}\n"
)


class PublishError(RuntimeError):
    pass


def _run(cmd: list[str], cwd: Path, env: dict[str, str], log: Callable[[str], None]) -> None:
    log("  $ " + " ".join(cmd[1:] if cmd[0] == sys.executable else cmd))
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise PublishError(f"{' '.join(cmd[1:3])} failed:\n{proc.stderr[-3000:]}")


def _recorded(repo: GitRepo, version: str) -> tuple[str, list[Path]]:
    """The commit with release ``version``'s content and the records up to it."""
    try:
        found = {r.version: r for r in read_records(repo)}
        if version not in found:
            raise PublishError(
                f"release {version} is not recorded (expected releases/{version}.yml, made by "
                "make release; the draft is published with DRAFT=1 as 'draft' and never as a "
                "release)"
            )
        commit = find_commit(repo, found[version])
    except GitError as exc:
        raise PublishError(str(exc)) from None
    folder = records_dir(repo.root / "docs")
    upto = [v for v in found if version_key(v) <= version_key(version)]
    return commit, [folder / f"{v}.yml" for v in upto]


def build_ref(
    repo: GitRepo,
    ref: str,
    site: Path,
    *,
    pdf: bool = True,
    log: Callable[[str], None] = print,
    records: list[Path] | None = None,
) -> None:
    """Build the site of ``ref`` into ``site`` from a worktree of that ref; ``records``
    (when given) replace the worktree's release records, so a release built from the
    commit it was cut from knows itself and the releases before it, not later ones."""
    work = Path(tempfile.mkdtemp(prefix="compendium-publish-"))
    tree = work / "tree"
    repo.git("worktree", "add", "--detach", END_OF_OPTIONS, str(tree), ref)
    try:
        (tree / PUBLISH_CONFIG).write_text(PUBLISH_EXTRA, encoding="utf-8")
        if records is not None:
            shutil.rmtree(tree / RECORDS_DIR, ignore_errors=True)
            (tree / RECORDS_DIR).mkdir()
            for path in records:
                shutil.copyfile(path, tree / RECORDS_DIR / path.name)
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
        env["PYTHONPATH"] = os.pathsep.join([str(tree), env.get("PYTHONPATH", "")]).rstrip(
            os.pathsep
        )
        py = sys.executable
        _run(
            [
                py,
                "-m",
                "mkdocs",
                "build",
                "--quiet",
                "--config-file",
                PUBLISH_CONFIG,
                "--site-dir",
                str(site),
            ],
            tree,
            env,
            log,
        )
        if pdf and (tree / "scripts" / "build_pdf.py").is_file():
            _run([py, "scripts/build_pdf.py", "--out", str(site / "pdf")], tree, env, log)
    finally:
        repo.git("worktree", "remove", "--force", str(tree))
        shutil.rmtree(work, ignore_errors=True)


def deployed_versions(branch: str, cwd: Path) -> list[str]:
    from mike import commands

    old = os.getcwd()
    os.chdir(cwd)
    try:
        return [str(v.version) for v in commands.list_versions(branch)]
    finally:
        os.chdir(old)


def publish(
    root: Path,
    version: str | None,
    *,
    draft: bool = False,
    branch: str = "gh-pages",
    pdf: bool = True,
    alias_type: str = "symlink",
    log: Callable[[str], None] = print,
) -> str:
    """Build and commit one version to ``branch``; returns the version published."""
    from mike import commands
    from mike.commands import AliasType
    from mike.git_utils import GitEmptyCommit

    if alias_type not in AliasType.__members__:
        raise PublishError(
            f"ALIAS_TYPE='{alias_type}' is unknown (expected one of: {', '.join(AliasType.__members__)})"
        )
    repo = GitRepo(root)
    records: list[Path] | None = None
    if draft:
        ref, name = "HEAD", DRAFT
        if repo.status("docs"):
            raise PublishError(
                "docs/ has uncommitted changes (commit them; a draft is built from HEAD)"
            )
    else:
        if not version or not VERSION_RE.fullmatch(version):
            raise PublishError(
                f"VERSION='{version or ''}' is not a release version (expected YYYY.N such as 2026.2)"
            )
        name = version
        ref, records = _recorded(repo, version)
    releases = [v for v in deployed_versions(branch, root) if VERSION_RE.fullmatch(v)]
    aliases: list[str] = []
    if not draft and all(version_key(name) >= version_key(v) for v in releases):
        aliases = [LATEST]
    site = Path(tempfile.mkdtemp(prefix="compendium-site-")) / "site"
    try:
        log(f"building {ref} as {name}")
        build_ref(repo, ref, site, pdf=pdf, log=log, records=records)
        old = os.getcwd()
        os.chdir(root)
        try:
            cfg = {"site_dir": str(site), "use_directory_urls": True}
            message = f"Publish {name} ({ref[:7] if not draft else ref})"
            try:
                with commands.deploy(
                    cfg,
                    name,
                    title=name,
                    aliases=aliases,
                    update_aliases=True,
                    alias_type=AliasType[alias_type],
                    branch=branch,
                    message=message,
                ):
                    pass
            except GitEmptyCommit:
                log(f"{name} is already published, unchanged")
                return name
            if aliases:
                try:
                    commands.set_default(
                        LATEST, branch=branch, message=f"Default version: {LATEST}"
                    )
                except GitEmptyCommit:
                    pass  # the root already redirects to latest
        finally:
            os.chdir(old)
    finally:
        shutil.rmtree(site.parent, ignore_errors=True)
    log(f"published {name} to branch {branch}" + (f" (alias {LATEST})" if aliases else ""))
    return name
