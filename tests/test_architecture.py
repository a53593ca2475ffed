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


MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def _long_functions(path: Path, root: Path = CORE.parent) -> list[str]:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(root)}:{node.lineno} {node.name} "
        f"({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]


def _modules(*folders: str) -> list[Path]:
    return sorted(p for f in folders for p in (CORE.parent / f).rglob("*.py"))


def test_no_module_or_function_is_too_long_to_read():
    long_modules = [
        f"{p.relative_to(CORE.parent)} ({n} lines)"
        for p in _modules("compendium", "hooks")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert long_modules == [], f"split these modules (at most {MAX_MODULE_LINES} lines)"
    long_functions = [
        f
        for p in _modules("compendium", "hooks", "scripts", "benchmarks")
        for f in _long_functions(p)
    ]
    assert long_functions == [], f"split these functions (at most {MAX_FUNCTION_LINES} lines)"


def test_the_length_guard_finds_a_long_function(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    sample = tmp_path / "long_sample.py"
    sample.write_text(f"def long():\n{body}\n\ndef short():\n    pass\n", encoding="utf-8")
    assert [f.split(" ")[1] for f in _long_functions(sample, tmp_path)] == ["long"]
