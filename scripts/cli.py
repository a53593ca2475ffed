"""The project's one command line: python scripts/cli.py COMMAND [ARGUMENTS].

Each command is a script of this folder with its own parser and ``main(argv) -> int``
(``scripts/cli.py COMMAND --help`` lists its options); ``pytest`` passes its
arguments to pytest. The Makefile runs

    scripts/cli.py --from-make COMMAND NAME=value ... [-- RECIPE ARGUMENTS]

with each make variable as one argument, quoted from the environment by the recipe,
so make and the shell never read its bytes. A variable becomes the option of its
name (TITLE_EN -> --title-en; a switch such as --inserted is on unless the value is
empty or 0), or what AS_ARGUMENT says; an ``*_ARGS`` variable is split as a shell
splits words (no shell runs); an empty variable is not given. The command's own
parser checks the whole before anything runs, and a refusal names the variable:
``make release: VERSION='x y' is not a release version (...)``.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shlex
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import NoReturn

HERE = Path(__file__).resolve().parent

# command -> (script in this folder, arguments it always gets first)
COMMANDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "check": ("check", ()),
    "drift": ("stamp", ("--check-drift",)),
    "stamp": ("stamp", ()),
    "diff": ("diff", ()),
    "release": ("release", ()),
    "import": ("import_regulation", ()),
    "new-regulation": ("scaffold", ("regulation",)),
    "new-article": ("scaffold", ("article",)),
    "rename": ("rename", ("rename",)),
    "move": ("rename", ("move",)),
    "publish": ("publish", ()),
    "pr-comment": ("pr_comment", ()),
    "schema": ("schema", ()),
    "roles": ("sync_role_pages", ()),
    "build": ("build_site", ()),
    "pdf": ("build_pdf", ()),
    "corpus-report": ("corpus_report", ()),
    "verify": ("verify", ()),
    "pytest": ("", ()),
}

# Make variables that are not the option of their own name: a positional argument
# (by its dest, where the command has one) or another option.
AS_ARGUMENT = {
    "OLD": "old_ref",
    "NEW": "new_ref",
    "VERSION": "version",
    "SRC": "source",
    "FORMATS": "--format",
    "FILE": "file",
}


# What make never takes from a variable: it works on the repository and the docs
# folder it runs in (the arguments of these names stay at their defaults).
THIS_CHECKOUT = ("repo", "docs", "root")


class Refused(Exception):
    """A make variable the command does not take as given; ``str()`` is the message."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scripts/cli.py", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--from-make",
        action="store_true",
        help="the arguments are make variables NAME=value, then -- and the recipe's own",
    )
    parser.add_argument("command", choices=COMMANDS)
    parser.add_argument("args", nargs=argparse.REMAINDER, help="its arguments (COMMAND --help)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    script, fixed = COMMANDS[args.command]
    words = list(args.args)
    if args.from_make:
        end = words.index("--") if "--" in words else len(words)
        try:
            variables = dict(_pair(word) for word in words[:end])
            words = arguments(args.command, variables, words[end + 1 :])
        except Refused as exc:
            print(f"make {args.command}: {exc}", file=sys.stderr)
            return 2
    else:
        words = [*fixed, *words]
    if not script:
        import pytest

        return int(pytest.main(words))
    return int(_load(script).main(words) or 0)


def arguments(command: str, variables: Mapping[str, str], recipe: Sequence[str] = ()) -> list[str]:
    """The argument list of ``command`` made of the make ``variables`` (name -> value)
    and the ``recipe``'s own arguments, checked by the command's parser; raises
    Refused, naming the variable, when the parser refuses it."""
    script, always = COMMANDS[command]
    fixed = [*always, *recipe]
    if not script:  # pytest: its own options, split like a shell
        return fixed + [w for name, value in variables.items() for w in _words(name, value)]
    parser = _load(script).build_parser()
    options: list[str] = []
    extra: list[str] = []
    positional: dict[int, str] = {}
    names: dict[str, str] = {}  # the name argparse gives an argument -> its variable
    given: dict[str, str] = {}  # ... -> the value of that variable
    args_name = ""
    for name, value in variables.items():
        if name.endswith("_ARGS"):
            args_name = name
            extra += _words(name, value)
            continue
        index, action = _action(parser, name)
        label = "/".join(action.option_strings) or str(action.metavar or action.dest)
        names[label] = name
        if value == "" or (action.nargs == 0 and value == "0"):
            continue
        given[label] = value
        if not action.option_strings:
            positional[index] = value
        elif action.nargs == 0:
            options.append(action.option_strings[-1])
        else:
            options.append(f"{action.option_strings[-1]}={value}")
    argv = fixed + options + extra
    if positional:
        argv += ["--", *(positional[i] for i in sorted(positional))]
    _check(parser, argv, names, given, args_name)
    return argv


def _pair(word: str) -> tuple[str, str]:
    name, eq, value = word.partition("=")
    if not eq or not re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
        raise Refused(f"{word!r} is not a make variable NAME=value")
    return name, value


def _words(name: str, value: str) -> list[str]:
    try:
        return shlex.split(value)
    except ValueError as exc:
        raise Refused(
            f"{name}={value!r}: {exc} (expected options as a shell splits them)"
        ) from None


def _action(parser: argparse.ArgumentParser, name: str) -> tuple[int, argparse.Action]:
    """The argument of ``parser`` the make variable ``name`` sets, and its position."""
    target = AS_ARGUMENT.get(name, "")
    wanted = target if target.startswith("--") else "--" + name.lower().replace("_", "-")
    for index, action in enumerate(parser._actions):
        if target and not action.option_strings and action.dest == target:
            return index, action
    for index, action in enumerate(parser._actions):
        if wanted in action.option_strings:
            return index, action
    raise Refused(f"{name} is not a variable of this command (expected one of its options)")


def _check(
    parser: argparse.ArgumentParser,
    argv: list[str],
    names: dict[str, str],
    given: dict[str, str],
    args_name: str,
) -> None:
    """Parse ``argv`` as the command will; a refusal names the make variable."""

    def error(message: str) -> NoReturn:
        raise Refused(message)

    parser.exit_on_error = False
    parser.error = error  # type: ignore[method-assign]
    try:
        parsed = parser.parse_args(argv)
    except argparse.ArgumentError as exc:
        label = exc.argument_name or ""
        if label in given:
            value = given[label]
            text = (
                exc.message if exc.message.startswith(repr(value)) else f"{value!r}: {exc.message}"
            )
            raise Refused(f"{names[label]}={text}") from None
        where = f"{args_name}: " if args_name else ""
        raise Refused(f"{where}argument {label}: {exc.message}") from None
    except Refused as exc:
        message = str(exc)
        for label, name in names.items():
            message = re.sub(rf"(?<![\w-]){re.escape(label)}(?![\w-])", name, message)
        if message == str(exc) and args_name:
            message = f"{args_name}: {message}"
        raise Refused(message) from None
    for dest in THIS_CHECKOUT:
        if getattr(parsed, dest, None) != parser.get_default(dest):
            raise Refused(
                f"{args_name}: another {dest} ({getattr(parsed, dest)}) is not for make, which "
                f"works on the checkout it runs in (expected no {dest}; run scripts/cli.py directly)"
            )


def _load(script: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"compendium_cli_{script}", HERE / f"{script}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    sys.exit(main())
