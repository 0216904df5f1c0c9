"""Whoosh's writers for our index, with the spelling words counted rather than posted.

For a `spelling=True` field Whoosh 2.7 posts every distinct word of every document to the
field's spelling field (spell_body: docnum 0, weight 1), and each such posting goes through
the whole posting path (the pool's size estimate, the sorted runs on disk, the field
writer, the block encoder): half of the postings of a build, and a third of its time. What
the spelling field is read for is its words and how many documents hold each (wildcards
rank their expansions by it), so the writer counts the words per document and the writing
codec's field writer (index.whoosh.codec) writes each counted word as that many postings,
a block at a time. The postings of the other fields go to the pool a document field at a
time instead of one method call each. The index is the one Whoosh's writers make (tests/
test_whoosh_writer.py compares every term's documents, weights and values)."""

from __future__ import annotations

from collections import Counter

from whoosh import multiproc
from whoosh import writing as ww
from whoosh.system import pack_uint
from whoosh.util.text import utf8encode

COUNTED = b"\x00counted spelling word"  # a posting's value: its weight is a count
# the value of a spelling posting: a frequency of 1 in the spelling field's Frequency format
# (Whoosh posts whatever value the text field's last word had; merging reads it back)
ONE = pack_uint(1)
COUNTED_DOC = -2  # its document number: before the term's real postings, never compared on


class _Pool(ww.PostingPool):
    """Whoosh's posting pool, taking a document field's postings at once."""

    def add_many(self, fieldname: str, items: list[tuple]) -> None:
        self.fieldnames.add(fieldname)
        # Whoosh's own estimate of the items' size in memory, summed in C
        self.currentsize += len(items) * (150 + len(fieldname)) \
            + 2 * sum(len(item[1]) for item in items) \
            + sum(len(item[4] or b"") for item in items)
        self.current.extend(items)
        if self.currentsize > self.limit:
            self.save()


class SegmentWriter(ww.SegmentWriter):
    """Whoosh's SegmentWriter, counting spelling words (module docstring)."""

    def __init__(self, ix, limitmb: int = 128, **kwargs):
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = _Pool(self._tempstorage, self.newsegment, limitmb=limitmb)
        self.spelling: dict[str, Counter] = {}  # spelling field -> word -> documents
        # only a field writer that expands counted words (index.whoosh.codec) gets them
        self._counting = getattr(self.fieldwriter, "counts_spelling", False)

    def add_document(self, **fields):
        """Whoosh's add_document (writing.SegmentWriter), with the changes the module
        docstring says."""
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted([name for name in fields.keys() if not name.startswith("_")])
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, fieldname, docboost)
                    items = field.index(value)
                    if not isinstance(items, list):
                        items = list(items)
                    if field.scorable:
                        length = sum(item[1] for item in items)
                    self.pool.add_many(fieldname, [
                        (fieldname, tbytes, docnum, weight * boost, vbytes)
                        for tbytes, _, weight, vbytes in items])
                if field.separate_spelling() and not self._counting:
                    name = field.spelling_fieldname(fieldname)
                    self.pool.add_many(name, [(name, utf8encode(word)[0], 0, 1, ONE)
                                              for word in field.spellable_words(value)])
                elif field.separate_spelling():
                    name = field.spelling_fieldname(fieldname)
                    counts = self.spelling.get(name)
                    if counts is None:
                        counts = self.spelling[name] = Counter()
                    # once per document each, as Whoosh posts them
                    counts.update({utf8encode(word)[0] for word in
                                   field.spellable_words(value)})
                vformat = field.vector
                if vformat:
                    vitems = vformat.word_values(value, field.analyzer, mode="index")
                    vitems = sorted((text, weight, vbytes)
                                    for text, _, weight, vbytes in vitems)
                    perdocwriter.add_vector_items(fieldname, field, vitems)
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field,
                                       customval if field.stored else None, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column,
                                                  field.to_column_value(customval))
        except Exception as ex:
            perdocwriter.cancel_doc()
            raise ex
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self):
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        postings = with_spelling(self.pool.iter_postings(), self.spelling)
        self.fieldwriter.add_postings(self.schema, pdr, postings)
        self.fieldwriter.close()
        if pdr:
            pdr.close()


def with_spelling(items, spelling: dict[str, Counter]):
    """The pool's sorted postings with one posting per counted spelling word, in order:
    (field, word, COUNTED_DOC, documents, COUNTED), which the field writer expands."""
    if not spelling:
        yield from items
        return
    counted = iter(sorted((field, word, COUNTED_DOC, float(count), COUNTED)
                          for field, counts in spelling.items()
                          for word, count in counts.items()))
    following = next(counted, None)
    for item in items:
        while following is not None and following < item:
            yield following
            following = next(counted, None)
        yield item
    while following is not None:
        yield following
        following = next(counted, None)


def add_counted(postwriter, count: int) -> None:
    """`count` spelling postings (docnum 0, weight 1, value ONE) into a Whoosh posting
    writer's current term, as `count` calls of add_posting would, a block at a time."""
    limit = postwriter._blocklimit
    while count:
        if len(postwriter._ids) >= limit:
            postwriter._write_block()
        take = min(count, limit - len(postwriter._ids))
        postwriter._ids.extend([0] * take)
        postwriter._weights.extend([1.0] * take)
        postwriter._values.extend([ONE] * take)
        postwriter._maxweight = max(postwriter._maxweight, 1)
        count -= take


class _Task(multiproc.SubWriterTask):
    def run(self):
        # Whoosh's task makes a writing.SegmentWriter by this module-level name; the task
        # runs in a process of its own, whose copy of the module is the one changed. Not
        # without multisegment: then the parent merges the task's pool runs, which hold
        # no counted words.
        if self.multisegment:
            multiproc.SegmentWriter = SegmentWriter
        super().run()


class MpWriter(multiproc.MpWriter):
    """Whoosh's multiprocess writer whose processes write with our SegmentWriter."""

    def _new_task(self):
        task = _Task(self.storage, self.indexname, self.jobqueue, self.resultqueue,
                     self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task
