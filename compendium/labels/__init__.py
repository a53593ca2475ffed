"""Interface words per language, for every output (site, PDFs, diff reports)."""
