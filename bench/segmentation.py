"""python -m bench segmentation: how well the ingester splits scanned pages into articles,
against ground truth this benchmark derives itself (bench.truth_mets, bench.truth_hocr).

Each run feeds the real ingester (archive.ingest.ingest into a fresh store) one form of
the same pages and reads the stored articles back: "mets" (METS issues with their ALTO
pages), "alto-alone" (the ALTO pages without their METS file: layout segmentation),
"hocr" (the annotated hOCR pages), "text" (the ALTO pages rendered as plain OCR text, a
blank line between blocks) and "text-lines" (the same without blank lines, as Chronicling
America's ocr.txt has it).
Baselines computed here on the same pages show the scale: "perfect" (the truth as
stored items), "one-item-per-block" (every OCR block an article) and "whole-page".
A reader that is missing or rejects the pages makes its run say so; nothing crashes.

The unit of truth follows what a run reads. The "mets" run reads whole issues, and the
METS says which parts on several pages make one article: it is scored against the issue's
items. Every other run (and baseline) reads one page file at a time, and nothing in a
page file says which article goes on in another file (a jump line names a page, and is
furniture): it is scored against each true item's part on each page (Issue.by_page), so
that an article continued over three pages is three parts to recover, not one item no
page reader could ever hold."""

from __future__ import annotations

import json
import os
import platform
import shutil
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from bench.alignment import Predicted, stored_tokens
from bench.seg_metrics import Tally, score, summary
from bench.seg_report import DEFINITIONS, markdown
from bench.truth import KIND_ARTICLE, Issue, read_bytes
from bench.truth_alto import render_text
from bench.truth_hocr import read_hocr_issue
from bench.truth_mets import read_mets
from bench.workspace import work_folder

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
JOBS = 2
# Each ingest run and the collections it applies to (their Collection.source).
RUNS = {"mets": "mets", "alto-alone": "mets", "text": "mets", "text-lines": "mets",
        "hocr": "hocr"}
TEXT_RUNS = {"text": True, "text-lines": False}  # each text run: blank lines between blocks
# The runs whose readers see the issue as a whole (scored against the issue's items); the
# others read page files one by one and are scored against the items' parts on each page.
ISSUE_RUNS = frozenset({"mets"})
Say = Callable[[str], None]


@dataclass(frozen=True)
class Collection:
    key: str
    label: str
    source: str  # "mets": a METS/ALTO issue; "hocr": annotated hOCR pages
    path: str  # under the corpus: the METS file, or the hOCR data folder


_BL = "alto/impresso__impresso-text-acquisition/text_preparation/data/sample_data/BL/"
_LWM = "alto/Living-with-machines__alto2txt/demo-files/"
COLLECTIONS = (
    Collection("bl-1832", "BL 1832", "mets",
               _BL + "BLIP_20190920_01/0002088/1832/1123/0002088_18321123_mets.xml.gz"),
    Collection("bl-1855", "BL 1855", "mets",
               _BL + "BLIP_20190929_04/0002244/1855/0922/0002244_18550922_mets.xml.gz"),
    Collection("bl-alto2txt-1824", "BL alto2txt 1824", "mets",
               _LWM + "0002647/1824/0217/0002647_18240217_mets.xml.gz"),
    Collection("bl-alto2txt-1874", "BL alto2txt 1874", "mets",
               _LWM + "bl-repo-files/BLNewspapers_TheSouthStaffordshireExaminer_0002599_1874/"
               "0502/0002599_18740502_mets.xml.gz"),
    Collection("bnl-1858", "BnL 1858", "mets",
               "alto/impresso__impresso-text-acquisition/text_preparation/data/sample_data/"
               "Luxembourg/public_domain_006/2385348_newspaper_luxzeit1858_1858-12-07_01/"
               "2385348_newspaper_luxzeit1858_1858-12-07_01-mets.xml.gz"),
    Collection("hocr-1905", "hOCR 1905", "hocr", "hocr/OlivierBinette__TessTools/data-raw"),
)
HOCR_ISSUE = "dchnp71001"


