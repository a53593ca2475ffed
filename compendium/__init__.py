"""The rules of the compendium, in plain Python.

This package never imports MkDocs: the site hooks, the PDF builder, the release
diff and the command-line scripts all call into it, so a later move to another
site engine is a new adapter, not a rewrite.
"""

from pathlib import Path

LANGUAGES = ("zh-Hant", "en")
DEFAULT_LANGUAGE = "zh-Hant"  # the authoring language: every other language translates it


def is_default(lang: str) -> bool:
    """True for the authoring language (Chinese), whose text the others translate."""
    return lang == DEFAULT_LANGUAGE


# The Jinja templates of every output (site fragments, print, diff reports).
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
