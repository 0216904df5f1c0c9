"""What a file is, from its name and first bytes: which reader takes it, or why none does.

Markup is told by its root element and namespace (never read as text); text by its shape:
page OCR (many short lines, as a column prints them) or article text (paragraphs)."""

from __future__ import annotations

import re

from archive.model import Rejected
from archive.titles import lccn_of

HEAD_BYTES = 64 * 1024  # what sniff() looks at

# Names whose form says they are no page, whatever they hold.
_NOT_PAGES = {
    ".md": "a Markdown document", ".markdown": "a Markdown document",
    ".rst": "a reStructuredText document", ".csv": "a CSV table", ".tsv": "a TSV table",
    ".json": "JSON data", ".jsonl": "JSON lines", ".py": "program code", ".js": "program code",
    ".css": "a style sheet", ".pdf": "a PDF document", ".jp2": "an image", ".jpg": "an image",
    ".jpeg": "an image", ".png": "an image", ".tif": "an image", ".tiff": "an image",
    ".gif": "an image", ".zip": "a zip archive", ".tar": "a tar archive",
    ".xsd": "an XML schema", ".xsl": "an XSLT style sheet", ".dtd": "an XML DTD",
    **dict.fromkeys((".sh", ".bash", ".bat", ".cmd", ".ps1", ".pl", ".rb", ".php", ".c",
                     ".h", ".cpp", ".java", ".go", ".rs", ".ts", ".sql", ".ipynb", ".r"),
                    "program code"),
    **dict.fromkeys((".yml", ".yaml", ".toml", ".ini", ".cfg", ".conf"), "settings"),
    ".log": "a log",
}

_NOT_PAGE_SUFFIXES = tuple(_NOT_PAGES)
# Whole names of the metadata files a delivery package holds beside its pages (BagIt, the
# packaging libraries ship their issues in: RERO, the Library of Congress).
_NOT_PAGE_NAMES = {"bagit.txt": "a BagIt package's declaration",
                   "bag-info.txt": "a BagIt package's description",
                   "fetch.txt": "a BagIt package's list of files to fetch",
                   **dict.fromkeys(("makefile", "gnumakefile", "dockerfile", "cmakelists.txt",
                                    ".gitignore", ".gitattributes"), "a build or project file")}
# The documentation a data set or package carries beside its files: named by the word
# alone ("README", "licence.txt", "COPYING"), or by the word in capitals among others
# ("bbc-README.TXT"); not a page named after its headline ("licence-fees-rise.txt").
_DOC_WORDS = ("readme", "read_me", "license", "licence", "copying", "changelog", "authors",
              "contributing")
_DOC_IN_CAPITALS = re.compile(r"(?:^|[-_ .])(?:README|READ_ME|LICEN[CS]E|COPYING|CHANGELOG)"
                              r"(?:[-_ .]|$)")


def _documentation(leaf: str) -> bool:
    """Whether a file's name (its last part, as written) names documentation."""
    stem = leaf.split(".", 1)[0]
    return stem.lower() in _DOC_WORDS or _DOC_IN_CAPITALS.search(leaf) is not None
# Compressed files other than gzip and bzip2 (archive.units decompresses those before a
# file is sniffed), told by their first bytes whatever their name.
_COMPRESSED = tuple((re.compile(magic, re.DOTALL), what) for magic, what in (
    (rb"\xfd7zXZ\x00", "xz-compressed file"), (rb"\x28\xb5\x2f\xfd", "zstd-compressed file"),
    (rb"PK\x03\x04", "zip archive"), (rb"7z\xbc\xaf\x27\x1c", "7-Zip archive")))

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# Before the root element: the XML declaration, processing instructions, comments, a
# DOCTYPE (with an internal subset in brackets), white space.
_PROLOG = re.compile(rb"\s*(?:(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]*\[.*?\])?[^>]*>)\s*)*",
                     re.DOTALL | re.IGNORECASE)
_START_TAG = re.compile(rb"<(?:(?P<prefix>[\w.-]+):)?(?P<local>[\w.-]+)(?P<attrs>[^>]*)>?",
                        re.DOTALL)