def load(corpus: Path, notes: list[str], collections: Sequence[Collection] = COLLECTIONS
         ) -> list[tuple[Collection, Issue]]:
    """The truth of every collection present in the corpus (absent ones noted)."""
    found = []
    for collection in collections:
        path = corpus / collection.path
        if not path.exists():
            notes.append(f"{collection.label}: not in the corpus ({collection.path})")
            continue
        try:
            if collection.source == "mets":
                issue = read_mets(path)
            else:
                issue = read_hocr_issue(path / "hocr", path / "ground-truth", HOCR_ISSUE,
                                        path / "chronicle_meta_20210115.csv.gz")
        except (OSError, ValueError, SyntaxError) as error:  # lxml's XMLSyntaxError is one
            notes.append(f"{collection.label}: truth unreadable: {error}")
            continue
        found.append((collection, issue))
    return found


def run(out: Path, corpus: Path = CORPUS, jobs: int = JOBS, work: Path | None = None,
        say: Say = print, runs: Sequence[str] | None = None,
        issue_files: Sequence[Path] = ()) -> dict:
    """Measure every run (or only the named ones: their ingest is what takes time) and
    every baseline; write out (JSON) and its .md twin; return the data. issue_files: METS
    files to measure instead of the corpus's collections (each its own collection)."""
    unknown = sorted(set(runs or ()) - set(RUNS))
    if unknown:
        raise ValueError(f"unknown run(s): {', '.join(unknown)} (known: {', '.join(RUNS)})")
    notes: list[str] = []
    collections = tuple(Collection(f"issue-{n}", f"{path.parent.name}/{path.name}", "mets",
                                   str(path.resolve()))
                        for n, path in enumerate(issue_files, 1)) or COLLECTIONS
    issues = load(corpus, notes, collections)
    with work_folder(work, "segmentation") as scratch:
        data = _measure(issues, scratch, jobs, notes, say, runs)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text(markdown(data), encoding="utf-8")
    return data


def _measure(issues: list[tuple[Collection, Issue]], scratch: Path, jobs: int,
             notes: list[str], say: Say, runs: Sequence[str] | None = None) -> dict:
    collections: dict[str, dict] = {}
    pooled: dict[str, Tally] = defaultdict(Tally)
    pooled_from: dict[str, list[str]] = defaultdict(list)
    for collection, issue in issues:
        entry = collections[collection.key] = {
            "label": collection.label, "issue": issue.name,
            "date": issue.date.isoformat() if issue.date else None,
            "truth": _truth_stats(issue), "runs": {}}
        notes += [f"{collection.label} truth: {n}" for n in issue.notes]
        paged = issue.by_page()
        for name, (candidates, items) in _baselines(paged).items():
            tally = score(paged, candidates, items)
            entry["runs"][name] = {"status": "baseline", "truth": "page", **summary(tally)}
            pooled[name].add(tally)
            pooled_from[name].append(collection.key)
    speed: dict[str, dict] = {}
    for name, source in RUNS.items():
        if runs is not None and name not in runs:
            continue
        targets = [(c, i) for c, i in issues if c.source == source]
        if not targets:
            continue
        say(f"{name}: ingesting {sum(len(i.pages) for _, i in targets)} pages")
        results, speed[name] = _ingest_run(name, targets, scratch / name, jobs)
        for (collection, _), (result, tally) in zip(targets, results, strict=True):
            collections[collection.key]["runs"][name] = result
            say(f"{name} {collection.label}: {result['status']}")
            if result.get("note"):
                notes.append(f"{name} {collection.label}: {result['note']}")
            if tally is not None:
                pooled[name].add(tally)
                pooled_from[name].append(collection.key)
    overall = {name: {"collections": pooled_from[name],
                      "truth": "issue" if name in ISSUE_RUNS else "page", **summary(tally)}
               for name, tally in pooled.items()}
    notes += [f"speed: seconds of one ingest() call over all issues of a run into a fresh "
              f"store, jobs={jobs}" + _serial_note(speed),
              "a collection's figures count every page of the run, rejected pages too (they "
              "hold nothing)"]
    return {"benchmark": "segmentation", "definitions": DEFINITIONS,
            "machine": {"cpu_count": os.cpu_count(), "python": platform.python_version()},
            "jobs": jobs, "collections": collections, "overall": overall, "speed": speed,
            "notes": notes}


