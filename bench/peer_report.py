"""The peer comparison's JSON as markdown: per query kind, our engines against Datasette at
its best (the faster of its two setups on that kind), with "how many times faster" ratios,
then throughput, server CPU per request, memory, build time and hit agreement, and which of
issue 17's targets the run met."""

from __future__ import annotations

from bench.report import _num

PEER = "datasette"  # the setup a data journalist gets by default
PEER_BEST = "datasette-best"  # _nosuggest=1 and the file opened immutable (-i)
BEST_ROW = "Datasette at its best"


def best_peer(systems: dict[str, dict], kinds: list[str]) -> dict[str, dict]:
    """Per kind: the Datasette setup with the lower p95 (the targets are on p95), its
    figures and its name."""
    best = {}
    for kind in kinds:
        candidates = [(s["kinds"][kind], name) for name in (PEER, PEER_BEST)
                      if (s := systems.get(name)) and s["kinds"].get(kind, {}).get("p95")]
        if candidates:
            cell, name = min(candidates, key=lambda c: c[0]["p95"])
            best[kind] = {**cell, "setup": name}
    return best


def _times(ours: float | None, theirs: float | None) -> str:
    """" (x3.2)": ours is 3.2 times faster; " (x0.50)": it takes twice as long."""
    if not ours or not theirs:
        return ""
    ratio = theirs / ours
    return f" (x{ratio:.1f})" if ratio >= 1 else f" (x{ratio:.2f})"


def _row(label: str, cells: dict[str, dict], kinds: list[str], key: str,
         against: dict[str, dict] | None) -> str:
    values = []
    for kind in kinds:
        cell = cells.get(kind) or {}
        value = cell.get(key)
        ratio = _times(value, (against.get(kind) or {}).get(key)) if against else ""
        values.append(_num(value) + ratio)
    return f"| {label} | " + " | ".join(values) + " |"


def _latency(data: dict, key: str, kinds: list[str]) -> list[str]:
    systems, best = data["systems"], data["peer_best"]
    lines = [f"| {key} ms | " + " | ".join(kinds) + " |", "|---|" + "---|" * len(kinds)]
    for name, entry in systems.items():
        if name not in (PEER, PEER_BEST):
            lines.append(_row(f"{name} engine", entry["kinds"], kinds, key, best))
    lines.append(_row(PEER, systems[PEER]["kinds"], kinds, key, None))
    lines.append(_row(f"{PEER} (_nosuggest, -i)", systems[PEER_BEST]["kinds"], kinds, key,
                      None))
    lines.append(_row(f"**{BEST_ROW}**", best, kinds, key, None))
    return lines


def _agree(entry: dict) -> str:
    parts = []
    for key, label in (("hits_agree_5", "5%"), ("hits_agree_2", "2%")):
        kinds = (entry.get(key) or {}).values()
        if kinds:
            parts.append(f"{sum(k['agree'] for k in kinds)}/{sum(k['of'] for k in kinds)} "
                         f"within {label}")
    return ", ".join(parts) or "reference"


# Issue 17's targets for the default engine (2 cores, 4 clients; build and p95 at 100k).
WHOOSH_P95_MS = 250
WHOOSH_BUILD_S = 300
WHOOSH_VS_TANTIVY = 4
RSS_PER_INDEX = 1.5


def _verdict(missed: list[str]) -> str:
    return "met" if not missed else "**not met**: " + ", ".join(missed)