_XMLNS = re.compile(rb"""xmlns(?::(?P<prefix>[\w.-]+))?\s*=\s*["'](?P<uri>[^"']*)["']""")
# Markup, whatever its root: an XML declaration, or tags (with their attributes) one
# after another, which no OCR speck makes.
_XML_DECLARATION = re.compile(rb"<\?xml\s+version\s*=")
_TAG = re.compile(rb"</?[A-Za-z_][\w.-]*(?::[\w.-]+)?"
                  rb"(?:\s+[\w.:-]+\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'))*\s*/?>")
MARKUP_TAGS = 3
_HOCR = re.compile(rb"""ocr_page|ocr-system|ocr-capabilities""")
# ABBYY FineReader XML: its namespace, or (an export without it) its blocks' types
_ABBYY_NAMESPACE = "abbyy.com/FineReader_xml"
_ABBYY = re.compile(rb"""<block\s[^>]*blockType\s*=""")
# ... or, a blank page exported without it (no block), its <page>'s scan resolution
_ABBYY_PAGE = re.compile(rb"""<page\s[^>]*\bresolution\s*=""")
# JSON opens with an object (a key or its end next) or an array of values, not with an OCR
# speck such as "{/iW".
_JSON_START = re.compile(rb"\s*(?:\{\s*[\"}]|\[\s*(?:[\"\[{\]]|-?\d[\d.eE+-]*\s*[,\]]"
                         rb"|true\b|false\b|null\b))")
# Page OCR text: at least PAGE_LINES lines, LINES_PER_BLOCK to a block on average, half of
# them no longer than a column line (bytes; OCR that joined columns reaches 100), less than
# half of its bytes in lines as long as a paragraph printed on one line (article text:
# over half, even with a list in it; OCR that joined columns: up to 41%).
PAGE_LINES = 3
LINES_PER_BLOCK = 2
COLUMN_LINE = 100
WIDE_LINE = 130
LONG_LINE = 160
LONG_SHARE = 0.45
MANY_LINES, SHORT_LINE = 40, 50
# A strip of scraps, each a line of a few characters between blank lines (a column cut by
# the scan's edge, a torn page): no article text is written in lines this short.
SCRAPS, SCRAP_LINE = 8, 24
_SEED_FURNITURE = re.compile(rb"^(?:(?i:newspapers)\s+(?i:in|from)\s+[A-Z][\w'.-]*"
                             rb"(?:\s+[A-Z][\w'.-]*){0,3}\.?|(?i:printed\s+and\s+distributed"
                             rb"\s+by\s+pressreader))$")
# Text whose bytes are nearly all figures and marks is data (Olive's OlvData.txt: page
# coordinates), not a page. Letters make 3-9% of the non-blank bytes of the first KB of
# that data, and at least 53% of the first KB of every front page of a month of
# Chronicling America OCR, mastheads and tables included (bytes of other scripts count as
# letters). One KB: every text file is sniffed, and 4 KB cost 3.5 us more a file.
DATA_LETTERS, DATA_HEAD, DATA_MIN = 0.15, 1024, 400
_NOT_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
# name=value (or an INI file's [section]); the name one token, the value anything
_SETTING_LINE = re.compile(rb"^\s*(?:[\w.\-]+\s*=\s*\S.*|\[[^\]\n]+\])\s*$")
# pdftotext -bbox-layout's word boxes (archive.formats.pdf_words)
_PDF_WORDS = re.compile(rb"<doc>\s*<page\b|<(?:block|line|word)\s+xMin=", re.IGNORECASE)
# Gale's issue XML (archive.formats.gale): its date field, its articles, its DTDs' names
_GALE = re.compile(rb"<pf>|<article[\s>]|LTO_issue|GALENP|ncnp|nccoissue", re.IGNORECASE)
_CHECKSUM_LINE = re.compile(rb"^\s*(?:(?:sha\d*|md5)\s*\(.+\)\s*=\s*[0-9a-f]{16,}"
                            rb"|[0-9a-f]{32,}\s+\*?\S.*)\s*$", re.IGNORECASE)


