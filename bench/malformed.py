"""A corpus of malformed inputs for the reliability suite (bench.reliability): truncated and
garbage gzip, a gzip bomb, broken and mutated XML (ALTO, hOCR, METS units), entity bombs and
external entities, deep nesting, binary files, empty files, huge lines, bad encodings, bad
sidecars and manifests, METS units pointing outside their folder, odd file names.

Each file is read on its own (its time against its budget, archive.budget) and the whole
corpus is ingested once (every file must be accounted for in `sources`). Seeds for the
mutations are the repository's own invented fixtures, and, when ../shared/corpus is there,
real ALTO, hOCR and OCR text pages (copied to the work folder only, never the repository).
"""

from __future__ import annotations

import gzip
import json
import os
import random
import time
import zlib
from collections import Counter
from pathlib import Path

from archive.budget import seconds_for
from archive.ingest import ingest, read_file
from archive.model import ReadOptions
from archive.store import Store
from archive.walk import is_meta, source_key

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
CORPUS = REPO.parent / "shared" / "corpus"
PAGE = ("Arab Times\n\nCouncil approves the budget\n\n-\n\nKUWAIT CITY, Nov 4, (KUNA): The "
        "council approved the budget on Sunday after a long debate, officials said.\n\n"
        "The plan covers five years of spending on housing and roads.\n\n"
        "Newspapers in English\n")
ALTO = ('<?xml version="1.0"?>{doctype}<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#">'
        '<Layout><Page ID="P1" WIDTH="1000" HEIGHT="2000"><PrintSpace><TextBlock ID="B1">'
        '{lines}</TextBlock></PrintSpace></Page></Layout></alto>')
LINE = ('<TextLine><String CONTENT="{a}" WC="0.9"/><SP/><String CONTENT="{b}" '
        'SUBS_TYPE="HypPart1" SUBS_CONTENT="{a}{b}"/><HYP CONTENT="-"/></TextLine>')
BOMB = ('<!DOCTYPE alto [<!ENTITY a "lollollollollollollollollollol">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                  for i in range(9)) + ']>')
XXE = '<!DOCTYPE alto [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def seeds() -> list[tuple[str, bytes]]:
    """(name, bytes) of well-formed inputs to mutate."""
    found = []
    for path in sorted(FIXTURES.rglob("*")):
        if path.is_file() and path.suffix in (".txt", ".xml", ".hocr") and path.stat().st_size:
            found.append((path.name, path.read_bytes()))
    if CORPUS.is_dir():
        for pattern in ("alto/**/*.xml.gz", "hocr/**/*.hocr.gz", "chronam-ocr/**/*.txt.gz"):
            for path in sorted(CORPUS.glob(pattern))[:6]:
                if "mets" not in path.name and path.stat().st_size < 8 << 20:
                    found.append((path.name[:-3], gzip.decompress(path.read_bytes())))
    return found


