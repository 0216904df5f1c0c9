"""The peer comparison's JSON as markdown: per query kind, our engines against Datasette at
its best (the faster of its two setups on that kind), with "how many times faster" ratios,
then throughput, server CPU per request, memory, build time and hit agreement."""

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
    lines += ["", "Notes:", ""] + [f"- {note}" for note in data.get("notes", [])]
    return "\n".join(lines) + "\n"
