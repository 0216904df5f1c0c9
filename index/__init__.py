"""The search index: always rebuildable from the article store."""