def targets(data: dict) -> list[str]:
    """One line per target: met, or the kinds (or figures) that missed it."""
    systems, best, kinds = data["systems"], data["peer_best"], data["kinds"]
    ours = [name for name in systems if name not in (PEER, PEER_BEST)]
    lines = ["", f"Targets (issue 17; the build and p95 targets are set at 100k articles, this "
             f"run has {data['articles']:,}):", ""]

    def p95(name: str, kind: str) -> float | None:
        return (systems[name]["kinds"].get(kind) or {}).get("p95")

    for name in ours:
        missed = [f"{k} ({_num(p95(name, k))} vs {_num(best[k]['p95'])})" for k in kinds
                  if k in best and p95(name, k) is not None and p95(name, k) >= best[k]["p95"]]
        lines.append(f"- {name}: p95 below Datasette at its best on every kind: "
                     + _verdict(missed))
    if "whoosh" in systems:
        whoosh = systems["whoosh"]
        slow = [f"{k} {_num(p95('whoosh', k))}" for k in kinds
                if (p95("whoosh", k) or 0) > WHOOSH_P95_MS]
        lines.append(f"- whoosh: p95 <= {WHOOSH_P95_MS} ms on every kind: " + _verdict(slow))
        if "tantivy" in systems:
            far = [f"{k} x{p95('whoosh', k) / p95('tantivy', k):.1f}" for k in kinds
                   if p95("whoosh", k) and p95("tantivy", k)
                   and p95("whoosh", k) > WHOOSH_VS_TANTIVY * p95("tantivy", k)]
            lines.append(f"- whoosh: p95 within {WHOOSH_VS_TANTIVY}x of tantivy's on every "
                         "kind: " + _verdict(far))
        build = whoosh.get("build_seconds")
        if build is not None:
            lines.append(f"- whoosh: full build <= {WHOOSH_BUILD_S} s: " + _verdict(
                [] if build <= WHOOSH_BUILD_S else [f"{_num(build)} s"]))
        if whoosh.get("rss_mib") and whoosh.get("disk_mib"):
            ratio = whoosh["rss_mib"] / whoosh["disk_mib"]
            lines.append(f"- whoosh: serving RSS <= {RSS_PER_INDEX}x the index size: "
                         + _verdict([] if ratio <= RSS_PER_INDEX else [f"x{ratio:.1f}"]))
        lines.append("- where Whoosh misses a target, `newsarchive rebuild` advises tantivy "
                     "(or a Sphinx cluster) above `NEWSARCHIVE_WHOOSH_ADVISED_MAX` articles "
                     "(50,000 by default)")
    return lines


def markdown(data: dict) -> str:
    """p95 and p50 tables (ratios: times faster than Datasette at its best), requests/s
    and CPU per request per kind, then one row per system."""
    kinds: list[str] = data["kinds"]
    machine = data["machine"]
    load = data["load_average"]
    lines = [f"# Peer comparison: {data['pages']:,} pages ({data['articles']:,} articles), "
             "newsarchive against SQLite FTS5 + Datasette", "",
             f"`python -m bench peer`, one interleaved run over HTTP; {machine['cpu_count']} "
             f"CPUs, Python {machine['python']}, {machine['date']}; load average "
             f"{load['before']:.1f} before, {load['after']:.1f} after"
             + (" (a shared, loaded machine: absolute figures are inflated, compare the "
                "ratios)" if max(load["before"], load["after"]) > machine["cpu_count"]
                else "") + ".", "",
             "Ratios in brackets: times faster than Datasette at its best (its faster setup "
             "on that kind, by p95: "
             + ", ".join(f"{k} {v['setup']}" for k, v in data["peer_best"].items()) + ").",
             ""]
    lines += _latency(data, "p95", kinds) + [""] + _latency(data, "p50", kinds)
    systems = data["systems"]
    for key, title in (("rps", "requests/s"), ("cpu_ms_per_request",
                                                "server CPU ms per request")):
        lines += ["", f"| {title} | " + " | ".join(kinds) + " |",
                  "|---|" + "---|" * len(kinds)]
        lines += [_row(name, entry["kinds"], kinds, key, None)
                  for name, entry in systems.items()]
    lines += ["", "| system | build s | on disk MiB | req/s | CPU ms/request | RSS MiB after "
              "| peak RSS MiB | hits agree with Datasette |", "|---|---|---|---|---|---|---|---|"]
    for name, entry in systems.items():
        lines.append(f"| {name} | {_num(entry.get('build_seconds'))} "
                     f"| {_num(entry.get('disk_mib'))} | {_num(entry.get('rps'))} "
                     f"| {_num(entry.get('cpu_ms_per_request'), 2)} "
                     f"| {_num(entry.get('rss_mib'))} | {_num(entry.get('peak_rss_mib'))} "
                     f"| {_agree(entry) if name != PEER else 'reference'} |")
    lines += targets(data)
    lines += ["", "Notes:", ""] + [f"- {note}" for note in data.get("notes", [])]
    return "\n".join(lines) + "\n"
