"""The shape of a Sphinx cluster and the searchd configuration of each of its nodes.

A cluster holds a fixed number of index *generations* (slots): generation g is a set of
real-time shard indexes na{g}s{s}, each held by `replicas` nodes (shard s on nodes s,
s+1, ... modulo the node count, so every copy of a shard is on a different node), and on
every node a distributed index na{g} whose agents are the shards, each listing all its
copies as mirrors (`agent = a:port|b:port:na{g}s{s}`, ha_strategy nodeads). A node can be
asked any query; it fans out to one live copy of each shard and merges. Beside it, na{g}d{s}
is a distributed index over the copies of shard s alone. A small rt index na{g}m on every
node records who holds the generation (index.sphinx.generations). A
rebuild fills a free generation while the current one serves, then the site switches to
it: configs never change while the cluster runs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from index.sphinx.documents import BIGINTS, FIELDS, MULTI, MULTI_64, STRINGS, UINTS

PREFIX = "na"
# A shard's RAM chunk: when full it is written out as one more disk chunk, and every query
# searches every chunk; 512M keeps a 100k-article shard in one chunk and a 1M one in a few.
RT_MEM_LIMIT = "512M"
# The binary log is a copy of every write until the RAM chunks it holds are saved: a full
# build writes them out (index.sphinx.writing.settle) so that files of this size
# can be deleted, instead of one log as large as the generation.
BINLOG_MAX = "256M"
HA_PING_MS = 100  # how soon a master notices a dead mirror (Sphinx's default is 1 s)
AGENT_CONNECT_MS = 500
AGENT_QUERY_MS = 30_000


@dataclass(frozen=True)
class Node:
    """One searchd: its host, SphinxQL port (clients) and API port (agents)."""

    host: str
    sql_port: int
    api_port: int

    @property
    def sql(self) -> str:
        return f"{self.host}:{self.sql_port}"

    @property
    def api(self) -> str:
        return f"{self.host}:{self.api_port}"


@dataclass(frozen=True)
class Layout:
    """Nodes, shards per generation, copies per shard and generation slots."""

    nodes: tuple[Node, ...]
    shards: int
    replicas: int
    generations: int

    def __post_init__(self) -> None:
        if not self.nodes or self.shards < 1 or self.generations < 1:
            raise ValueError("a cluster needs a node, a shard and a generation")
        if not 1 <= self.replicas <= len(self.nodes):
            raise ValueError(f"{self.replicas} copies of each shard need as many nodes "
                             f"(there are {len(self.nodes)})")

    def holders(self, shard: int) -> tuple[int, ...]:
        """The nodes (by number) holding a copy of a shard, its primary first."""
        return tuple((shard + k) % len(self.nodes) for k in range(self.replicas))

    def held(self, node: int) -> tuple[int, ...]:
        """The shards a node holds a copy of."""
        return tuple(s for s in range(self.shards) if node in self.holders(s))


def shard_index(generation: int, shard: int) -> str:
    return f"{PREFIX}{generation}s{shard}"


def dist_index(generation: int) -> str:
    return f"{PREFIX}{generation}"


def shard_dist(generation: int, shard: int) -> str:
    """A distributed index over one shard's copies: ranked searches ask each shard on
    its own (index.sphinx.ranking says why)."""
    return f"{PREFIX}{generation}d{shard}"


def meta_index(generation: int) -> str:
    return f"{PREFIX}{generation}m"


def idf_path(folder: Path, generation: int) -> Path:
    """The collection-wide term statistics of a generation (index.sphinx.idf)."""
    return Path(folder) / "idf" / f"g{generation}.idf"


def _block(kind: str, name: str, lines: list[str]) -> str:
    body = "\n".join(f"    {line}" for line in lines)
    return f"{kind} {name}\n{{\n{body}\n}}\n"


def _shard(name: str, path: Path, idf: Path) -> str:
    lines = ["type = rt", f"path = {path}"]
    lines += [f"rt_field = {field}" for field in FIELDS]
    lines += [f"rt_attr_string = {name}" for name in STRINGS]
    lines += [f"rt_attr_bigint = {name}" for name in BIGINTS]
    lines += [f"rt_attr_uint = {name}" for name in UINTS]
    lines += [f"rt_attr_multi = {name}" for name in MULTI]
    lines += [f"rt_attr_multi_64 = {name}" for name in MULTI_64]
    # tokens arrive analysed (index.sphinx.documents): Sphinx must only split at spaces.
    # dict = crc: keywords as 64-bit hashes; with dict = keywords searchd spent 3/4 of its
    # indexing time comparing keyword strings; crc needs a quarter of that CPU and gives the
    # same answers (Sphinx never expands our words; the IDF file is keyed by FNV-64 anyway)
    lines += ["charset_table = 0..9, a..z, _", "min_word_len = 1", "dict = crc",
              "index_field_lengths = 1", f"rt_mem_limit = {RT_MEM_LIMIT}",
              f"global_idf = {idf}"]
    return _block("index", name, lines)


def _meta(name: str, path: Path, idf: Path) -> str:
    # the IDF file too: its note is the probe that tells a reload happened (index.sphinx.idf)
    return _block("index", name, ["type = rt", f"path = {path}", "rt_field = note",
                                  "rt_attr_string = owner", "rt_attr_string = token",
                                  "rt_attr_string = built", "charset_table = 0..9, a..z, _",
                                  "min_word_len = 1", f"global_idf = {idf}"])


def _distributed(layout: Layout, generation: int, shards: list[int], name: str) -> str:
    lines = ["type = distributed"]
    for shard in shards:
        copies = "|".join(layout.nodes[n].api for n in layout.holders(shard))
        lines.append(f"agent = {copies}:{shard_index(generation, shard)}")
    lines += ["ha_strategy = nodeads", f"agent_connect_timeout = {AGENT_CONNECT_MS}",
              f"agent_query_timeout = {AGENT_QUERY_MS}"]
    return _block("index", name, lines)


def node_config(layout: Layout, number: int, folder: Path) -> str:
    """The searchd config of node `number`, keeping its files under folder/node{number}
    and reading the term statistics of each generation from folder/idf."""
    node = layout.nodes[number]
    home = Path(folder) / f"node{number}"
    parts = []
    for generation in range(layout.generations):
        idf = idf_path(folder, generation)
        for shard in layout.held(number):
            name = shard_index(generation, shard)
            parts.append(_shard(name, home / "data" / name, idf))
        parts.append(_meta(meta_index(generation), home / "data" / meta_index(generation),
                           idf))
        every = list(range(layout.shards))
        parts.append(_distributed(layout, generation, every, dist_index(generation)))
        parts += [_distributed(layout, generation, [shard], shard_dist(generation, shard))
                  for shard in every]
    parts.append(_block("searchd", "", [
        f"listen = {node.api}", f"listen = {node.sql}:mysql41",
        f"log = {home / 'searchd.log'}", f"pid_file = {home / 'searchd.pid'}",
        f"binlog_path = {home / 'data'}", f"binlog_max_log_size = {BINLOG_MAX}",
        "workers = threads",
        f"ha_ping_interval = {HA_PING_MS}", "collation_server = binary",
        "max_packet_size = 32M",
        # a SIGHUP then reloads the global IDF files too (the seamless rotation only
        # does when an index rotates, and real-time indexes never do)
        "seamless_rotate = 0",
        "preopen_indexes = 0", "unlink_old = 1",
        # the functions created (the ranking UDF: index.sphinx.udf), again after a restart
        f"sphinxql_state = {home / 'sphinxql_state.sql'}"]).replace("searchd \n", "searchd\n"))
    parts.append(_block("common", "", [f"plugin_dir = {Path(folder) / 'plugins'}"])
                 .replace("common \n", "common\n"))
    return "\n".join(parts)
