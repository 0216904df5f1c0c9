"""Whoosh's codec for writing, without a file-system call or a column read per posting:
when a segment is flushed, Whoosh 2.7 asks the new segment for each posting's field length,
and for a field that stores no lengths (ID and KEYWORD fields: every facet) its per-document
reader looks for the missing length file again, one stat() per posting, a quarter of a
build's time; for a field that does, it reads and decodes one byte per posting. Segments
still record the plain W3Codec, which is what reads them."""

from __future__ import annotations

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3PerDocReader, W3Segment, _lenfield
from whoosh.util.numeric import byte_to_length


class _PerDocReader(W3PerDocReader):
    """Remembers a column that is missing as well as one that is there, and each field's
    decoded lengths (read once per field, not once per posting)."""

    def _cached_reader(self, fieldname, column):
        if fieldname not in self._readers:
            self._readers[fieldname] = super()._cached_reader(fieldname, column)
        return self._readers[fieldname]

    def doc_field_length(self, docnum, fieldname, default=0):
        lengths = self.__dict__.setdefault("_lengths", {})
        if fieldname not in lengths:
            reader = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            # as W3PerDocReader answers: None for a zero byte, `default` without a column
            lengths[fieldname] = None if reader is None else \
                [byte_to_length(b) if b else None for b in reader.load()]
        decoded = lengths[fieldname]
        if docnum > self._doccount:
            raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
        if decoded is None:
            return default
        return decoded[docnum] if docnum < len(decoded) else None


class WritingCodec(W3Codec):
    """W3Codec with the remembering per-document reader, for writers."""

    def new_segment(self, storage, indexname):
        return W3Segment(W3Codec(), indexname)  # what the index records and reads with

    def per_document_reader(self, storage, segment):
        return _PerDocReader(storage, segment)
