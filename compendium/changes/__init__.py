"""Changes between releases: git access, the article-by-article diff, redlines, reports,
release records (ledger, recorded), the revision history and translation drift."""