def sniff(name: str, head: bytes) -> str:
    """The reader name for a file (see archive.formats), or Rejected saying what it is."""
    lowered = name.lower().removesuffix(".gz").removesuffix(".bz2")
    what = _NOT_PAGE_NAMES.get(_base(lowered))
    if what is None and lowered.endswith(_NOT_PAGE_SUFFIXES):
        what = next(w for suffix, w in _NOT_PAGES.items() if lowered.endswith(suffix))
    if what is None and _documentation(_base(name)):
        what = "a documentation file (README, LICENSE and the like)"
    if what is not None:
        raise Rejected(f"not a page: {what} (by its name)")
    for magic, what in _COMPRESSED:
        if magic.match(head):
            raise Rejected(f"not read: a {what} (of compressed files gzip and bzip2 are "
                           "read: decompress it, or gzip it)")
    start = head
    if (wide := _utf16(head)) is not None:
        if wide.lstrip("\ufeff \t\r\n")[:1] == "<":  # XML in UTF-16: the parser reads it
            return _markup(wide.lstrip("\ufeff").encode("utf-8"))
        # UTF-16 text (FineReader's "Unicode text"): told apart as any text is, on its
        # characters; the reader decodes it (archive.decoding.decode)
        start = wide.lstrip("\ufeff").encode("utf-8")
    for bom in _BOMS:
        if start.startswith(bom):
            start = start[len(bom):]
            break
    if start.lstrip()[:1] == b"<":
        try:
            return _markup(start)
        except Rejected:
            if not _is_markup(start) and _page_ocr(start):
                return "ocr-text"  # OCR text that opens with a speck ("<.*?", "<?Ut%i")
            raise
    if b"\r" in start:  # lines ended as Windows (CR LF) or the classic Mac OS (CR) ends them
        start = start.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if _JSON_START.match(start):
        raise Rejected("not a page: JSON data")
    if _checksums(start):
        raise Rejected("not a page: a list of checksums (a delivery manifest)")
    if _settings(start):
        raise Rejected("not a page: a list of settings (name=value lines, such as an "
                       "export's style list)")
    if start.startswith(b"#!"):
        raise Rejected("not a page: a script (it opens with #!)")
    if start.strip() and not _WORD.search(start):
        raise Rejected("not a page: no word in it, only figures and marks")
    if _log(start):
        raise Rejected("not a page: a log (its lines open with the time)")
    if _file_list(start):
        raise Rejected("not a page: a list of files (its lines are paths or URLs)")
    if (share := _letter_share(start)) < DATA_LETTERS:
        raise Rejected(f"not a page: data, not text: letters are {share:.0%} of what it "
                       "holds (figures and marks, such as page coordinates)")
    if _page_ocr(start) or (_page_ocr_name(name) and not _BLANK_LINE.search(start.strip())):
        return "ocr-text"
    return "pressreader"


def _base(name: str) -> str:
    """A path's last part, whichever separator it uses."""
    return name[max(name.rfind("/"), name.rfind("\\")) + 1:]


_BLANK_LINE = re.compile(rb"\n[ \t]*\n")
_SEQ_OCR = re.compile(r"(?:^|[/\\])seq-\d+[/\\]ocr\.txt(?:\.gz)?$", re.IGNORECASE)


def _page_ocr_name(name: str) -> bool:
    """Whether a file is named as Chronicling America names a page's OCR text
    (".../seq-1/ocr.txt", "sn83045211-ed-1_seq-1.txt"): with no blank line in it (an
    article's text parts its headline and paragraphs so), what tells a page whose OCR
    read two lines from an article's text, which its content alone cannot."""
    if "seq-" not in name.lower():  # (both forms name the sequence)
        return False
    base = _base(name).lower().removesuffix(".gz")
    return bool(_SEQ_OCR.search(name)) or (lccn_of(base) is not None and "seq-" in base)


