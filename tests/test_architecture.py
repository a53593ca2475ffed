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


def _local_imports(path: Path, root: Path = CORE.parent) -> list[str]:
    """Imports of a compendium module inside a function: the sign of a dodged cycle."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(fn):
            names = []
            if isinstance(node, ast.ImportFrom):
                names = ["." * node.level + (node.module or "")]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            if any(n.startswith((".", "compendium")) for n in names):
                found.append(f"{path.relative_to(root)}:{node.lineno} in {fn.name}")
    return found


def test_no_function_imports_a_compendium_module():
    found = [f for p in _modules("compendium", "hooks") for f in _local_imports(p)]
    assert found == [], "import at the top of the module (a cycle? move the shared piece down)"


def test_the_local_import_guard_finds_one(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import compendium\n\n\ndef f():\n    from compendium.source import model\n"
        "    return model\n\n\ndef g():\n    import json\n    from . import x\n",
        encoding="utf-8",
    )
    assert [f.split(" in ")[1] for f in _local_imports(sample, tmp_path)] == ["f", "g"]


# Which rooms of compendium/ each room may import (the package root, compendium/__init__.py,
# any room may). Arrows point down: source/ is the floor, the rooms that render and print
# are on top. numbering/ and source/ are one floor: numbers read the model
# (numbering/numbers.py), the loader reads numbering styles and the cross-reference
# syntax (numbering/styles.py, numbering/xref.py); labels/ reads its YAML with source/.
LAYERS: dict[str, set[str]] = {
    "source": {"numbering"},
    "numbering": {"source"},
    "labels": {"source"},
    "roles": {"source", "numbering"},
    "editing": {"source", "numbering"},
    "changes": {"source", "numbering", "labels"},
    "importer": {"source", "numbering", "editing"},
    "site": {"source", "numbering", "labels", "roles", "changes"},
    "printing": {"source", "numbering", "labels", "roles", "changes", "site"},
}


def _room_imports(path: Path) -> set[str]:
    import ast

    rooms = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            if parts[0] == "compendium" and len(parts) > 1 and (CORE / parts[1]).is_dir():
                rooms.add(parts[1])
    return rooms


def test_each_room_imports_only_the_rooms_below_it():
    rooms = sorted(p.name for p in CORE.iterdir() if (p / "__init__.py").is_file())
    assert sorted(LAYERS) == rooms, "add the new room to LAYERS"
    wrong = [
        f"{path.relative_to(CORE)} imports {other}/"
        for room in rooms
        for path in sorted((CORE / room).rglob("*.py"))
        for other in sorted(_room_imports(path) - LAYERS[room] - {room})
    ]
    assert wrong == [], "move the shared piece down a room"


def test_source_imports_no_room_that_renders_prints_or_edits():
    above = {"site", "printing", "changes", "roles", "editing", "importer"}
    assert LAYERS["source"].isdisjoint(above)
