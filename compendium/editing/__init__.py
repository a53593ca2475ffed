"""Editor tools that write sources: scaffolding new regulations and articles, renames and
moves, and manifest edits that keep the editor's layout."""
