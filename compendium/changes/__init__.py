"""Changes between releases: git access, the article-by-article diff, redlines, reports,
release tags, the revision history and translation drift."""