def mutate(data: bytes, rng: random.Random) -> bytes:
    """data with a few random edits: bytes flipped, cut, duplicated, truncated."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not data:
            break
        at = rng.randrange(len(data))
        kind = rng.randrange(5)
        if kind == 0:
            data[at] = rng.randrange(256)
        elif kind == 1:
            del data[at:at + rng.randint(1, 64)]
        elif kind == 2:
            data[at:at] = data[at:at + rng.randint(1, 4096)] * rng.randint(1, 20)
        elif kind == 3:
            data[at:at] = rng.choice([b"<", b">", b"&", b"]]>", b"<!--", b"\x00", b"\xff",
                                      b"-\n", b"<TextLine>", b"</String>", b'"', b"&#0;"])
        else:
            del data[at:]
    return bytes(data)


def write(root: Path, count: int, seed: int) -> dict[str, str]:
    """Write about `count` malformed inputs under root; {relative path: kind}."""
    rng = random.Random(seed)
    kinds: dict[str, str] = {}
    pool = seeds()

    def put(kind: str, name: str, data: bytes | str) -> Path:
        path = root / kind / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str)
                         else data)
        kinds[str(path.relative_to(root))] = kind
        return path

    share = max(1, count // 40)  # of each kind; mutated files make up the rest
    words = [("inter", "national"), ("govern", "ment"), ("news", "paper")]
    for n in range(share):  # gzip: truncated, garbage, and one bomb
        packed = gzip.compress(PAGE.encode())
        put("gzip", f"cut{n}.txt.gz", packed[:rng.randrange(len(packed))])
        put("gzip", f"garbage{n}.txt.gz", b"\x1f\x8b" + rng.randbytes(rng.randint(0, 4000)))
    bomb = zlib.compressobj(9, zlib.DEFLATED, 31)
    put("gzip", "bomb.txt.gz", b"".join(bomb.compress(b"\0" * (1 << 20)) for _ in range(512))
        + bomb.flush())  # 512 MB of NUL bytes in half a megabyte
    for n in range(share):  # XML: entity bombs, external entities, deep nesting, broken
        lines = "".join(LINE.format(a=a, b=b) for a, b in (rng.choice(words),) * 20)
        put("xml", f"bomb{n}.xml", ALTO.format(doctype=BOMB, lines=lines.replace(
            'CONTENT="inter"', 'CONTENT="&j;"')))
        put("xml", f"xxe{n}.xml", ALTO.format(doctype=XXE, lines=lines.replace(
            'CONTENT="news"', 'CONTENT="&x;"')))
        put("xml", f"deep{n}.xml", "<alto>" + "<TextBlock>" * 200_000 + "</alto>")
        put("xml", f"broken{n}.xml", ALTO.format(doctype="", lines=lines)[:rng.randint(
            10, 2000)])
    lines = "".join(LINE.format(a=a, b=b) for a, b in words * 20_000)  # 60,000 hyphen pairs
    put("xml", "hyphens.xml", ALTO.format(doctype="", lines=lines))
    for n in range(share):  # binary and empty
        put("binary", f"random{n}.txt", rng.randbytes(rng.randint(1, 100_000)))
        put("binary", f"png{n}.txt", b"\x89PNG\r\n\x1a\n" + rng.randbytes(2000))
        put("binary", f"nul{n}.txt", PAGE.replace("council", "\0council"))
        put("empty", f"empty{n}.txt", b"")
        put("empty", f"blank{n}.txt", " \n\t\n" * rng.randint(1, 1000))
    for n, text in enumerate([  # huge lines and pathological text
            "a" * (2 << 20), "-" * (1 << 20), "a-\n" * (1 << 20), "inter-\nnational " * 200_000,
            "prices\n\n" * 100_000, ")" * (1 << 20), "KUWAIT CITY, Nov 3, (KUNA): " * 40_000,
            "ΣΑΣ-\nσ " * 200_000, "\u00ad" * (1 << 20), "Ã©" * (1 << 20)]):
        put("huge", f"huge{n}.txt", "Arab Times\n\nHeadline\n\n-\n\n" + text)
    for n in range(share):  # encodings
        put("encoding", f"utf16{n}.txt", PAGE.encode("utf-16-le"))
        put("encoding", f"mixed{n}.txt", PAGE.encode() + "مجلس الأمة".encode("cp1256")
            + "مجلس".encode())
        put("encoding", f"invalid{n}.txt", PAGE.encode()[:50] + b"\xc0\xaf\xed\xa0\x80"
            + PAGE.encode()[50:])
    for n in range(share * 2):  # sidecars and manifests
        value = rng.choice([3, 10 ** 29, ["x"], {"a": 1}, "\ud800", "\0", "x" * 300, -1, 1.5,
                            True, None, "2017-02-30", "0001-01-01", "²"])
        field = rng.choice(["publication", "date", "page", "section", "language", "country"])
        page = put("sidecar", f"p{n}.txt", PAGE)
        page.with_name(page.name + ".json").write_text(json.dumps({field: value}))
        folder = f"m{n}"
        put("manifest", f"{folder}/a.txt", PAGE)
        (root / "manifest" / folder / "manifest.json").write_text(json.dumps(rng.choice([
            {"files": []}, {"files": {"a.txt": "x"}}, {"files": {"a.txt": {field: value}}},
            {field: value}, [1], "x"])))
    (root / "sidecar" / "lonely.txt.json").write_text("{}")  # a sidecar without its page
    kinds["sidecar/lonely.txt.json"] = "sidecar"
    for n, ref in enumerate(["../../../../etc/passwd", "/etc/passwd", "file:///etc/hostname",
                             "http://example.com/a.xml", "missing.xml", "unit.xml"]):
        put("mets", f"u{n}/unit.xml", _mets(ref))  # a unit naming a file outside or absent
    for n, name in enumerate(["-rf.txt", "a\nb.txt", "x" * 250 + ".txt", "bad\udcff.txt"]):
        put("names", name, PAGE.replace("budget", f"budget {n}"))
    links = root / "links"
    links.mkdir()
    for name, target in (("nothing.txt", "gone.txt"), ("folder", ".."), ("self.txt", "self.txt")):
        os.symlink(target, links / name)  # to nothing, to a folder (a loop), to itself
        kinds[f"links/{name}"] = "links"
    left = count - len(kinds)
    for n in range(max(0, left)):  # mutated real and invented pages, units and members
        name, data = pool[n % len(pool)]
        put("mutated", f"m{n}-{name}", mutate(data, rng))
    return kinds


def _mets(ref: str) -> str:
    return ('<?xml version="1.0"?><mets xmlns="http://www.loc.gov/METS/" '
            'xmlns:xlink="http://www.w3.org/1999/xlink"><fileSec><fileGrp USE="Text">'
            f'<file ID="F1"><FLocat LOCTYPE="URL" xlink:href="{ref}"/></file></fileGrp>'
            '</fileSec><structMap TYPE="PHYSICAL"><div TYPE="page"><fptr FILEID="F1"/></div>'
            '</structMap></mets>')


def run(work: Path, count: int, seed: int, say) -> dict:
    """Write the corpus, read each file against its budget, ingest it all; the figures."""
    root = work / "inputs"
    kinds = write(root, count, seed)
    say(f"malformed: {len(kinds)} files written under {root}")
    by_kind: dict[str, dict] = {}
    slowest: list[tuple[float, str]] = []
    over = []
    options = ReadOptions()
    for name in sorted(kinds):
        path = root / name
        if name.endswith(".json") or not path.is_file():
            continue
        started, cpu = time.perf_counter(), time.process_time()
        outcome = read_file(path, root, options)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu  # what the budget counts (archive.budget)
        budget = seconds_for(path.stat().st_size)
        kind = by_kind.setdefault(kinds[name], {"files": 0, "ingested": 0, "rejected": 0,
                                                "slowest_seconds": 0.0, "most_of_budget": 0.0})
        kind["files"] += 1
        kind["ingested" if outcome.parsed else "rejected"] += 1
        kind["slowest_seconds"] = round(max(kind["slowest_seconds"], seconds), 2)
        kind["most_of_budget"] = max(kind["most_of_budget"], cpu / budget)
        slowest.append((seconds, name))
        if cpu > budget or (outcome.reason or "").startswith("took longer"):
            over.append(name)
    store = Store(work / "store.sqlite3")
    try:
        report = ingest(store, [root], options)
        recorded = {r.path for r in store.sources()}
        members = {m[1] for unit in store.unit_files().values() for m in unit if m[1]}
        reasons = Counter(_reason_class(r.reason) for r in store.sources() if r.reason)
        internal = [r.path for r in store.sources() if r.reason and (
            "internal error" in r.reason or "please report" in r.reason)]
    finally:
        store.close()
    # What is there, found without archive.walk (which is under test): every file and
    # link but the metadata read with a page.
    inputs = [os.path.join(folder, name) for folder, dirs, files in os.walk(root)
              for name in [*files, *(d for d in dirs if os.path.islink(os.path.join(folder, d)))]]
    pages = [n for n in inputs if not is_meta(Path(n))]
    missing = [n for n in pages if source_key(n) not in recorded | members]
    say(f"malformed: ingest saw {report.seen}, {len(missing)} unaccounted, {len(over)} over "
        f"budget, {len(internal)} internal errors")
    slowest.sort(reverse=True)
    return {"kinds": by_kind, "summary": {
        "inputs": len(inputs), "pages_and_links": len(pages), "seen_by_ingest": report.seen,
        "ingested": report.ingested, "rejected": len(report.rejected),
        "unaccounted": len(missing), "over_budget": len(over),
        "internal_errors": len(internal),
        "slowest_file_seconds": round(slowest[0][0], 2) if slowest else 0,
        "ingest_seconds": round(report.seconds, 1)},
        "reasons": dict(reasons.most_common(25)), "unaccounted_files": missing[:20],
        "over_budget_files": over[:20], "internal_error_files": internal[:20],
        "slowest_files": [(round(s, 2), n) for s, n in slowest[:10]]}


def _reason_class(reason: str) -> str:
    """A reason without its particulars (numbers, names), to count alike ones together."""
    head = reason.split(":")[0]
    return "".join("N" if c.isdigit() else c for c in head)[:60]
