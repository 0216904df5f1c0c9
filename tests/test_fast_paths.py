"""The shortcuts taken for ingest speed give exactly what the plain code gave: each fast path
is checked against the original formula (kept here as the reference) on generated input."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import unicodedata
from pathlib import Path

import ftfy
import pytest
from ftfy.badness import BADNESS_RE
from hypothesis import given, settings
from hypothesis import strategies as st

from archive import decoding, furniture, mojibake, text, unspaced
from archive.articles import article_id
from archive.formats.pressreader import ReadOptions, read_page
from archive.metadata import page_meta
from archive.model import PageMeta, Rejected
from archive.schema import json_strings
from archive.walk import discover, find, is_meta

SETTINGS = settings(max_examples=300, deadline=None, derandomize=True)
TYPOGRAPHIC = "‘’“”–—…"
# Characters that matter to ftfy or to the shortcuts: controls, line ends, mojibake pieces,
# accents, combining marks, ligatures, surrogates' neighbours, escapes, Arabic.
TRICKY = ("\t\n\r\x0b\x0c\x1b\x7f\x80\x85\x9d\xa0\xad\u2028\ufeff\ufb01\u0301"
          "ÃÂâ€™œžŠ©®°±éÉçØÙ£€¦ÄГВ\ufffdمرحبا[m;_")
text_strategy = st.text(st.sampled_from(list("aZ .,:-'\"()0") + list(TYPOGRAPHIC)
                                        + list(TRICKY)), max_size=80)
lines_strategy = st.lists(text_strategy, max_size=6).map("\n".join)


# --- ftfy only where it can change something -------------------------------------------------

# Pieces of real mojibake and of text that looks like it, to reach ftfy's bad branches.
MOJIBAKE = ["â€™", "Ã©", "Ã ", "Â ", "Ã\xa0", "â€œ", "â€\x9d", "Ã¶", "ÃƒÂ©", "Ø§Ù", "Ð¿Ñ",
            "Ã¢â‚¬â„¢", "\xa0", "é", "ç", "£5", "€", "°C", "Î©", "ГўВЂВ™", "¦", "e\u0301"]
mixed_strategy = st.lists(st.sampled_from(MOJIBAKE) | text_strategy, max_size=8).map(
    "".join)
mixed_lines = st.lists(mixed_strategy, max_size=5).map(lambda lines: "\n".join(lines))


def finish_reference(value: str) -> str:
    value = ftfy.fix_text(value, mojibake.FTFY_CONFIG)
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\x7f", "")
    return unicodedata.normalize("NFC", value)


@pytest.mark.slow  # (1,000 examples: seconds; the full suite runs it)
@settings(max_examples=1000, deadline=None)
@given(lines_strategy | mixed_lines)
def test_ftfy_on_some_lines_is_ftfy_on_all(value):
    assert decoding._finish(value) == finish_reference(value)
    # With the UTF-8 it was decoded from: the plain-text test on the bytes.
    assert decoding._finish(value, value.encode("utf-8", "surrogatepass")) == \
        finish_reference(value)


@SETTINGS
@given(st.lists(st.sampled_from(list("aZ 09.\t\r\n\x0c\x7f\x0b\x00\x1b") + list(TYPOGRAPHIC)
                                + ["\u00e9", "e\u0301", "\xa0", "\u00c3\u00a9"])).map("".join))
def test_plain_text_found_from_the_bytes(value):
    assert decoding._finish(value, value.encode()) == finish_reference(value)


def test_ftfy_known_repairs_still_happen():
    for value in ["The minister\u00e2\u20ac\u2122s visit\nplain line\n", "\x1b[31mred\x1b[0m",
                  "caf\u00c3\u00a9 \u201cquoted\u201d\r\nnext", "one\u2028two", "\ufb01ne",
                  "na\xa0ve caf\u00e9 \u00c3\u00a9t\u00c3\u00a9\r\n", "x\x00y\x1az"]:
        assert decoding._finish(value) == finish_reference(value) != value


@settings(max_examples=1000, deadline=None)
@given(mixed_strategy)
def test_windowed_badness_is_ftfys(value):
    assert mojibake.looks_bad(value) == bool(BADNESS_RE.search(value))


def _branches(pattern: re.Pattern) -> list:
    from re import _constants as c
    from re import _parser

    parsed = _parser.parse(pattern.pattern, pattern.flags)
    (op, (_, branches)), = list(parsed)  # one alternation at the top
    assert op is c.BRANCH
    return branches


def _needs_non_ascii(items) -> bool:
    """Some item every match of this sequence must take is a non-ASCII character."""
    from re import _constants as c

    for op, arg in items:
        if op is c.LITERAL and arg > 0x7F:
            return True
        if op is c.IN and all(kind is c.LITERAL and value > 0x7F or kind is c.RANGE
                              and value[0] > 0x7F for kind, value in arg):
            return True
        if op is c.SUBPATTERN and _needs_non_ascii(arg[3]):
            return True
    return False


def test_badness_patterns_are_short_and_need_a_non_ascii_character():
    """What the windowed search in archive/mojibake.py relies on."""
    from re import _parser

    assert _parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags).getwidth()[1] == \
        mojibake._BADNESS_WIDTH
    assert all(_needs_non_ascii(branch) for branch in _branches(BADNESS_RE))
    assert not re.search(r"\$|\\[bBZA]|\(\?[=!<]", BADNESS_RE.pattern)  # no look-around


def test_lines_skipped_can_hold_no_mojibake():
    """ASCII plus the typographic marks: no string of them, up to the longest pattern that
    could involve only them, is bad to ftfy (so ftfy would leave such a line alone)."""
    alphabet = [chr(c) for c in range(0x20, 0x7F)] + list("\t\n\r\x0c" + TYPOGRAPHIC)
    sample = list(TYPOGRAPHIC) + list("aZ09 .,;:!?'\"()-&#%$")
    for size in (1, 2, 3):
        for chars in itertools.product(sample if size == 3 else alphabet, repeat=size):
            candidate = "".join(chars)
            assert not BADNESS_RE.search(candidate), candidate
    assert all(unicodedata.combining(c) == 0 and unicodedata.decomposition(c) in ("", "<compat>"
               " 002E 002E 002E") for c in TYPOGRAPHIC)


# --- article ids -----------------------------------------------------------------------------


def article_id_reference(slug: str, date, page, source: str, headline: str,
                         paragraphs: list[str]) -> str:
    def folded(text: str) -> str:
        return "".join(ch for ch in text.casefold() if ch.isalnum())

    issue = date.isoformat() if date else "unit:" + source
    basis = f"{slug}\x1f{issue}\x1f{page or ''}\x1f{folded(headline)}\x1f" \
            f"{folded(''.join(paragraphs))}"
    return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:12]


@SETTINGS
@given(st.lists(st.text(max_size=60) | text_strategy, max_size=4), st.text(max_size=20),
       st.none() | st.dates(), st.none() | st.integers(1, 99))
def test_article_id_is_the_formula(paragraphs, headline, date, page):
    assert article_id("arab-times", date, page, "/x/p.txt", headline, "".join(paragraphs)) == \
        article_id_reference("arab-times", date, page, "/x/p.txt", headline, paragraphs)


def test_article_id_keeps_every_kind_of_letter_and_digit():
    paragraphs = ["Straße ﬁne İstanbul ½ ٣ 𝟘 x_y \ud800 Ǆ"]
    assert article_id("s", None, None, "p.txt", "h", "".join(paragraphs)) == \
        article_id_reference("s", None, None, "p.txt", "h", paragraphs)


# --- paragraph helpers -----------------------------------------------------------------------


@SETTINGS
@given(text_strategy)
def test_ends_sentence_matches_its_regex(value):
    assert text.ends_sentence(value) == bool(text._SENTENCE_END.search(value.rstrip()))


def join_lines_reference(paragraph: str, vocabulary: set[str] | None) -> str:
    paragraph = paragraph.replace(text.SOFT_HYPHEN + "\n", "").replace(text.SOFT_HYPHEN, "")

    def tighten(match: re.Match[str]) -> str:
        """A line-end hyphen printed otherwise (¬, ⸗, U+2010) is one; a hyphen set apart
        from its word ("Men -" / "schen") only where the page holds the word it makes."""
        word, gap, mark, tail = match.groups()
        if mark != "-" or (gap and vocabulary is not None
                           and (word + tail).lower() in vocabulary):
            return f"{word}-\n{tail}"
        return match[0]

    paragraph = re.sub(r"(\w+)([ \t]*)([-\u00ac\u2e17\u2010])[ \t]*\n[ \t]*(\w+)", tighten,
                       paragraph)

    def unhyphenate(match: re.Match[str]) -> str:
        head, tail = match.group(1), match.group(2)
        joined = head + tail
        if vocabulary is not None:
            if joined.lower() in vocabulary:
                return joined
            if f"{head}-{tail}".lower() in vocabulary:
                return f"{head}-{tail}"
        if head[:1].isupper() or tail[:1].isupper() or head.isdigit() or tail.isdigit():
            return f"{head}-{tail}"
        return joined

    return " ".join(text._LINE_HYPHEN.sub(unhyphenate, paragraph).split())


@SETTINGS
@given(st.text(st.sampled_from(list("ab Ab1-\n\u00ad é")), max_size=40),
       st.text(st.sampled_from(list("ab Ab-\n")), max_size=40))
def test_join_lines_and_lazy_vocabulary_are_unchanged(paragraph, page):
    assert text.join_lines(paragraph, text.Vocabulary(page)) == \
        join_lines_reference(paragraph, text.vocabulary_of(page))
    assert text.join_lines(paragraph) == join_lines_reference(paragraph, None)


@settings(max_examples=1000, deadline=None)
@given(st.text(st.sampled_from(list("ab_1é٣ -\n\t\xa0.")), max_size=60))
def test_line_hyphens_found_from_the_hyphen_are_the_regex_matches(paragraph):
    def mark(head: str, tail: str) -> str:
        return f"<{head}|{tail}>"

    assert text._sub_line_hyphens(paragraph, mark) == \
        text._LINE_HYPHEN.sub(lambda m: mark(m[1], m[2]), paragraph)


def test_word_char_is_the_regex_word_class():
    word = re.compile(r"\w")
    assert not [c for c in range(0x110000)
                if bool(word.match(chr(c))) != text._is_word_char(chr(c))]


def test_whitespace_but_the_space_is_unprintable():
    """paragraph_of keeps a printable line without two spaces in a row as it is."""
    assert not [c for c in range(0x110000)
                if chr(c).isspace() and c != 0x20 and chr(c).isprintable()]


stripped_line = text_strategy.map(
    lambda line: line.replace(text.SOFT_HYPHEN, "").strip()).filter(bool)


@SETTINGS
@given(st.lists(stripped_line | st.text(st.sampled_from(list("ab A-\t\xa0\u2000 ")), min_size=1)
                .map(str.strip).filter(bool), min_size=1, max_size=4),
       st.text(st.sampled_from(list("ab Ab-\n")), max_size=40))
def test_paragraph_of_is_join_lines(lines, page):
    assert text.paragraph_of(lines, text.Vocabulary(page)) == \
        join_lines_reference("\n".join(lines), text.vocabulary_of(page))


participle_text = st.lists(st.sampled_from(list(text._PARTICIPLE_WORDS) + list("BritanXz -,\n")),
                           max_size=12).map("".join)


@settings(max_examples=1000, deadline=None)
@given(st.lists(participle_text, max_size=4))
def test_reversed_hint_never_hides_a_lost_hyphen(paragraphs):
    if any(text._GLUED_HINT.search(p) for p in paragraphs):
        assert text.may_have_lost_hyphens(paragraphs)
    if not text.may_have_lost_hyphens(paragraphs):
        assert [text.restore_lost_hyphens(p) for p in paragraphs] == paragraphs


def test_reversed_hint_finds_each_participle():
    for word in text._PARTICIPLE_WORDS:
        assert text.may_have_lost_hyphens(["a", f"The Britain{word} firm"]), word
        assert not text.may_have_lost_hyphens([f"The Britain {word} firm"]), word


@SETTINGS
@given(st.text(st.sampled_from(list("Britan ledbasdoLcontrl-,.Xb")), max_size=40))
def test_lost_hyphens_hint_never_hides_a_match(paragraph):
    assert text.restore_lost_hyphens(paragraph) == text._GLUED.sub(
        lambda m: m.group(0) if m.group(0).lower() in text._NOT_GLUED
        else f"{m.group(1)}-{m.group(2)}", paragraph)


@SETTINGS
@given(st.text(st.sampled_from(list("All Content by Mehr is licensed under a Creative "
                                    "Commons License.ALL CONTENT BYMA/")), max_size=120))
def test_licence_footer_hint_never_hides_a_footer(value):
    if furniture._LICENCE.search(value):
        assert furniture.strip_inline(value)[1]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["All Content by ", "ALL CONTENT BY ", "Mehr", " License", ".",
                                 " is licensed under a ", "Creative Commons", " ", "\n", "x",
                                 "\t\xa0", "All Content by. "]), max_size=12).map("".join))
def test_licence_search_from_its_words_is_the_search(value):
    found, reference = furniture._licence(value), furniture._LICENCE.search(value)
    assert (found and (found.span(), found.group(0))) == \
        (reference and (reference.span(), reference.group(0)))


@SETTINGS
@given(st.text(st.sampled_from(list("COPYRIGHT ORIGINAL copy.ANDLaw1")), max_size=40))
def test_copyright_lines_are_found_as_before(line):
    stripped = line.strip()
    words = re.findall(r"[A-Za-z]+", stripped)
    before = bool(words and stripped.isupper() and {w.lower() for w in words}
                  <= furniture._COPY_WORDS and ("copy" in stripped.lower()
                                                or "copyright" in stripped.lower()))
    kind = furniture.classify(line)
    if before:
        assert kind is not None
    if kind is not None and kind.kind == "copyright":
        assert before


@pytest.mark.slow  # (seconds: the full suite runs it)
@SETTINGS
@given(st.from_regex(furniture._RUNNING_HEAD) | st.text(
    st.sampled_from(list("12 ARAB TIMES,|SUNDAY NOVEMBER 5 2017 Local.&'-\t")), max_size=70))
def test_running_head_prefilter_never_hides_one(line):
    if furniture._RUNNING_HEAD.match(line):
        assert furniture._could_be_running_head(line)


def classify_reference(line: str) -> furniture.Furniture | None:
    """furniture.classify as it was before its shortcuts (opening characters, one search
    for "|")."""
    text = line.strip()
    if not text:
        return None
    if furniture._SEPARATOR.match(text):
        return furniture.Furniture("separator")
    if match := furniture._CATEGORY.match(text):
        key = "language" if match["rel"].lower() == "in" else "country"
        value = furniture._FINAL_STOP.sub("", match["value"].strip())
        return furniture.Furniture("category-footer", {key: value})
    if furniture._PRINTER.match(text):
        return furniture.Furniture("printer")
    if text.isupper():
        words = furniture._WORDS.findall(text)
        if words and {w.lower() for w in words} <= furniture._COPY_WORDS and (
                "copy" in text.lower() or "copyright" in text.lower()):
            return furniture.Furniture("copyright")
    if match := furniture._PAGE_NUMBER.match(text):
        return furniture.Furniture("page-number", {"page": int(match["page"])})
    cut = min((i for i in (text.find(","), text.find("|")) if i >= 0), default=-1)
    if not (cut >= 0 and len("".join(text[:cut].split())) <= 44):
        return None
    return furniture._running_head(text)


# Lines near every kind of furniture, with the characters case-insensitive matching treats
# specially (ſ, K, ı, İ) and other digits.
FURNITURE_LINES = [
    "ARAB TIMES, SUNDAY, NOVEMBER 5, 2017", "12 ARAB TIMES | MONDAY, NOV. 6, 2017 | 3",
    "Newspapers in English", "NEWSPAPERS FROM KUWAIT.", "Newſpapers in English",
    "Printed and distributed by PressReader", "PressReader.com +1 604 278 4604",
    "www.pressreader.com", "COPYRIGHT AND PROTECTED BY APPLICABLE LAW", "Page 12", "p. 3",
    "P7", "٣", "12", "* * *", "—", "-", "•", "SUNDAY, NOVEMBER 5, 2017 LOCAL"]
furniture_line = st.one_of(
    st.sampled_from(FURNITURE_LINES),
    st.lists(st.sampled_from(list("NnPpWwſKıİ0٣ ,|.-*•\t\xa0") + [
        "ewspapers", "ress", "age", "ARAB TIMES", "SUNDAY", "NOV", " 5", "2017", " in ",
        "English", "Copy"]), max_size=12).map("".join),
    *(st.from_regex(pattern) for pattern in (furniture._SEPARATOR, furniture._CATEGORY,
                                             furniture._PRINTER, furniture._PAGE_NUMBER,
                                             furniture._RUNNING_HEAD)))


@pytest.mark.slow  # (600 examples: seconds; the full suite runs it)
@settings(max_examples=600, deadline=None)
@given(st.lists(furniture_line | text_strategy, min_size=1, max_size=3).map(" ".join))
def test_classify_is_unchanged(line):
    assert furniture.classify(line) == classify_reference(line)


@SETTINGS
@given(st.text(st.sampled_from(list("ab ,|\t\xa0\u2000\x0b’")), max_size=120))
def test_running_head_prefilter_is_unchanged(line):
    cut = min((i for i in (line.find(","), line.find("|")) if i >= 0), default=-1)
    assert furniture._could_be_running_head(line) == (
        cut >= 0 and len("".join(line[:cut].split())) <= 44)


def test_short_kinds_open_as_their_patterns_do():
    """_SHORT_KIND_OPENING takes exactly the characters the first item of the separator,
    category, printer and page-number patterns takes, under their flags."""
    firsts = [re.compile(r"[\s\-–—_=*•·~.#|+]"), re.compile("(?i:N)"),
              re.compile("p|w", re.IGNORECASE), re.compile(r"p|\s|\d", re.IGNORECASE)]
    assert furniture._SEPARATOR.pattern.startswith(r"^[\s\-–—_=*•·~.#|+]")
    assert furniture._CATEGORY.pattern.startswith("^(?i:Newspapers)")
    assert re.match(r"\^\(\?:printed.*\|pressreader.*\|www", furniture._PRINTER.pattern)
    assert furniture._PAGE_NUMBER.pattern.startswith(r"^(?:page|p\.?)?\s*(?P<page>\d")
    opening = furniture._SHORT_KIND_OPENING
    for code in range(0x110000):
        char = chr(code)
        assert bool(opening.match(char)) == any(first.match(char) for first in firsts), char


def test_only_ascii_lowers_to_the_licence_words():
    """strip_inline looks for "all content by" in the page lowered as UTF-8 bytes (only
    ASCII letters lowered): the same as in text.lower() when no other character lowers to
    one of those letters or the space."""
    wanted = set("all content by")
    assert not [c for c in range(0x80, 0x110000) if set(chr(c).lower()) & wanted]


@SETTINGS
@given(st.text(st.sampled_from(list("All Content by allcontentBY İK\u212a\u03a3é’")),
               max_size=40))
def test_licence_hint_on_bytes_is_the_one_on_lower(value):
    found = b"all content by" in value.encode("utf-8", "surrogatepass").lower()
    assert found == ("all content by" in value.lower())


page_text = st.lists(furniture_line | lines_strategy | participle_text
                     | st.sampled_from(["-", "By John Smith", "KUWAIT CITY, Nov 5: The",
                                        "rec-\nognized", "broken off-", "\u00ad", "  \t "]),
                     min_size=2, max_size=10).map("\n\n".join)


@pytest.mark.slow  # (250 pages: seconds; the full suite runs it)
@settings(max_examples=250, deadline=None)
@given(page_text)
def test_read_page_counts_words_and_makes_ids_as_the_formulas_do(page):
    try:
        parsed = read_page(page, "page.txt", "", PageMeta(), ReadOptions())
    except Rejected:
        return
    for article in parsed.articles:
        # words parted by spaces, a character of an unspaced script (CJK) one word
        assert article.word_count == sum(map(unspaced.count_words, article.paragraphs))
        assert article.id == article_id(article.publication_slug, article.date, article.page,
                                         article.source_sha256, article.headline,
                                         "".join(article.paragraphs))


# --- store rows ------------------------------------------------------------------------------


@SETTINGS
@given(st.lists(st.text(max_size=30), max_size=5))
def test_json_strings_is_json_dumps(items):
    assert json_strings(items) == json.dumps(items, ensure_ascii=False)
    assert json_strings(items, ascii=True) == json.dumps(items)


# --- the walk --------------------------------------------------------------------------------


def discover_reference(source: Path) -> list[Path]:
    def meta(path: Path) -> bool:
        if path.name in ("manifest.json", "newsarchive.json"):
            return True
        if path.suffix != ".json":
            return False
        stem = path.name[: -len(".json")]
        return (path.with_name(stem).exists()
                or any(path.with_name(stem + ext).exists() for ext in (".txt", ".txt.gz")))

    root = source.resolve()
    return [p for p in sorted(root.rglob("*")) if p.is_file() and not meta(p)]


def test_walk_order_and_choice_are_those_of_sorted_rglob(tmp_path):
    names = ["a/b.txt", "a-b.txt", "a.b/c.txt", "a0/x.txt", "A/z.txt", "a/b/c/d.txt",
             ".hidden/h.txt", ".dot.txt", "é/e.txt", "z.txt", "z.txt.json", "lone.json",
             "2017-11-06/page.txt", "2017-11-06/page.json", "m/manifest.json", "m/p.txt",
             "x/.json", "g/p.txt.gz", "g/p.txt.gz.json", "g/p.json"]
    for name in names:
        path = tmp_path / "tree" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    (tmp_path / "tree" / "empty").mkdir()
    os.symlink(tmp_path / "tree" / "a", tmp_path / "tree" / "link-to-dir")
    os.symlink(tmp_path / "tree" / "z.txt", tmp_path / "tree" / "link-to-file.txt")
    files, roots = discover([tmp_path / "tree"])
    assert files == discover_reference(tmp_path / "tree")
    assert roots == [(tmp_path / "tree").resolve()]
    assert not is_meta(tmp_path / "tree" / "x" / ".json")


def test_page_meta_from_the_listing_is_page_meta_from_the_disk(tmp_path):
    """page_meta with a walk's listing (manifest folders worked out once, no sidecar looked
    for when the walk met no .json file) reads what looking on disk reads."""
    def write(name: str, data: dict | None = None) -> None:
        path = tmp_path / "tree" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data) if data is not None else "x")

    write("manifest.json", {"publication": "Kuwait Times", "country": "Kuwait"})
    write("a/b/manifest.json", {"language": "English", "files": {"p.txt": {"page": 4}}})
    write("a/newsarchive.json", {"section": "Local", "language": "Arabic"})
    for name in ("a/b/p.txt", "a/b/c/q.txt", "a/r.txt", "d/2017-11-06/s.txt", "t.txt",
                 "a/b/side.txt"):
        write(name)
    write("a/b/side.txt.json", {"page": 9, "date": "2017-11-05"})
    for source in (tmp_path / "tree", tmp_path / "tree" / "d"):  # with and without .json
        found = find([source])
        assert found.files and (bool(found.listing) == (source.name == "tree"))
        for file in found.files:
            assert page_meta(file, found.root_of[file], found.listing) == \
                page_meta(file, found.root_of[file])
