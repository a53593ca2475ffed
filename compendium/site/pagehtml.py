"""Finishing touches on a built page's HTML that the theme does not offer as settings.

Plain functions on strings, called by the site hook for every page.
"""

from __future__ import annotations

import re

from compendium import LANGUAGES
from compendium.labels import section

# The toc extension writes one English title for every language.
_PERMALINK_RE = re.compile(r'(<a class="headerlink"[^>]*? title=")Permanent link(")')
# Material fetches ``sitemap.xml`` beside every hreflang alternate it finds in the
# head, expecting language roots; the i18n plugin links the page itself, so every
# page asked for a sitemap in its own folder (a 404 per page). The language
# selector in the header keeps the links to the other language.
_ALTERNATE_RE = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')


def finish_page(html: str, lang: str) -> str:
    """``html`` with localized permalink titles and without head hreflang alternates."""
    title = section(lang, "page")["permalink_title"] if lang in LANGUAGES else None
    if title and title != "Permanent link":
        html = _PERMALINK_RE.sub(lambda m: m.group(1) + title + m.group(2), html)
    head, sep, rest = html.partition("</head>")
    if sep:
        html = _ALTERNATE_RE.sub("", head) + sep + rest
    return html