def _serial_note(speed: dict[str, dict]) -> str:
    """Why jobs may not matter: ingest() shares files among workers only when each gets
    enough of them (archive.ingest.MIN_FILES_PER_WORKER)."""
    from archive import ingest

    least = getattr(ingest, "MIN_FILES_PER_WORKER", None)
    pages = max((entry.get("pages", 0) for entry in speed.values()), default=0)
    if least is None or pages >= 2 * least:
        return ""
    return (f"; ingest() starts workers only with {least} files or more for each, so "
            f"these runs of at most {pages} pages were read in one process")


def _truth_stats(issue: Issue) -> dict:
    items = Counter(item.kind for item in issue.items.values())
    tokens: Counter = Counter()
    for page in issue.pages:
        for line in page.lines:
            tokens.update(issue.kind_of(label) or "furniture" for label in line.labels)
    parts = Counter(item.kind for item in issue.by_page().items.values())
    return {"pages": len(issue.pages), "items": dict(sorted(items.items())),
            "page_parts": dict(sorted(parts.items())), "tokens": dict(sorted(tokens.items()))}


Candidates = dict[int, Sequence[Predicted]]


def _baselines(issue: Issue) -> dict[str, tuple[Candidates, list[Predicted]]]:
    """The baselines' items: the truth itself (issue-wide items, true kinds), one
    article per OCR block, one article per page."""
    by_item: dict[str, list[str]] = defaultdict(list)
    for page in issue.pages:
        for line in page.lines:
            for token, label in zip(line.tokens, line.labels, strict=True):
                if label in issue.items:
                    by_item[label].append(token)
    perfect = tuple(Predicted(k, issue.items[k].kind, tuple(v)) for k, v in by_item.items())
    blocks: Candidates = {}
    pages: Candidates = {}
    for page in issue.pages:
        tokens: dict[str, list[str]] = defaultdict(list)
        for line in page.lines:
            tokens[line.block].extend(line.tokens)
        blocks[page.number] = tuple(Predicted(f"{page.number}/{b}", KIND_ARTICLE, tuple(t))
                                    for b, t in tokens.items())
        pages[page.number] = (Predicted(str(page.number), KIND_ARTICLE,
                                        tuple(t for line in page.lines for t in line.tokens)),)
    return {"perfect": ({p.number: perfect for p in issue.pages}, list(perfect)),
            "one-item-per-block": (blocks, [p for v in blocks.values() for p in v]),
            "whole-page": (pages, [p for v in pages.values() for p in v])}


# --- ingest runs -----------------------------------------------------------------------

def _write(path: Path, data: bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return str(path.resolve())


def _inputs(name: str, collection: Collection, issue: Issue, folder: Path
            ) -> tuple[str | None, dict[str, int]]:
    """Write one issue's input files for a run; (the unit file the run must read, or None;
    page file -> page number). Files are written decompressed under their delivered
    names, in a folder named by the issue date."""
    base = folder / collection.key / (issue.date.isoformat() if issue.date else "undated")
    unit = None
    pages: dict[str, int] = {}
    # the folder holding the unit and its pages: the unit's own, or the one above when
    # the pages lie beside it (BnF: toc/T....xml names ../ocr/X....xml)
    home = Path(os.path.commonpath([issue.unit.parent, *(p.file.parent for p in issue.pages)])
                ) if issue.unit else None
    for page in issue.pages:
        plain = page.file.name.removesuffix(".gz")
        if name in TEXT_RUNS:
            target = base / (plain.removesuffix(".xml") + ".txt")
            pages[_write(target, render_text(page, TEXT_RUNS[name]).encode("utf-8"))] = \
                page.number
            continue
        relative = page.file.parent.relative_to(home) if home else Path()
        pages[_write(base / relative / plain, read_bytes(page.file))] = page.number
    if name == "mets" and issue.unit is not None:
        inside = issue.unit.parent.relative_to(home)  # type: ignore[arg-type]
        unit = _write(base / inside / issue.unit.name.removesuffix(".gz"),
                      read_bytes(issue.unit))
    return unit, pages


def _ingest_run(name: str, targets: list[tuple[Collection, Issue]], folder: Path,
                jobs: int) -> tuple[list[tuple[dict, Tally | None]], dict]:
    """Ingest every issue of a run at once; score each; (results, speed)."""
    from archive.ingest import ingest
    from archive.model import ReadOptions
    from archive.store import Store

    shutil.rmtree(folder, ignore_errors=True)
    written = [_inputs(name, c, i, folder) for c, i in targets]
    store_path = folder.parent / f"{name}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{store_path}{suffix}").unlink(missing_ok=True)
    page_count = sum(len(pages) for _, pages in written)
    units: dict[str, str] = {}  # page file -> the unit that read it
    try:
        store = Store(store_path)
        try:
            started = time.perf_counter()
            ingest(store, [folder], ReadOptions(), jobs=jobs)
            seconds = time.perf_counter() - started
            sources = {r.path: r for r in store.sources()}
            # a page file read as a member of a unit (a page series, or a METS issue's
            # page) is found under its unit, with the unit's record
            for unit_path, members in store.unit_files().items():
                for _href, path, _sha, _size, problem in members:
                    if path is not None and path not in sources and unit_path in sources:
                        sources[path] = sources[unit_path] if problem is None else \
                            _Record("rejected", problem, None)
                        units[path] = unit_path
            articles = sorted(store.articles(), key=lambda a: (a.source, a.position, a.id))
        finally:
            store.close()
    except Exception as error:  # the ingester itself failed: say so for every issue
        reason = f"ingest failed: {type(error).__name__}: {error}"
        return [({"status": reason}, None) for _ in targets], {"status": reason}
    by_source: dict[str, list] = defaultdict(list)
    for article in articles:
        by_source[article.source].append(article)
    results = [_score_run(name, issue, unit, pages, sources, by_source, units)
               for (_, issue), (unit, pages) in zip(targets, written, strict=True)]
    measured = any(tally is not None for _, tally in results)
    speed = {"pages": page_count, "seconds": round(seconds, 3), "jobs": jobs,
             "pages_per_s": round(page_count / seconds, 1) if measured and seconds else None}
    if not measured:
        speed["status"] = "no page was read: the figure would time rejections"
    return results, speed


