"""Write the JSON Schemas of the source files into schemas/, check them, or validate docs/.

schema.py              write schemas/*.json from the code's model
schema.py --check      exit 1 when a file in schemas/ is missing or stale
schema.py --validate   validate docs/ against the schemas (path:line: message)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from compendium.fsutil import write_atomic
from compendium.source.schema import all_schemas, dumps
from compendium.source.schemacheck import validate_tree
from compendium.source.tree import DirTree, missing_docs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="schemas", help="the schema folder (default: schemas)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="fail when schemas/ is stale")
    mode.add_argument(
        "--validate",
        metavar="DOCS",
        nargs="?",
        const="docs",
        help="validate a docs folder (default: docs) against the schemas",
    )
    args = parser.parse_args(argv)
    out = Path(args.out)
    schemas = all_schemas()
    if args.validate:
        if problem := missing_docs(args.validate):
            print(problem, file=sys.stderr)
            return 2
        problems = validate_tree(DirTree(args.validate, display_root=args.validate.rstrip("/")))
        shown, more = problems.reported()
        for p in shown:
            print(p)
        if more:
            print(more)
        print(f"schema validation: {len(problems.errors)} error(s)", file=sys.stderr)
        return 1 if problems.errors else 0
    if args.check:
        stale = []
        for name, schema in schemas.items():
            path = out / name
            if not path.is_file() or path.read_text(encoding="utf-8") != dumps(schema):
                stale.append(str(path))
        known = set(schemas)
        extra = (
            sorted(str(p) for p in out.glob("*.json") if p.name not in known)
            if out.is_dir()
            else []
        )
        for path in stale:
            print(f"{path}:1: stale or missing schema (expected the output of `make schema`)")
        for path in extra:
            print(
                f"{path}:1: no source file uses this schema any more (expected it removed by `make schema`)"
            )
        return 1 if stale or extra else 0
    out.mkdir(parents=True, exist_ok=True)
    for name, schema in schemas.items():
        write_atomic(out / name, dumps(schema))
    for p in out.glob("*.json"):
        if p.name not in schemas:
            p.unlink()
    print(f"wrote {len(schemas)} schema(s) to {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
