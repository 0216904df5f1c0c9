"""Whoosh's codec for writing, without a file-system call or a column read per posting:
when a segment is flushed, Whoosh 2.7 asks the new segment for each posting's field length,
and for a field that stores no lengths (ID and KEYWORD fields: every facet) its per-document
reader looks for the missing length file again, one stat() per posting, a quarter of a
build's time; for a field that does, it reads and decodes one byte per posting. Its field
writer also writes the segment's phrase position store (index.whoosh.positions). Segments
still record the plain W3Codec, which is what reads them."""

from __future__ import annotations

import os

from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    W3Codec,
    W3FieldWriter,
    W3PerDocReader,
    W3Segment,
    _lenfield,
)
from whoosh.util.numeric import byte_to_length

from index.whoosh.positions import EXTENSION, TermCollector, stored_format
from index.whoosh.writer import COUNTED, add_counted


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

    def field_writer(self, storage, segment):
        return _FieldWriter(self, storage, segment)


class _FieldWriter(W3FieldWriter):
    """W3FieldWriter that also hands each positional field's postings to the segment's
    phrase position store (a folder index only), and expands the spelling words our
    SegmentWriter counted (index.whoosh.writer) into their postings."""

    counts_spelling = True

    def __init__(self, codec, storage, segment):
        super().__init__(codec, storage, segment)
        folder = getattr(storage, "folder", None)
        self._store = TermCollector(os.path.join(folder, segment.make_filename(EXTENSION))) \
            if isinstance(folder, str) else None
        self._collect = False

    def start_field(self, fieldname, fieldobj):
        super().start_field(fieldname, fieldobj)
        self._collect = self._store is not None and stored_format(fieldobj.format)

    def start_term(self, btext):
        super().start_term(btext)
        if self._collect:
            self._store.start(self._fieldname, btext)

    def add(self, docnum, weight, vbytes, length):
        if vbytes is COUNTED:
            add_counted(self._postwriter, int(weight))
            return
        self._postwriter.add_posting(docnum, weight, vbytes, length)
        if self._collect:
            store = self._store
            store.docs.append(docnum)
            store.weights.append(weight)
            store.values.append(vbytes)

    def finish_term(self):
        super().finish_term()
        if self._collect:
            self._store.finish()

    def close(self):
        super().close()
        if self._store is not None:
            self._store.close()
