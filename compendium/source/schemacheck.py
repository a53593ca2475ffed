"""Validate the files of ``docs/`` against the JSON Schemas of :mod:`compendium.source.schema`.

Problems are reported like the loader's, ``path:line: message``. This is the
check an editor's tool (yaml-language-server) runs while typing; ``make check``
runs the loader, which checks the same rules and more (references, roles).
"""

from __future__ import annotations

from typing import Any

from compendium.source.problems import Problems
from compendium.source.schema import all_schemas, jsonable, schema_for
from compendium.source.tree import Tree
from compendium.source.yamlsrc import YamlError, load_yaml, split_front_matter


def _where(error: Any) -> str:
    path = "/".join(str(p) for p in error.absolute_path)
    return f" at '{path}'" if path else ""


def validate_tree(tree: Tree, schemas: dict[str, dict[str, Any]] | None = None) -> Problems:
    """Every schema violation in ``tree``, one problem per violation."""
    from jsonschema import Draft202012Validator, FormatChecker

    schemas = schemas or all_schemas()
    validators = {
        name: Draft202012Validator(s, format_checker=FormatChecker()) for name, s in schemas.items()
    }
    problems = Problems()
    root = tree.display_root
    for rel in tree.files():
        name = schema_for(rel)
        if name is None:
            continue
        shown = f"{root}/{rel}" if root else rel
        try:
            text = tree.read(rel)
            if rel.endswith(".md"):
                doc = split_front_matter(text)
                data, lines = doc.meta, doc.lines
            else:
                data, lines = load_yaml(text)
        except YamlError as exc:
            problems.error(shown, exc.line, exc.message)
            continue
        except UnicodeDecodeError:
            problems.error(shown, 1, "file is not valid UTF-8 text")
            continue
        errors = validators[name].iter_errors(jsonable(data if data is not None else {}))
        for err in sorted(errors, key=lambda e: list(map(str, e.absolute_path))):
            where = tuple(err.absolute_path)
            if err.validator == "additionalProperties" and isinstance(err.instance, dict):
                extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
                if extra:
                    where += (extra[0],)  # point at the unknown field's line
            problems.error(
                shown,
                lines(*where),
                f"{err.message}{_where(err)} (schema schemas/{name})",
            )
    return problems
