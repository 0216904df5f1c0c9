"""python -m bench alto-speed: how fast ALTO pages are read, alone and in METS issues.

Two measures, on every ALTO page and METS issue of the shared corpus (alto/):
- CPU per page by stage, in this process (time.process_time, the fastest of --repeat
  rounds per file): for a page read alone (layout segmentation) parse (the XML, through
  archive.formats.xmlsafe), layout (the Page of blocks, lines and words), segment
  (archive.segmentation) and finish (archive.articles, shared by every reader); for a
  METS issue the reader (its METS, its ALTO pages, the pages no article places segmented)
  and finish, per page of the issue.
- pages per second of archive.ingest.ingest with --jobs workers into a fresh store: the
  corpus is copied --copies times into a temporary folder (ingest() starts a worker only
  for 64 units or more; the corpus holds 28 pages of 5 issues, and the pages of one issue
  are one unit, a page series, as are a METS file and its pages), once as pages alone and
  once as issues. Copies of a page make articles the store already holds (it notes duplicates),
  so the store writes less than for new pages: the reading is what this measures. Beside
  the wall-clock rate, the CPU time of the workers and the writer gives the rate the run
  would reach on --jobs free cores (a shared machine's wall clock says more about its
  other work).

CPU time varies far less than wall time with whatever else the machine runs; the load
average at the start and end is reported beside the numbers."""

from __future__ import annotations

import json
import os
import resource
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import click

from archive.articles import finish
from archive.formats import Input, choose
from archive.formats.alto import parse_alto
from archive.formats.xmlsafe import parse
from archive.ingest import ingest
from archive.metadata import page_meta
from archive.model import RawUnit, ReadOptions, Rejected
from archive.segmentation import printed_meta, segment
from archive.store import Store
from archive.units import decompress, plan, read_head, read_members

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
LIMIT = 256 * 1024 * 1024
MIN_TASKS_PER_JOB = 64  # archive.ingest.MIN_FILES_PER_WORKER: fewer and no worker starts
Say = Callable[[str], None]


def find_inputs(corpus: Path) -> tuple[list[Path], list[Path]]:
    """The ALTO page files and the METS issue files under corpus/alto (told by content)."""
    pages, issues = [], []
    for path in sorted((corpus / "alto").rglob("*.xml*")):
        try:
            name = choose(str(path), read_head(str(path))).name
        except Exception:  # noqa: BLE001 - not a form this benchmark reads
            continue
        if name == "alto":
            pages.append(path)
        elif name == "mets":
            issues.append(path)
    return pages, issues


def _data(path: Path) -> bytes:
    data = path.read_bytes()
    return decompress(data, LIMIT)


def _cpu(call: Callable[..., object], *args: object) -> tuple[float, object]:
    started = time.process_time()
    result = call(*args)
    return time.process_time() - started, result


def page_stages(pages: list[Path], root: Path, repeat: int) -> dict[str, float]:
    """CPU ms per page alone, by stage (parse, layout, segment, finish), and the total;
    a page the reader rejects (no words) is counted apart, not timed."""
    options = ReadOptions()
    totals = {"parse": 0.0, "layout": 0.0, "segment": 0.0, "finish": 0.0}
    rejected = 0
    for path in pages:
        data = _data(path)
        meta = page_meta(path, root)
        best: dict[str, float] | None = None
        try:
            for _ in range(repeat):
                parsing, _ = _cpu(parse, data, "ALTO", False)
                reading, page = _cpu(parse_alto, data)  # parse + layout
                segmenting, found = _cpu(segment, page)
                items, stripped = found
                unit = RawUnit(items=tuple(items), stripped=tuple(stripped),
                               printed=printed_meta(stripped))
                finishing, _ = _cpu(finish, unit, str(path), "0" * 64, meta, options)
                times = {"parse": parsing, "layout": max(0.0, reading - parsing),
                         "segment": segmenting, "finish": finishing}
                if best is None or sum(times.values()) < sum(best.values()):
                    best = times
        except Rejected:
            rejected += 1
            continue
        for stage, seconds in (best or {}).items():
            totals[stage] += seconds
    timed = max(1, len(pages) - rejected)
    out = {stage: round(seconds / timed * 1000, 2) for stage, seconds in totals.items()}
    out["total"] = round(sum(totals.values()) / timed * 1000, 2)
    out["rejected"] = rejected
    return out


