"""A Sphinx cluster on this machine: write each node's config, start its searchd on loopback
ports, report and stop the processes (development, tests and one-machine trials). The
cluster's folder holds cluster.json (its layout and process ids), idf/ and node<N>/.

Processes are told apart by their id, checked against /proc before any signal: only a
searchd running this cluster's config is ever stopped."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from index.sphinx import udf
from index.sphinx.config import Layout, Node, idf_path, node_config
from index.sphinx.idf import write_empty

CLUSTER_FILE = "cluster.json"
SEARCHD = "searchd"
START_TIMEOUT = 15.0
STOP_TIMEOUT = 10.0
_CHILDREN: dict[int, subprocess.Popen] = {}  # started by this process: reaped on stop


class ClusterError(Exception):
    """A cluster that cannot be started, found or stopped; the message says why."""


@dataclass(frozen=True)
class Cluster:
    """A cluster started from this machine: its folder, layout and searchd process ids."""

    folder: Path
    layout: Layout
    pids: tuple[int, ...]

    @property
    def spec(self) -> str:
        """What NEWSARCHIVE_SPHINX (or an engine's cluster argument) names it by."""
        return str(self.folder / CLUSTER_FILE)

    def config(self, number: int) -> Path:
        return self.folder / f"node{number}" / "searchd.conf"


@dataclass(frozen=True)
class NodeStatus:
    number: int
    node: Node
    pid: int
    running: bool
    answering: bool
    shards: tuple[int, ...]


def searchd() -> str:
    """The searchd program, or a ClusterError that says how to install it."""
    found = shutil.which(SEARCHD)
    if not found:
        raise ClusterError("searchd is not installed: install the Debian package "
                           "sphinxsearch (apt-get install sphinxsearch)")
    return found


def free_ports(count: int, host: str = "127.0.0.1") -> list[int]:
    """Ports nobody listens on right now (the kernel's choice)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind((host, 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def start(folder: str | Path, nodes: int = 2, replicas: int = 2, generations: int = 4,
          shards: int | None = None, host: str = "127.0.0.1",
          base_port: int | None = None) -> Cluster:
    """Write the configs and start one searchd per node; returns once every node answers.
    Ports: base_port, base_port+1 (SphinxQL, API) for node 0 and so on; free ones if
    base_port is None."""
    program = searchd()
    folder = Path(folder).resolve()
    if (folder / CLUSTER_FILE).exists() and any(s.running for s in status(folder)):
        raise ClusterError(f"a cluster is already running in {folder}: stop it first")
    ports = (free_ports(2 * nodes, host) if base_port is None
             else list(range(base_port, base_port + 2 * nodes)))
    layout = Layout(tuple(Node(host, ports[2 * n], ports[2 * n + 1]) for n in range(nodes)),
                    shards or nodes, replicas, generations)
    for generation in range(generations):
        if not idf_path(folder, generation).exists():
            write_empty(idf_path(folder, generation))
    ranking = _ranking_library(folder)
    pids = []
    try:
        for number in range(nodes):
            pids.append(_launch(program, folder, layout, number))
        cluster = Cluster(folder, layout, tuple(pids))
        _save(cluster)
        for number in range(nodes):
            _wait_answering(cluster, number)
            if ranking:
                _install(layout.nodes[number])
    except BaseException:
        for pid in pids:
            _stop_pid(pid, folder, signal.SIGKILL)
        raise
    return cluster


def _launch(program: str, folder: Path, layout: Layout, number: int) -> int:
    home = folder / f"node{number}"
    (home / "data").mkdir(parents=True, exist_ok=True)
    config = home / "searchd.conf"
    config.write_text(node_config(layout, number, folder), encoding="utf-8")
    (home / "searchd.pid").unlink(missing_ok=True)
    with open(home / "console.log", "ab") as console:
        # --nodetach: one process whose id is ours to stop (no watchdog to outlive it);
        # its own session, so the cluster outlives the command that started it
        process = subprocess.Popen([program, "--config", str(config), "--nodetach"],
                                   stdin=subprocess.DEVNULL, stdout=console,
                                   stderr=subprocess.STDOUT, cwd=home,
                                   start_new_session=True)
    _CHILDREN[process.pid] = process
    return process.pid


def _ranking_library(folder: Path) -> bool:
    """Build the ranking UDF for the nodes; whether it could be (without a C compiler
    the engine ranks with Sphinx's own BM25: index.sphinx.ranking)."""
    try:
        udf.build(folder)
    except udf.UdfError:
        return False
    return True


def _install(node: Node) -> None:
    """Have a node know the ranking UDF (its sphinxql_state keeps it over restarts)."""
    from index.sphinx.client import Client  # (PyMySQL: only a running cluster needs it)

    client = Client([node.sql])
    try:
        udf.install(client, node.sql)
    finally:
        client.close()


def _wait_answering(cluster: Cluster, number: int, timeout: float = START_TIMEOUT) -> None:
    node = cluster.layout.nodes[number]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _running(cluster.pids[number], cluster.folder):
            log = cluster.folder / f"node{number}" / "console.log"
            tail = log.read_text(errors="replace")[-800:] if log.exists() else ""
            raise ClusterError(f"searchd of node {number} ({node.sql}) stopped while "
                               f"starting:\n{tail}")
        if _answers(node):
            return
        time.sleep(0.05)
    raise ClusterError(f"searchd of node {number} ({node.sql}) did not answer within "
                       f"{timeout:.0f} s")


def _answers(node: Node, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((node.host, node.sql_port), timeout=timeout) as sock:
            return bool(sock.recv(1))  # the MySQL greeting: the node serves
    except OSError:
        return False


def _save(cluster: Cluster) -> None:
    data = {"nodes": [[n.host, n.sql_port, n.api_port] for n in cluster.layout.nodes],
            "shards": cluster.layout.shards, "replicas": cluster.layout.replicas,
            "generations": cluster.layout.generations, "pids": list(cluster.pids)}
    path = cluster.folder / CLUSTER_FILE
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
    temporary.replace(path)


def load(folder: str | Path) -> Cluster:
    """The cluster described in folder/cluster.json (or that file itself)."""
    path = Path(folder)
    if path.is_dir():
        path = path / CLUSTER_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ClusterError(f"no Sphinx cluster at {path}: {error}") from None
    layout = Layout(tuple(Node(h, s, a) for h, s, a in data["nodes"]), data["shards"],
                    data["replicas"], data["generations"])
    return Cluster(path.parent.resolve(), layout, tuple(data["pids"]))


def status(folder: str | Path) -> list[NodeStatus]:
    """Each node: whether its process runs and whether it answers on its SphinxQL port."""
    cluster = load(folder)
    return [NodeStatus(n, node, pid, _running(pid, cluster.folder), _answers(node),
                       cluster.layout.held(n))
            for n, (node, pid) in enumerate(zip(cluster.layout.nodes, cluster.pids,
                                                strict=True))]


def stop(folder: str | Path, timeout: float = STOP_TIMEOUT) -> int:
    """Stop every node (SIGTERM, then SIGKILL after `timeout`); returns how many ran."""
    cluster = load(folder)
    running = [pid for pid in cluster.pids if _running(pid, cluster.folder)]
    for pid in running:  # all at once: each may wait a few seconds for its clients
        os.kill(pid, signal.SIGTERM)
    for pid in running:
        _stop_pid(pid, cluster.folder, signal.SIGTERM, timeout, signalled=True)
    return len(running)


def kill(cluster: Cluster, number: int, sig: int = signal.SIGKILL) -> None:
    """Stop one node at once, as a crash would (kill-a-node tests and drills)."""
    _stop_pid(cluster.pids[number], cluster.folder, sig)


def reload(cluster: Cluster) -> None:
    """Ask every running node to reread its config and global IDF files (SIGHUP)."""
    for pid in cluster.pids:
        if _running(pid, cluster.folder):
            os.kill(pid, signal.SIGHUP)


def _stop_pid(pid: int, folder: Path, sig: int, timeout: float = STOP_TIMEOUT,
              signalled: bool = False) -> None:
    if not _running(pid, folder):
        return
    if not signalled:
        os.kill(pid, sig)
    deadline = time.monotonic() + timeout
    while _running(pid, folder):
        if time.monotonic() > deadline:
            if sig == signal.SIGKILL:
                raise ClusterError(f"searchd {pid} did not stop")
            os.kill(pid, signal.SIGKILL)
            sig, deadline = signal.SIGKILL, time.monotonic() + timeout
        time.sleep(0.02)


def _running(pid: int, folder: Path) -> bool:
    """Whether `pid` is a live searchd serving a config of this cluster's folder."""
    child = _CHILDREN.get(pid)
    if child is not None:  # started by this process: it knows best
        if child.poll() is None:
            return True
        del _CHILDREN[pid]  # exited (and now reaped)
        return False
    for _ in range(3):  # a process that is just starting shows an empty command line
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return False
        if command[0]:
            break
        time.sleep(0.01)
    if state == "Z":
        return False
    return (bool(command) and Path(command[0].decode(errors="replace")).name == SEARCHD
            and str(folder) in b" ".join(command).decode(errors="replace"))
