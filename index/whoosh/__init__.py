"""The Whoosh engine (whoosh-reloaded): index.engines names it; nothing else imports it."""
