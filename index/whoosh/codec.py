"""Whoosh's codec for writing, without a file-system call per posting: when a segment is
flushed, Whoosh 2.7 asks the new segment for each posting's field length, and for a field
that stores no lengths (ID and KEYWORD fields: every facet) its per-document reader looks
for the missing length file again, one stat() per posting, a quarter of a build's time.
Segments still record the plain W3Codec, which is what reads them."""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader, W3Segment


class _PerDocReader(W3PerDocReader):
    """Remembers a column that is missing as well as one that is there."""

    def _cached_reader(self, fieldname, column):
        if fieldname not in self._readers:
            self._readers[fieldname] = super()._cached_reader(fieldname, column)
        return self._readers[fieldname]


class WritingCodec(W3Codec):
    """W3Codec with the remembering per-document reader, for writers."""

    def new_segment(self, storage, indexname):
        return W3Segment(W3Codec(), indexname)  # what the index records and reads with

    def per_document_reader(self, storage, segment):
        return _PerDocReader(storage, segment)