def _utf16(head: bytes) -> str | None:
    """The head decoded when it is UTF-16 (told by its byte-order mark, or by the zero
    bytes beside the first characters: "<\\0?\\0"), else None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16"
    elif len(head) >= 2 and (head[0] == 0) != (head[1] == 0):
        codec = "utf-16-be" if head[0] == 0 else "utf-16-le"
    else:
        return None
    return head[: len(head) // 2 * 2].decode(codec, "replace")


def _letter_share(head: bytes) -> float:
    """The share of letters among the non-blank bytes of the head's first DATA_HEAD bytes
    (1.0 for fewer than DATA_MIN: too little to tell). Every text file is sniffed: its
    first quarter KB is looked at first, and text clears it at once."""
    if len(head) < DATA_MIN:
        return 1.0
    for part in (head[:DATA_HEAD // 4], head[:DATA_HEAD]):
        letters = len(part.translate(None, _NOT_LETTERS))
        share = letters / max(1, len(part) - part.count(b" ") - part.count(b"\n"))
        if share >= 2 * DATA_LETTERS:
            return share
    return share


def root_element(head: bytes) -> tuple[str, str | None, str]:
    """(local name, namespace URI or None, prefix) of the document's root element, read
    from its first bytes without parsing the document."""
    prolog = _PROLOG.match(head)
    at = prolog.end() if prolog else 0
    match = _START_TAG.match(head, at)
    if match is None:
        raise Rejected("not a page: markup without a readable root element")
    prefix = (match["prefix"] or b"").decode("ascii", "replace")
    namespaces = {(m["prefix"] or b"").decode("ascii", "replace"): m["uri"].decode(
        "utf-8", "replace") for m in _XMLNS.finditer(match["attrs"])}
    return match["local"].decode("ascii", "replace"), namespaces.get(prefix), prefix


def _markup(head: bytes) -> str:
    local, namespace, _ = root_element(head)
    name = local.lower()
    if name == "mets":
        return "mets"
    if name == "alto":
        return "alto"
    if name == "didl":
        return "didl"
    if local == "PcGts":
        return "page-xml"
    if name in ("document", "page") and (_ABBYY_NAMESPACE in (namespace or "")
                                         or _ABBYY.search(head) or _ABBYY_PAGE.search(head)):
        return "abbyy"
    if local == "Xmd_toc":
        return "olive"
    if local == "XMD-entity":
        return "olive-entity"
    if local == "XMD-PAGE":
        raise Rejected("not a page to read: an Olive page's zoning (XMD-PAGE); its items are "
                       "read from the entity files its issue's TOC.xml names")
    if local == "issue" and namespace is None and _GALE.search(head):
        return "gale"
    if local == "BL_newspaper":
        return "bl-article"
    if name == "mods":  # archive.formats.mods_records reads it for the pages beside it
        raise Rejected("not a page: a MODS record (catalogue metadata: an XML page named as "
                       "it is takes its page number and section from it, every page of its "
                       "folder its title and issue date)")
    if name == "batch" and namespace == "http://www.loc.gov/ndnp":
        raise Rejected("not a page: an NDNP batch manifest (the issues and reels it lists "
                       "are read from their own METS files)")
    if name == "mix":
        raise Rejected("not a page: an image's technical metadata (MIX)")
    if name in ("html", "doc") and _PDF_WORDS.search(head):
        return "pdftotext"
    if name == "html":
        if _HOCR.search(head):
            return "hocr"
        raise Rejected("not a page: an HTML document without hOCR (no ocr_page)")
    where = f" in namespace {namespace}" if namespace else ""
    raise Rejected(f"not a page: an XML document whose root is <{local}>{where}; this archive "
                   "reads METS, ALTO, DIDL, hOCR, PAGE XML, ABBYY XML, Olive XML, Gale issue "
                   "XML, BL article XML and pdftotext's word boxes")


def _is_markup(head: bytes) -> bool:
    """Whether the bytes are markup of some kind (never to be read as text)."""
    start = head.lstrip()
    return bool(_XML_DECLARATION.match(start)) or len(
        _TAG.findall(start, 0, 8192)) >= MARKUP_TAGS


def _page_ocr(head: bytes) -> bool:
    """Whether text is page OCR rather than article text: most of its lines are as short
    as a newspaper column prints them, and stand in runs (a page without blank lines, or
    blocks of several lines between blank lines). Article text (the seed layout, web
    crawls) holds one long line per paragraph, with blank lines between."""
    lines = head.split(b"\n")
    if len(head) >= HEAD_BYTES:
        lines.pop()  # cut off mid-line
    runs = 0
    previous_blank = True
    lengths = []
    last: list[bytes] = []  # the last lines of text
    for line in lines:
        line = line.strip()
        if not line:
            previous_blank = True
            continue
        runs += previous_blank
        previous_blank = False
        lengths.append(len(line))
        last = [*last[-2:], line]
    if len(lengths) < PAGE_LINES:
        return False
    if any(_SEED_FURNITURE.match(line) for line in last):
        return False  # the seed layout's footers end it: article text, however wrapped
    lengths.sort()
    median = lengths[len(lengths) // 2]
    if sum(n for n in lengths if n > LONG_LINE) > LONG_SHARE * sum(lengths):
        return False  # most of the text is in lines as long as paragraphs
    # One run of many lines, no blank line at all: OCR may have read across the columns.
    wide = WIDE_LINE if runs == 1 and len(lengths) >= MANY_LINES else COLUMN_LINE
    # Or many lines shorter than any paragraph: page OCR even when its blocks are a line
    # each (a page of small type, a column cut by the scan).
    return (len(lengths) >= LINES_PER_BLOCK * runs and median <= wide) or (
        len(lengths) >= MANY_LINES and median <= SHORT_LINE) or (
        len(lengths) >= SCRAPS and median <= SCRAP_LINE)


# Two letters together (a byte beyond ASCII counts as a letter: other scripts' letters)
_WORD = re.compile(rb"(?:[A-Za-z]|[\x80-\xff]){2}")
# A log's line: a date and time, or a time to the second, first ("05:02:08.654 INFO")
_LOG_LINE = re.compile(rb"^\s*[\[(]?(?:\d{4}-\d\d-\d\d[T ])?\d\d:\d\d:\d\d\b")
LOG_LINES = 3  # of the first lines, this many at least, and most of them


def _log(head: bytes) -> bool:
    """Whether the head is a log: most of its first lines open with the time of day to
    the second (a timetable's lines give hours and minutes)."""
    lines = [line for line in head.split(b"\n", 20)[:20] if line.strip()]
    stamped = sum(1 for line in lines if _LOG_LINE.match(line))
    return stamped >= LOG_LINES and stamped >= 0.8 * len(lines)


# A path or a URL alone on its line ("/mnt/data/BL/0000031/1808/0427/x-0001.xml")
# (three parts at least, a letter among them: not a date, "10/12/16", nor a fraction)
_PATH_LINE = re.compile(rb"^\s*(?=[^\n]*[A-Za-z])(?:[A-Za-z]:\\|\.{0,2}/|[A-Za-z][\w+.-]*://)?"
                        rb"[^\s/\\]+(?:[/\\][^\s/\\]+){2,}[/\\]?\s*$")
# Of the first lines, this many paths at least and this share: a list of files, or a
# report of a run over them (headed by a line or two of its own per folder)
FILE_LIST_LINES, FILE_LIST_SHARE = 5, 0.4


def _file_list(head: bytes) -> bool:
    """Whether the head is a list of files: many of its first lines are a path or a URL
    alone (FILE_LIST_LINES, FILE_LIST_SHARE)."""
    if b"/" not in head and b"\\" not in head:  # every text file is sniffed: most have none
        return False
    lines = [line for line in head.split(b"\n", 50)[:50] if line.strip()]
    paths = sum(1 for line in lines if _PATH_LINE.match(line))
    return paths >= FILE_LIST_LINES and paths >= FILE_LIST_SHARE * len(lines)


def _settings(head: bytes) -> bool:
    """Whether the head is lines of settings (name=value, as INI files and the style list
    of an Olive export write them: '001="Times-Roman",10.000,(0,0,0)'): text never is."""
    if b"=" not in head and b"[" not in head:  # every text file is sniffed: most have none
        return False
    lines = [line for line in head.split(b"\n", 50)[:50] if line.strip()]
    if len(lines) < 3:
        return False
    misses = 0  # text fails at its first lines: stop there
    for line in lines:
        if not _SETTING_LINE.match(line):
            misses += 1
            if len(lines) - misses < 0.9 * len(lines):
                return False
    return True


def _checksums(head: bytes) -> bool:
    first = head.lstrip()[:300].split(b"\n", 1)[0]
    if not _CHECKSUM_LINE.match(first):  # a checksum list opens with a checksum line
        return False
    # one line is enough: a delivery's checksum of one file (page.alto.xml.md5) holds one
    lines = [line for line in head.split(b"\n")[:50] if line.strip()]
    return sum(1 for line in lines if _CHECKSUM_LINE.match(line)) >= 0.8 * len(lines)
