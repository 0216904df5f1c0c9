"""An Olive entity file (an article's or advertisement's XMD-entity) met without its
issue's TOC.xml: read alone, as one item (archive.formats.olive)."""

from archive.formats.olive import ENTITY_READER as READER

__all__ = ["READER"]
