"""Create (or check) the page stub docs/roles/<id>.md of every role in docs/roles.yml.

The stubs (compendium/roles/pages.py) only say which role a page shows; the
build fills them. Editors run this after adding or removing a role. With --check it changes nothing and
exits 1 when a stub is missing or left over.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from compendium.roles.pages import role_ids, wanted_role_pages
from compendium.source.layout import DOCS_DIR, ROLES_DIR, ROLES_FILE
from compendium.source.yamlsrc import YamlError, load_yaml


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs", nargs="?", default=DOCS_DIR)
    parser.add_argument("--check", action="store_true", help="report differences, change nothing")
    args = parser.parse_args(argv)
    docs = Path(args.docs)
    try:
        data, _ = load_yaml((docs / ROLES_FILE).read_text(encoding="utf-8"))
    except YamlError as exc:
        print(f"{docs / ROLES_FILE}:{exc.line}: {exc.message}", file=sys.stderr)
        return 1
    folder = docs / ROLES_DIR
    wanted = {
        rel.removeprefix(f"{ROLES_DIR}/"): text
        for rel, text in wanted_role_pages(role_ids(data)).items()
    }
    existing = {p.name for p in folder.glob("*.md")} if folder.is_dir() else set()
    missing = [
        n
        for n in wanted
        if n not in existing or (folder / n).read_text(encoding="utf-8") != wanted[n]
    ]
    extra = sorted(existing - set(wanted))
    if args.check:
        for n in missing:
            print(f"{folder / n}: missing or changed (run make roles)")
        for n in extra:
            print(f"{folder / n}: page of a role not in {ROLES_FILE} (run make roles)")
        return 1 if missing or extra else 0
    folder.mkdir(exist_ok=True)
    for n in missing:
        (folder / n).write_text(wanted[n], encoding="utf-8")
        print(f"wrote {folder / n}")
    for n in extra:
        (folder / n).unlink()
        print(f"removed {folder / n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
