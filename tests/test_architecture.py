"""Cheap guards on the shape of the code: each rule keeps its one owner."""

import re
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "compendium"

# A comparison with the authoring language written out instead of asking is_default().
_LITERAL_LANGUAGE_TEST = re.compile(r"""[!=]=\s*["']zh-Hant["']|["']zh-Hant["']\s*[!=]=""")


def test_no_module_compares_with_the_authoring_language_literally():
    found = [
        f"{path.relative_to(CORE)}:{n}"
        for path in sorted(CORE.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _LITERAL_LANGUAGE_TEST.search(line)
    ]
    assert found == [], "use compendium.is_default(lang) instead: " + ", ".join(found)


README = CORE.parent / "README.md"


def test_readme_layout_names_every_package_and_owner_file():
    text = README.read_text(encoding="utf-8")
    layout = text[text.index("## Layout") :]
    packages = sorted(p.name for p in CORE.iterdir() if (p / "__init__.py").is_file())
    missing = [name for name in packages if f"  {name}/" not in layout]
    assert missing == [], f"README layout does not list: {missing}"
    named = re.findall(r"`(compendium/[\w/]+\.(?:py|yml))`", layout)
    assert named, "the where-to-change-what table names no file"
    gone = [f for f in named if not (CORE.parent / f).is_file()]
    assert gone == [], f"README names files that do not exist: {gone}"
