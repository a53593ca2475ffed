"""Benchmark the site build against plain MkDocs on the same amount of content.

Generates a synthetic compendium (N regulations x M articles x 2 languages),
builds it with the project (hooks, numbering, roles, search), then builds the
same text as already-numbered Markdown pages with plain mkdocs-material +
mkdocs-static-i18n and no hooks. Prints both times, peak memory and the ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ZH = (
    "數字化運營部門應依據用戶反饋和數據分析結果，對系統進行優化和改進，並及時向企業管理負責人報告。"
)
EN = (
    "The Digital Operations Department shall optimise and improve the systems on the basis of "
    "user feedback and data analysis, and shall report promptly to the Head of Enterprise Management."
)


# Two onboarding packs: the second lists every article assigning a duty (one in three).
PACKS_YML = """packs:
  - id: newcomer
    title: {zh-Hant: 新進人員入職資料, en: Onboarding Pack for New Staff}
    roles: [dept]
    contents:
      - general-provisions
      - regulation: reg-042
  - id: dept-staff
    title: {zh-Hant: 部門人員入職資料, en: Onboarding Pack for Department Staff}
    roles: [dept]
    contents:
      - duties
      - regulation: reg-000
"""


def project_docs(docs: Path, n: int, m: int) -> None:
    (docs / "regulations").mkdir(parents=True)
    (docs / "index.md").write_text("---\ncompendium: home\n---\n", encoding="utf-8")
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    (docs / "roles.yml").write_text(
        "roles:\n  - id: dept\n    kind: department\n    name: {zh-Hant: 數字化運營部門, en: Digital Operations Department}\n",
        encoding="utf-8",
    )
    (docs / "packs.yml").write_text(PACKS_YML, encoding="utf-8")
    (docs / "roles").mkdir()
    (docs / "roles" / "dept.md").write_text(
        "---\ncompendium: role\nrole: dept\n---\n", encoding="utf-8"
    )
    for r in range(n):
        rid = f"reg-{r:03d}"
        folder = docs / "regulations" / rid
        folder.mkdir()
        chapters = []
        per = max(1, m // 4)
        ids = [f"a{a:03d}" for a in range(m)]
        for c in range(0, m, per):
            chapters.append(
                f"  - id: c{c}\n    title: {{zh-Hant: 第{c}組, en: Group {c}}}\n"
                f"    articles: [{', '.join(ids[c : c + per])}]\n"
            )
        (folder / "index.md").write_text(
            f"---\ncompendium: regulation\nid: {rid}\ncode: R-{r:03d}\n"
            f'title: {{zh-Hant: 測試制度{r}, en: Test Regulation {r}}}\nowner: dept\nversion: "1.0"\n'
            f"effective: 2026-01-01\nnumbering: chapter-article\nchapters:\n{''.join(chapters)}---\n",
            encoding="utf-8",
        )
        for a, aid in enumerate(ids):
            ref = f"另見[[{ids[a - 1]}]]。" if a else ""
            ref_en = f" See also [[{ids[a - 1]}]]." if a else ""
            roles = "roles: [dept]\n" if a % 3 == 0 else ""
            tag = f"R{r:03d}-{a:03d}"  # every text differs, as in a real compendium
            (folder / f"{aid}.zh-Hant.md").write_text(
                f"---\nid: {aid}\n{roles}---\n{ZH}{ref}（{tag}）\n\n1. 第一項。\n2. 第二項。\n",
                encoding="utf-8",
            )
            (folder / f"{aid}.en.md").write_text(
                f"---\nid: {aid}\n---\n{EN}{ref_en} ({tag})\n\n1. first item;\n2. second item.\n",
                encoding="utf-8",
            )


def plain_docs(docs: Path, n: int, m: int) -> None:
    """The same text, numbered by hand, as one page per regulation and language.

    Headings carry typed numbers (第三條 / Article 3); items are plain Markdown
    ordered lists, as an author of a plain MkDocs site would write them.
    """
    from compendium.numbering.numerals import chinese

    (docs / "regulations").mkdir(parents=True)
    (docs / "index.md").write_text("# 規章制度匯編\n", encoding="utf-8")
    (docs / "index.en.md").write_text("# Compendium\n", encoding="utf-8")
    per = max(1, m // 4)
    for r in range(n):
        zh, en = [f"# 測試制度{r}\n"], [f"# Test Regulation {r}\n"]
        for a in range(m):
            if a % per == 0:
                zh.append(f"## 第{chinese(a // per + 1)}章 第{a}組\n")
                en.append(f"## Chapter {a // per + 1} Group {a}\n")
            ref = f"另見[第{chinese(a)}條](#a{a - 1:03d})。" if a else ""
            ref_en = f" See also [Article {a}](#a{a - 1:03d})." if a else ""
            # Hand-made links to the role page where the project links a role.
            zh_text = (
                ZH.replace("數字化運營部門", "[數字化運營部門](../index.md)", 1)
                if a % 3 == 0
                else ZH
            )
            en_text = (
                EN.replace(
                    "Digital Operations Department",
                    "[Digital Operations Department](../index.md)",
                    1,
                )
                if a % 3 == 0
                else EN
            )
            tag = f"R{r:03d}-{a:03d}"
            zh.append(
                f"### 第{chinese(a + 1)}條 {{#a{a:03d}}}\n\n{zh_text}{ref}（{tag}）\n\n"
                "1. 第一項。\n2. 第二項。\n"
            )
            en.append(
                f"### Article {a + 1} {{#a{a:03d}}}\n\n{en_text}{ref_en} ({tag})\n\n"
                "1. first item;\n2. second item.\n"
            )
        (docs / "regulations" / f"reg-{r:03d}.zh-Hant.md").write_text(
            "\n".join(zh), encoding="utf-8"
        )
        (docs / "regulations" / f"reg-{r:03d}.en.md").write_text("\n".join(en), encoding="utf-8")


PLAIN_YML = """site_name: bench
theme: {name: material, language: zh-TW, font: false}
markdown_extensions: [attr_list, md_in_html, tables, {toc: {permalink: true, toc_depth: 4}}]  # as mkdocs.yml
plugins:
  - search:
      lang: [en]
      pipeline: [stopWordFilter]
  - i18n:
      docs_structure: suffix
      languages:
        - {locale: zh-Hant, default: true, name: 繁體中文, build: true}
        - {locale: en, name: English, build: true}
