"""The one-pass text field gives exactly what Whoosh's TEXT field with our analyzer gives:
the same terms, frequencies, weights and encoded positions, and the same spelling words."""

from __future__ import annotations

import pickle

import pytest
from whoosh import index
from whoosh.fields import ID, TEXT, Schema

from index.whoosh.analysis import analyzer
from index.whoosh.codec import WritingCodec
from index.whoosh.fields import OnePassText

TEXTS = [
    "",
    "the of and",  # stopwords only
    "The oil price rose; the OIL price fell, and oil rose again.",
    "Of the ministers, the Minister said: ministers' ministries minister.",
    "ـ oil ـ the ـ gas",  # tatweel alone folds to nothing but keeps its place
    "Café CAFÉ cafe naïve Zürich Russia’s Russia's Russia`s",
    "الْكِتَاب الكتاب مدرسة مدرسه أحمد احمد ـ",
    "US troops may stay; the U.S. will not yet say, it is TBD.",
    "1977 1,200 3.5% x2 Ω ß straße",
    "a " * 5 + "word " * 3 + "a word",
]


@pytest.mark.parametrize("boost", [1.0, 2.0])
@pytest.mark.parametrize("text", TEXTS)
def test_postings_and_spelling_words_are_whooshs(text, boost):
    stock = TEXT(analyzer=analyzer(), field_boost=boost, spelling=True)
    ours = OnePassText(analyzer=analyzer(), field_boost=boost, spelling=True)
    assert list(ours.index(text)) == list(stock.index(text))  # in the same order, too
    assert list(ours.spellable_words(text)) == list(stock.spellable_words(text))
    assert ours.separate_spelling() and ours.spelling_fieldname("body") == "spell_body"


def test_spelling_words_of_another_value_are_analysed_afresh():
    ours = OnePassText(analyzer=analyzer(), spelling=True)
    ours.index("Ministers met")
    other = "Oil prices"
    assert list(ours.spellable_words(other)) == ["oil", "prices"]


def test_the_pickled_field_holds_no_text_and_still_indexes():
    ours = OnePassText(analyzer=analyzer(), spelling=True)
    ours.index("secret words of the last document")
    restored = pickle.loads(pickle.dumps(ours))
    assert b"secret" not in pickle.dumps(ours)
    assert restored == ours
    assert list(restored.index("oil oil")) == list(ours.index("oil oil"))


def _built(folder, text_field, codec):
    """An index of TEXTS written with the given text field type and codec: every posting,
    with the field length each posting was written with (the codec's lengths), and the
    stored fields."""
    fields = Schema(id=ID(stored=True), tag=ID(),
                    headline=text_field(analyzer=analyzer(), stored=True, field_boost=2.0,
                                        spelling=True),
                    body=text_field(analyzer=analyzer(), spelling=True))
    ix = index.create_in(str(folder), fields)
    with ix.writer(**({"codec": codec} if codec else {})) as writer:
        for number, text in enumerate(TEXTS * 3):
            writer.add_document(id=str(number), tag=f"t{number % 4}", body=text,
                                headline=TEXTS[(number + 3) % len(TEXTS)])
    with ix.reader() as reader:
        postings = list(reader.iter_postings())
        # the term infos' length bounds are what the codec's field lengths decide
        terms = [(f, t, info.weight(), info.doc_frequency(), info.min_length(),
                  info.max_length(), info.max_weight())
                 for f, t in reader.all_terms() for info in [reader.term_info(f, t)]]
        lengths = [(d, f, reader.doc_field_length(d, f)) for d in range(reader.doc_count())
                   for f in ("headline", "body")]
        return postings, terms, lengths, list(reader.all_stored_fields())


def test_an_index_written_in_one_pass_with_our_codec_is_whooshs(tmp_path):
    (tmp_path / "stock").mkdir()
    (tmp_path / "ours").mkdir()
    stock = _built(tmp_path / "stock", TEXT, None)
    ours = _built(tmp_path / "ours", OnePassText, WritingCodec())
    assert any(field == "spell_body" for field, *_ in stock[0])
    assert ours == stock
