"""Archive: pages in, clean articles out, kept in the article store. No Whoosh, no Flask."""
