"""The numbering styles a regulation can use (its manifest's ``numbering`` field).

``chapter-article``: 第一章 / 第一條 (Chapter 1 / Article 1), articles numbered through
the regulation; ``outline``: 一、 / （一） (I. / 1.), articles restarting in each chapter.
The first is the default. The loader, the schema, the scaffold and the importer all
take the list from here.
"""

from __future__ import annotations

STYLES = ("chapter-article", "outline")
DEFAULT_STYLE = STYLES[0]
