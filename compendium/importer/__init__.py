"""Import a plain-text regulation (UTF-8) into a regulation folder of ``docs/``.

The importer reads a regulation as it comes out of a Word file, a PDF or a web page, finds
its structure, and writes the manifest (``index.md``) plus one file per article in the format
described in AUTHORING.md. Nothing here imports MkDocs; only :mod:`.write` touches the disk.

Modules, in the order a text goes through them:

* :mod:`.clean`: noise, scraped-page debris, simplified characters, punctuation;
* :mod:`.grammar`: the label patterns and numerals; :mod:`.doc`: the parsed document tree;
* :mod:`.parse`: sequence-aware parsing (a label is an article only when it fits the source's
  numbering; a line that begins with a reference stays in the body); :mod:`.captions`;
* :mod:`.anomaly`: gaps, repeats and empty articles that stop an import;
* :mod:`.align`: the English text, matched by number; :mod:`.references`: ``[[id]]`` links;
* :mod:`.emit`: Markdown and front-matter; :mod:`.pipeline`: :func:`import_text`;
  :mod:`.report`: the report printed after an import;
* :mod:`.write` and :mod:`.safety`: writing a folder all at once, leftovers of a crash;
* :mod:`.update`: updating an existing regulation from a newer source.
"""

from compendium.mdescape import escape_md
from compendium.numbering.styles import STYLES

from .align import Alignment, align_english
from .captions import guess_caption
from .emit import body_markdown, yaml_str
from .grammar import ID_MODES, ImportFailure, scan_labels
from .options import ImportOptions
from .parse import detect_style, parse_text
from .pipeline import ImportResult, import_text
from .report import format_report, site_mismatches, to_regulation
from .write import write_regulation

__all__ = [
    "ID_MODES",
    "STYLES",
    "Alignment",
    "ImportFailure",
    "ImportOptions",
    "ImportResult",
    "align_english",
    "body_markdown",
    "detect_style",
    "escape_md",
    "format_report",
    "guess_caption",
    "import_text",
    "parse_text",
    "scan_labels",
    "site_mismatches",
    "to_regulation",
    "write_regulation",
    "yaml_str",
]