def issue_stages(issues: list[Path], root: Path, repeat: int) -> dict[str, float]:
    """CPU ms per page of the METS issues: the reader (METS, ALTO, unplaced pages
    segmented) and finish."""
    options = ReadOptions()
    read_total = finish_total = 0.0
    pages = 0
    rejected = 0
    for path in issues:
        data = _data(path)
        reader = choose(str(path), data[:65536])
        members = tuple(reader.members(str(path), data))
        member_data, _ = read_members(reader, members)
        meta = page_meta(path, root)
        best = None
        try:
            for _ in range(repeat):
                reading, unit = _cpu(reader.read, Input(str(path), data, meta, member_data),
                                     options)
                finishing, _ = _cpu(finish, unit, str(path), "0" * 64, meta, options)
                if best is None or reading + finishing < sum(best):
                    best = (reading, finishing)
        except Rejected:  # (an issue file that names no page text: BnF's manifest.xml)
            rejected += 1
            continue
        pages += len(members)
        read_total += best[0]
        finish_total += best[1]
    per = 1000 / max(1, pages)
    return {"read": round(read_total * per, 2), "finish": round(finish_total * per, 2),
            "total": round((read_total + finish_total) * per, 2), "pages": pages,
            "rejected": rejected}


def ingest_speed(files: list[Path], root: Path, copies: int, jobs: int) -> dict:
    """Pages/s of one ingest() call over `copies` copies of the files (with the folders
    they lie in, relative to root) into a fresh store."""
    with tempfile.TemporaryDirectory(prefix="alto-speed-") as scratch:
        folder = Path(scratch) / "in"
        pages = 0
        for n in range(copies):
            for path in files:
                target = folder / f"copy{n}" / path.relative_to(root)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                pages += 1
        store = Store(Path(scratch) / "store.sqlite3")
        try:
            children = _children_cpu()
            cpu = time.process_time()
            started = time.perf_counter()
            report = ingest(store, [folder], ReadOptions(), jobs=jobs)
            seconds = time.perf_counter() - started
            cpu = time.process_time() - cpu
            children = _children_cpu() - children
        finally:
            store.close()
    # What the run would take on `jobs` free cores: the workers' and the writer's CPU
    # shared among them, or the writer's alone when it is the slower (it is one process).
    free = max((cpu + children) / jobs, cpu)
    return {"files": pages, "seconds": round(seconds, 2), "jobs": jobs,
            "articles": report.articles_total, "rejected": len(report.rejected),
            "files_per_s": round(pages / seconds, 1),
            "writer_cpu_s": round(cpu, 2), "workers_cpu_s": round(children, 2),
            "free_cores_s": round(free, 2)}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # workers, once they are joined
    return usage.ru_utime + usage.ru_stime


def _issue_files(issues: list[Path]) -> tuple[list[Path], int]:
    """Each METS file with its pages (the files in its folder tree), and the page count."""
    out: list[Path] = []
    pages = 0
    for path in issues:
        data = _data(path)
        reader = choose(str(path), data[:65536])
        members = [m for m in reader.members(str(path), data) if m.path]
        pages += len(members)
        out += [path, *(Path(m.path) for m in members)]
    return out, pages