"""


def build(proj: Path) -> tuple[float, float]:
    """Seconds and peak memory (MB) of one `mkdocs build` in ``proj``."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    code = (
        "import resource, sys, time; from mkdocs.__main__ import cli; t=time.perf_counter()\n"
        "try:\n    cli(['build', '--quiet'])\nexcept SystemExit as e:\n    rc = e.code or 0\n"
        "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024, rc)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=proj, env=env, capture_output=True, text=True
    )
    last = out.stdout.strip().splitlines()[-1].split() if out.stdout.strip() else []
    if len(last) != 3 or last[2] not in ("0", "None"):
        raise SystemExit(f"build failed in {proj}:\n{out.stderr[-3000:]}")
    return float(last[0]), float(last[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regulations", type=int, default=100)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="builds of each kind, alternating; the fastest counts (default 3)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated projects")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench-site-"))
    try:
        proj = tmp / "project"
        proj.mkdir()
        shutil.copy(ROOT / "mkdocs.yml", proj)
        shutil.copytree(
            ROOT / "hooks", proj / "hooks", ignore=shutil.ignore_patterns("__pycache__")
        )
        shutil.copytree(ROOT / "templates", proj / "templates")
        project_docs(proj / "docs", args.regulations, args.articles)
        plain = tmp / "plain"
        plain.mkdir()
        (plain / "mkdocs.yml").write_text(PLAIN_YML, encoding="utf-8")
        plain_docs(plain / "docs", args.regulations, args.articles)
        runs_plain, runs_proj = [], []
        for _ in range(max(1, args.repeat)):  # alternate, so background load hits both alike
            runs_plain.append(build(plain))
            runs_proj.append(build(proj))
        t_plain, m_plain = min(t for t, _ in runs_plain), max(m for _, m in runs_plain)
        t_proj, m_proj = min(t for t, _ in runs_proj), max(m for _, m in runs_proj)
        size = f"{args.regulations} regulations x {args.articles} articles x 2 languages"
        print(
            f"{size} ({args.regulations * args.articles * 2} article texts), {os.cpu_count()} cores"
        )
        print(f"plain mkdocs-material + i18n: {t_plain:7.2f} s  peak {m_plain:7.0f} MB")
        print(f"compendium (hooks):          {t_proj:7.2f} s  peak {m_proj:7.0f} MB")
        print(
            f"ratio: {t_proj / t_plain:.2f}  (fastest of {max(1, args.repeat)} builds each; "
            f"all runs: plain {', '.join(f'{t:.1f}' for t, _ in runs_plain)} s, "
            f"compendium {', '.join(f'{t:.1f}' for t, _ in runs_proj)} s)"
        )
    finally:
        if args.keep:
            print(f"projects kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
