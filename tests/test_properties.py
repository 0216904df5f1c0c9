"""Property-based tests: whatever the bytes, the ingester never crashes and never loses a file."""

from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.formats.pressreader import ReadOptions, read_page
from archive.ingest import ingest, read_file
from archive.model import PageMeta, Rejected
from archive.store import Store

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

MASTHEADS = ["Arab Times", "Kuwait Times", "Tehran Times", "Al-Rai", "Desert Daily Herald"]
HEADLINES = ["Russian bombers strike", "Cabinet approves new housing plan", "Oil prices",
             "المجلس يقر الميزانية", "A", "U.S.", "Waiting for...", "This is a sentence."]
DATELINES = ["MOSCOW, Nov 4, (Agencies): ", "KUWAIT CITY, Nov 5: ", "WASHINGTON (AP) — ",
             "HANOI, Nov 5, (AFP, Reuters): ", "BEIRUT, Lebanon, Nov 4, (AP): ",
             "LONDON, Nov 6 (Reuters) - ", "TEHRAN – ", "KUWAIT CITY, Feb 30: ", "X, Nov 99: ",
             "NEW YORK (", "(AFP) & "]
FURNITURE = ["Newspapers in English", "Newspapers from Kuwait", "-", "***", "12", "Page 3",
             "Printed and distributed by PressReader", "PressReader.com +1 604 278 4604",
             "ORIGINAL COPY . ORIGINAL COPY . ORIGINAL COPY",
             "COPYRIGHT AND PROTECTED BY APPLICABLE LAW",
             "ARAB TIMES, SUNDAY, NOVEMBER 5, 2017",
             "12 ARAB TIMES, SUNDAY, NOVEMBER 5, 2017 LOCAL",
             "By Fatma Al-Sabah Arab Times Staff", "By Ahmed Al-Jarallah Editor-in-Chief", "By",
             "MA/MA All Content by Mehr News Agency is licensed under a Creative Commons "
             "Attribution 4.0 International License."]
BODY = ["The Cabinet on Sunday approved a plan.", "still fully controlled by",
        "Abu Bakr al-Baghdadi’s jihadist group.", "rec-\nognized", "Kurdish-\nled",
        "the Britainbased", "soft\u00adhyphen", "“quoted”", "in 2014 and on Saturday",
        "Spending cuts", "1,500 in 2016-17"]

line = st.one_of(st.sampled_from(MASTHEADS + HEADLINES + FURNITURE + BODY + [""]),
                 st.builds(lambda d, b: d + b, st.sampled_from(DATELINES), st.sampled_from(BODY)),
                 st.text(max_size=40))
page_text = st.lists(line, max_size=20).map("\n\n".join)
encoding = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "cp1256", "latin-1"])


@st.composite
def page_bytes(draw) -> bytes:
    """A page: text in some encoding, maybe damaged, gzipped or replaced by random bytes."""
    kind = draw(st.sampled_from(["text", "text", "text", "binary", "damaged", "gzip"]))
    if kind == "binary":
        return draw(st.binary(max_size=400))
    data = draw(page_text).encode(draw(encoding), errors="replace")
    if kind == "damaged" and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    if kind == "gzip":
        data = gzip.compress(data)
        if draw(st.booleans()):
            data = data[: draw(st.integers(0, len(data)))]  # truncated archive
    return data


NAMES = st.sampled_from(["a.txt", "b.txt", "2017-11-06/c.txt", "20171107-d.txt", "e.txt.gz",
                         "_news_1_Some-Title-Here.txt", "x", "sub/deeper/f.txt", ".hidden",
                         "a.txt.json", "sub/manifest.json", "g.json"])
TREES = st.dictionaries(NAMES, page_bytes(), min_size=1, max_size=6)


@given(st.binary(max_size=2000))
@settings(max_examples=200, deadline=None)
def test_read_file_never_raises_on_bytes(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.txt"
        path.write_bytes(data)
        outcome = read_file(path, Path(tmp), ReadOptions())
        assert (outcome.parsed is None) != (outcome.reason is None)
        if outcome.parsed is not None:
            assert len(outcome.parsed.articles) >= 1


@given(page_text, st.sampled_from(["page.txt", "_news_9_A-Title-From-The-Name.txt"]))
@settings(max_examples=300, deadline=None)
def test_read_page_gives_an_article_or_a_rejection(text, name):
    try:
        parsed = read_page(text, name, "", PageMeta(), ReadOptions(publication="Tehran Times"))
    except Rejected as error:
        assert str(error)
        return
    (article,) = parsed.articles
    assert article.headline.strip()
    assert all(p.strip() for p in article.paragraphs)
    assert article.paragraphs or article.subtitle
    for paragraph in article.paragraphs:
        assert "Creative Commons" not in paragraph


@given(TREES)
@SETTINGS
def test_ingest_accounts_for_every_file(tree):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "pages"
        for name, data in tree.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        store = Store(Path(tmp) / "store.sqlite3")
        try:
            report = ingest(store, [root], ReadOptions())
            records = store.sources()
            assert report.seen == report.accounted == len(records)
            files = {str(p.resolve()) for p in root.rglob("*") if p.is_file()}
            assert {r.path for r in records} <= files
            # Only metadata files (sidecars, manifests) may be left out, never a page.
            for left_out in files - {r.path for r in records}:
                assert left_out.endswith(".json")
            owners = {a.source for a in store.articles()}
            assert owners <= {r.path for r in records if r.status == "ingested"}
            assert all(r.reason for r in records if r.status == "rejected")

            again = ingest(store, [root], ReadOptions())
            assert again.unchanged == report.ingested and again.new == again.changed == 0
            assert again.seen == report.seen
        finally:
            store.close()


@given(TREES)
@SETTINGS
def test_ids_do_not_depend_on_order(tree):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "pages"
        for name, data in tree.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        pages = sorted(p for p in root.rglob("*") if p.is_file())
        ids = []
        for order, files in (("forward", pages), ("backward", pages[::-1])):
            store = Store(Path(tmp) / f"{order}.sqlite3")
            try:
                ingest(store, files, ReadOptions())
                ids.append({a.id for a in store.articles()})
            finally:
                store.close()
        assert ids[0] == ids[1]
