"""The rules of the compendium, in plain Python.

This package never imports MkDocs: the site hooks, the PDF builder, the release
diff and the command-line scripts all call into it, so a later move to another
site engine is a new adapter, not a rewrite.
"""

from pathlib import Path

LANGUAGES = ("zh-Hant", "en")
DEFAULT_LANGUAGE = "zh-Hant"

# The Jinja templates of every output (site fragments, print, diff reports).
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