class _Record(NamedTuple):
    """A page file's record when its unit could not read it."""

    status: str
    reason: str | None
    parser_version: str | None


def _score_run(name: str, issue: Issue, unit: str | None, pages: dict[str, int],
               sources: dict, by_source: dict[str, list], units: dict[str, str]
               ) -> tuple[dict, Tally | None]:
    """Score one issue of a run, or say why it could not be read. A page series' articles
    are stored under its first page's file: each goes to the page it says it is on."""
    expected = [unit] if name == "mets" else list(pages)
    records = [sources.get(path) for path in expected]
    rejected = [(path, r.reason if r else "not read (no record in the store)")
                for path, r in zip(expected, records, strict=True)
                if r is None or r.status != "ingested"]
    reasons = Counter(reason or "rejected" for _, reason in rejected)
    reason_text = "; ".join(f"{r}" + (f" (x{n})" if n > 1 else "") for r, n in reasons.items())
    if len(rejected) == len(expected):
        return {"status": f"reader missing/rejected: {reason_text}"}, None
    read_by = Counter(r.parser_version or "?" for r in records if r and r.status == "ingested")
    stored: list[Predicted] = []
    candidates: dict[int, list[Predicted]] = defaultdict(list)
    numbers = [p.number for p in issue.pages]
    for path in dict.fromkeys(units.get(path, path) for path in expected):
        series = path in pages and any(units.get(p) == path for p in pages)
        for position, article in enumerate(by_source.get(path, ())):
            item = Predicted(f"{path}#{position}", article.kind, stored_tokens(
                article.headline, article.subtitle, article.byline,
                article.dateline.text if article.dateline else None, article.paragraphs))
            stored.append(item)
            if series:
                on = [article.page] if article.page in numbers else numbers
            else:
                on = [pages[path]] if path in pages else numbers
            for number in on:
                candidates[number].append(item)
    unit = "issue" if name in ISSUE_RUNS else "page"
    tally = score(issue if unit == "issue" else issue.by_page(), dict(candidates), stored)
    status = "ok" if not rejected else \
        f"partial: {len(rejected)} of {len(expected)} files rejected: {reason_text}"
    result = {"status": status, "read_by": dict(sorted(read_by.items())), "truth": unit,
              **summary(tally)}
    if name == "mets":
        alone = sum(1 for p in pages if p in sources and p not in units
                    and sources[p].status == "ingested")
        if alone:
            result["note"] = f"{alone} ALTO page(s) were also read on their own (not scored)"
    return result, tally
