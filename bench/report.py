"""The benchmark's JSON as markdown tables: one row per engine, with ratios against the
baseline (whoosh-stock) so "how much faster" reads off directly."""

from __future__ import annotations

from bench.queries import KINDS

BASELINE = "whoosh-stock"


def _num(value: object, digits: int = 1) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        if value >= 100:
            return f"{value:,.0f}"
        return f"{value:.{digits}f}" if value >= 1 else f"{value:.{max(digits, 2)}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _ratio(ours: float | None, base: float | None) -> str:
    """How many times the baseline's figure this is ("x3.2" = 3.2 times faster)."""
    if not ours or not base:
        return ""
    return f" (x{base / ours:.1f})" if base / ours >= 1 else f" (x{base / ours:.2f})"


def _p50(entry: dict, key: str, kind: str) -> float | None:
    return ((entry.get(key) or {}).get(kind) or {}).get("p50")


def markdown(data: dict) -> str:
    """Summary table, in-process latency table and HTTP latency table."""
    engines: dict[str, dict] = data["engines"]
    base = engines.get(BASELINE, {})
    base = {} if "error" in base else base
    lines = [f"# Engine benchmark: {data['articles']:,} pages "
             f"({data.get('store_articles', 0):,} articles)", "",
             f"{data['machine']['cpu_count']} CPUs, Python {data['machine']['python']}, "
             f"{data['machine']['date']}." + (
                 f" Ratios in brackets: times faster than {BASELINE} (build: articles/s "
                 "over its articles/s; latency: its p50 over this p50)." if base else ""), "",
             "| engine | ingest pages/s | build s | articles/s | index MiB | build RSS MiB "
             "| serve RSS MiB | HTTP req/s | hits agree |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, entry in engines.items():
        if "error" in entry:
            error = entry["error"].replace("|", "/")  # a pipe would end the cell
            lines.append(f"| {name} | failed: {error} |" + " |" * 7)
            continue
        speed = entry.get("build_articles_per_s")
        build_ratio = ""
        if speed and base.get("build_articles_per_s") and name != BASELINE:
            build_ratio = f" (x{speed / base['build_articles_per_s']:.1f})"
        lines.append(
            f"| {name} | {_num(entry.get('ingest_pages_per_s'))} "
            f"| {_num(entry.get('build_seconds'))} | {_num(speed)}{build_ratio} "
            f"| {_num(entry.get('index_mib'))} | {_build_rss(entry)} "
            f"| {_num(entry.get('serve_rss_mib'))} | {_num(entry.get('http_rps'))} "
            f"| {_agreement(entry)} |")
    lines += ["", "In-process latency, ms, p50 / p95 (ratio on p50):", "",
              "| engine | " + " | ".join(KINDS) + " |",
              "|---|" + "---|" * len(KINDS)]
    for name, entry in engines.items():
        if entry.get("query_ms"):
            lines.append(_latency_row(name, entry, "query_ms", {} if name == BASELINE else base))
        if entry.get("raw_tantivy_query_ms"):
            lines.append(_latency_row(f"{name} (raw tantivy-py)", entry,
                                      "raw_tantivy_query_ms", base, "query_ms"))
    if any(e.get("http_ms") for e in engines.values()):
        lines += ["", "Over HTTP (GET /search.json, concurrent clients; the site adds facets "
                  "and snippets to every request), ms, p50 / p95 (ratio on p50):", "",
                  "| engine | " + " | ".join(KINDS) + " |",
                  "|---|" + "---|" * len(KINDS)]
        for name, entry in engines.items():
            if entry.get("http_ms"):
                lines.append(_latency_row(name, entry, "http_ms",
                                          {} if name == BASELINE else base))
            if entry.get("http_first_ms"):  # no ratio: the warm-up pass is one sample
                lines.append(_latency_row(f"{name} (first request of each query)", entry,
                                          "http_first_ms", {}))
    for name, entry in engines.items():
        if entry.get("node_failure"):
            lines += _node_failure(name, entry["node_failure"])
    for name, entry in engines.items():
        if entry.get("cluster_mib"):
            lines += ["", f"{name} cluster: {entry['cluster']['nodes']} nodes, "
                      f"{entry['cluster']['shards']} shards x {entry['cluster']['replicas']} "
                      f"copies, {_num(entry['cluster_mib'])} MiB on the nodes' disks"
                      + (f", searchd RSS {_num(entry['cluster_rss_mib'])} MiB"
                         if entry.get("cluster_rss_mib") else "")]
        if entry.get("over_raw_tantivy"):
            over = ", ".join(f"{k} x{v}" for k, v in entry["over_raw_tantivy"].items())
            lines += ["", f"{name} p50 over raw tantivy-py p50 (target: at most 1.5): {over}"]
        if entry.get("hits_agree_same_analysis"):
            agreed = _agreement(entry, "hits_agree_same_analysis")
            lines += ["", f"{name} hits agree with the engine of the same analysis: {agreed}"]
        if entry.get("raw_tantivy_hits_agree"):
            agreed = _agreement(entry, "raw_tantivy_hits_agree")
            lines += ["", f"raw tantivy-py hits agree: {agreed}"]
    lines += ["", "Notes:", ""] + [f"- {note}" for note in data.get("notes", [])]
    return "\n".join(lines) + "\n"


def _latency_row(name: str, entry: dict, key: str, base: dict,
                 base_key: str | None = None) -> str:
    cells = []
    for kind in KINDS:
        cell = (entry.get(key) or {}).get(kind)
        if not cell:
            cells.append("n/a")
            continue
        cells.append(f"{_num(cell['p50'], 2)} / {_num(cell['p95'], 2)}"
                     + _ratio(cell["p50"], _p50(base, base_key or key, kind)))
    return f"| {name} | " + " | ".join(cells) + " |"


def _node_failure(name: str, failure: dict) -> list[str]:
    """HTTP p95 before and after one node's searchd was killed, and whether the answers
    stayed complete."""
    kinds = [k for k in (*KINDS, "all") if k in failure["http_ms"]]
    lines = ["", f"{name}: one node killed, {failure['killed']}, under the running site, "
             "HTTP ms p95 (ratio = after / before):", "",
             "| | " + " | ".join(kinds) + " |", "|---|" + "---|" * len(kinds)]
    rows = (("before", failure["http_ms_before"]), ("after", failure["http_ms"]),
            ("first pass after", failure["first_pass_ms"]))
    for label, cells in rows:
        lines.append(f"| {label} | " + " | ".join(
            _num((cells.get(k) or {}).get("p95"), 2) for k in kinds) + " |")
    lines.append("| ratio | " + " | ".join(
        f"x{failure['p95_ratio'][k]}" if k in failure["p95_ratio"] else "n/a"
        for k in kinds) + " |")
    same = failure["hits_same"]
    complete = (same["same"] == same["of"] and not failure["partial"]
                and not failure["errors"])
    lines += ["", f"Answers after the kill: {same['same']}/{same['of']} with the same total "
              f"as before, {failure['partial']} marked partial, {len(failure['errors'])} "
              f"failed: {'complete' if complete else 'NOT complete'}; "
              f"{_num(failure['http_rps'])} req/s"]
    return lines


def _build_rss(entry: dict) -> str:
    """The build process's peak, plus its worker processes' (Whoosh's parallel writer)."""
    workers = entry.get("build_workers_rss_mib")
    return _num(entry.get("build_rss_mib")) + (f" (+{_num(workers)} workers)" if workers
                                               else "")


def _agreement(entry: dict, key: str = "hits_agree") -> str:
    agree = entry.get(key)
    if not agree:
        return "reference"
    kinds = agree["kinds"].values()
    return (f"{sum(k['agree'] for k in kinds)}/{sum(k['of'] for k in kinds)} "
            f"vs {agree['vs']}")