def run(corpus: Path, jobs: int, repeat: int, copies: int | None, say: Say) -> dict:
    """Every measure; `say` reports progress."""
    root = corpus / "alto"
    pages, issues = find_inputs(corpus)
    if not pages or not issues:
        raise ValueError(f"no ALTO pages or METS issues under {root}")
    load = os.getloadavg()
    say(f"{len(pages)} ALTO pages, {len(issues)} METS issues; load {load[0]:.1f}")
    result: dict = {"pages": len(pages), "issues": len(issues),
                    "load_start": round(load[0], 2)}
    result["alone_ms"] = page_stages(pages, root, repeat)
    say(f"alone, CPU ms per page: {result['alone_ms']}")
    result["issue_ms"] = issue_stages(issues, root, repeat)
    say(f"issues, CPU ms per page: {result['issue_ms']}")
    # The pages of one issue are read as one unit (a page series: archive.units), so
    # the copies needed for every worker to start count units, not page files.
    units = len(pages) - len(plan(str(p) for p in pages).claimed)
    alone_copies = copies or -(-MIN_TASKS_PER_JOB * jobs // max(1, units))
    speed = ingest_speed(pages, root, alone_copies, jobs)
    _per_page(speed, speed["files"])
    result["alone_ingest"] = speed
    say(f"ingest alone: {speed}")
    files, issue_pages = _issue_files(issues)
    issue_copies = copies or -(-MIN_TASKS_PER_JOB * jobs // max(1, len(issues)))
    speed = ingest_speed(files, root, issue_copies, jobs)
    _per_page(speed, issue_pages * issue_copies)
    result["issue_ingest"] = speed
    say(f"ingest issues: {speed}")
    result["load_end"] = round(os.getloadavg()[0], 2)
    return result


def _per_page(speed: dict, pages: int) -> None:
    """Pages/s as measured (wall time) and on free cores (CPU time), CPU ms per page."""
    speed["pages"] = pages
    speed["pages_per_s"] = round(pages / speed["seconds"], 1)
    speed["pages_per_s_free"] = round(pages / max(speed["free_cores_s"], 1e-9), 1)
    speed["cpu_ms_per_page"] = round((speed["writer_cpu_s"] + speed["workers_cpu_s"])
                                     / max(1, pages) * 1000, 1)


def markdown(result: dict) -> str:
    """The results as a markdown table."""
    alone, issue = result["alone_ms"], result["issue_ms"]
    ingests = result["alone_ingest"], result["issue_ingest"]
    rows = [
        "| input | parse | layout | segment | read (issue) | finish | CPU ms/page | "
        "ingest CPU ms/page | ingest pages/s | pages/s on free cores |",
        "|---|---|---|---|---|---|---|---|---|---|",
        f"| ALTO page alone | {alone['parse']} | {alone['layout']} | {alone['segment']} | "
        f"| {alone['finish']} | {alone['total']} | " + _ingest_cells(ingests[0]),
        f"| METS issue | | | | {issue['read']} | {issue['finish']} | {issue['total']} | "
        + _ingest_cells(ingests[1]),
    ]
    return "\n".join(rows) + (
        f"\n\n{result['pages']} ALTO pages, {result['issues']} METS issues; ingest with "
        f"jobs={result['alone_ingest']['jobs']} over "
        f"{result['alone_ingest']['files']} page files / "
        f"{result['issue_ingest']['pages']} issue pages (copies of the corpus); load "
        f"average {result['load_start']} -> {result['load_end']}\n")


def _ingest_cells(speed: dict) -> str:
    return f"{speed['cpu_ms_per_page']} | {speed['pages_per_s']} | {speed['pages_per_s_free']} |"


@click.command("alto-speed")
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=CORPUS, show_default=True, help="The shared corpus (its alto/ folder).")
@click.option("--jobs", type=click.IntRange(min=1), default=2, show_default=True,
              help="Ingest worker processes.")
@click.option("--repeat", type=click.IntRange(min=1), default=3, show_default=True,
              help="Rounds of the per-stage measure (the fastest counts, per file).")
@click.option("--copies", type=click.IntRange(min=1),
              help="Copies of the corpus ingested [default: enough for every worker].")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="JSON results; a markdown table is written beside it (.md).")
def alto_speed(corpus: Path, jobs: int, repeat: int, copies: int | None,
               out: Path | None) -> None:
    """How fast ALTO pages are read: CPU per page by stage, and ingest pages/s."""
    try:
        result = run(corpus, jobs, repeat, copies, say=lambda line: click.echo(line, err=True))
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--corpus") from error
    table = markdown(result)
    if out:
        out.write_text(json.dumps(result, indent=2) + "\n")
        out.with_suffix(".md").write_text(table)
    click.echo(table)


if __name__ == "__main__":
    alto_speed()
