"""The tantivy engine (tantivy-py): index.engines names it; nothing else imports it."""
