"""`newsarchive cluster`: start, inspect and stop a Sphinx cluster on this machine (the
servers of the sphinx engine), or write the searchd configs of one spread over machines.
A thin layer over index.sphinx.cluster; the site and `rebuild --engine sphinx` find the
cluster through NEWSARCHIVE_SPHINX."""

from __future__ import annotations

from pathlib import Path

import click

from index.sphinx import cluster as local
from index.sphinx import udf
from index.sphinx.config import Layout, Node, node_config
from index.sphinx.generations import ENV

CLUSTER_DIR = "sphinx"  # under the data folder, unless --dir says otherwise


def _folder(data_dir: Path | None, folder: Path | None) -> Path:
    if folder is not None:
        return folder
    if data_dir is None:
        raise click.UsageError("give the cluster's folder with --dir")
    return Path(data_dir) / CLUSTER_DIR


def _dir_option(f):
    return click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path),
                        default=None, help="The cluster's folder (configs, data, logs) "
                        f"[default: {CLUSTER_DIR}/ in the data folder].")(f)


@click.group("cluster")
def cluster() -> None:
    """A Sphinx cluster: searchd processes holding the sphinx engine's index."""


@cluster.command("start")
@click.option("--nodes", type=click.IntRange(1, 64), default=2, show_default=True,
              help="searchd processes to start.")
@click.option("--replicas", type=click.IntRange(1, 8), default=2, show_default=True,
              help="Copies of each shard, each on another node.")
@click.option("--shards", type=click.IntRange(min=1), default=None,
              help="Shards of each index [default: one per node].")
@click.option("--generations", type=click.IntRange(min=2), default=4, show_default=True,
              help="Index slots: a rebuild fills a free one while another serves.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address every node listens on.")
@click.option("--port", "base_port", type=click.IntRange(1, 65000), default=None,
              help="Node N listens on PORT+2N (SphinxQL) and PORT+2N+1 (agents) "
              "[default: free ports].")
@_dir_option
@click.pass_obj
def start(data_dir: Path | None, nodes: int, replicas: int, shards: int | None,
          generations: int, host: str, base_port: int | None, folder: Path | None) -> None:
    """Write the configs and start one searchd per node, on this machine."""
    try:
        started = local.start(_folder(data_dir, folder), nodes=nodes, replicas=replicas,
                              generations=generations, shards=shards, host=host,
                              base_port=base_port)
    except (local.ClusterError, ValueError, OSError) as error:
        raise click.ClickException(str(error)) from None
    _print_status(local.status(started.folder))
    if not udf.library(started.folder).exists():
        click.echo("Warning: no C compiler (cc) built the ranking function, so the nodes "
                   "rank with Sphinx's own BM25, which scores 0 once a shard's rows reach "
                   "disk chunks (install gcc and start the cluster again).", err=True)
    click.echo(f"Started. Point the site and `rebuild --engine sphinx` at it with:\n"
               f"  export {ENV}={started.spec}")


@cluster.command("status")
@_dir_option
@click.pass_obj
def status(data_dir: Path | None, folder: Path | None) -> None:
    """Each node: its addresses, process, whether it answers, the shards it holds.
    Exits with status 1 when a node is down."""
    try:
        found = local.status(_folder(data_dir, folder))
    except local.ClusterError as error:
        raise click.ClickException(str(error)) from None
    _print_status(found)
    if not all(s.answering for s in found):
        raise SystemExit(1)


@cluster.command("stop")
@_dir_option
@click.pass_obj
def stop(data_dir: Path | None, folder: Path | None) -> None:
    """Stop every node of the cluster (its data stays for the next start)."""
    try:
        stopped = local.stop(_folder(data_dir, folder))
    except local.ClusterError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Stopped {stopped} searchd process{'es' if stopped != 1 else ''}.")


@cluster.command("config")
@click.option("--node", "nodes", multiple=True, required=True, metavar="HOST:SQL:API",
              help="A node's address, SphinxQL port and agent port; repeat, in order.")
@click.option("--replicas", type=click.IntRange(1, 8), default=2, show_default=True)
@click.option("--shards", type=click.IntRange(min=1), default=None,
              help="Shards of each index [default: one per node].")
@click.option("--generations", type=click.IntRange(min=2), default=4, show_default=True)
@click.option("--remote-dir", type=click.Path(path_type=Path),
              default=Path("/var/lib/newsarchive-sphinx"), show_default=True,
              help="Where each node keeps its data, on its own machine.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write node<N>.conf into.")
def config(nodes: tuple[str, ...], replicas: int, shards: int | None, generations: int,
           remote_dir: Path, out: Path) -> None:
    """Write the searchd config of each node of a cluster on other machines, and build
    the ranking library they load (plugins/ beside the configs). On each node: copy the
    library into REMOTE_DIR/plugins/ and start `searchd --config node<N>.conf`; then
    set NEWSARCHIVE_SPHINX to the HOST:SQL list of the nodes and run `newsarchive
    cluster install-udf`. (Collection-wide term statistics need the nodes' files: on
    such a cluster each shard ranks with its own.)"""
    try:
        parsed = tuple(Node(h, int(s), int(a)) for h, s, a in
                       (spec.rsplit(":", 2) for spec in nodes))
        layout = Layout(parsed, shards or len(parsed), replicas, generations)
    except ValueError as error:
        raise click.UsageError(f"--node takes HOST:SQL:API, e.g. 10.0.0.5:9306:9312 "
                               f"({error})") from None
    out.mkdir(parents=True, exist_ok=True)
    for number in range(len(parsed)):
        path = out / f"node{number}.conf"
        path.write_text(node_config(layout, number, remote_dir), encoding="utf-8")
        click.echo(f"wrote {path}")
    try:
        built = udf.build(out)
    except udf.UdfError as error:
        click.echo(f"Warning: {error}", err=True)
    else:
        click.echo(f"wrote {built}: copy it to {udf.plugin_dir(remote_dir)}/ on every node "
                   "(the same machine type as this one), then run `newsarchive cluster "
                   "install-udf`")
    click.echo(f"export {ENV}={','.join(n.sql for n in parsed)}")


@cluster.command("install-udf")
@click.option("--cluster", "spec", default=None, metavar="SPEC",
              help=f"The cluster: its cluster.json, or HOST:SQL,... [default: ${ENV}].")
def install_udf(spec: str | None) -> None:
    """Have every node of a cluster know the ranking function (its library must be in
    the node's plugin_dir: `cluster config` builds it; `cluster start` does all this
    itself). Reports each node; exits with status 1 when one could not. Sites already
    serving pick it up when restarted."""
    from index.engine import SearchError  # (PyMySQL, the engine: only here)
    from index.sphinx.client import Client
    from index.sphinx.generations import resolve

    try:
        nodes = resolve(spec).nodes
    except SearchError as error:
        raise click.ClickException(str(error)) from None
    client = Client(list(nodes))
    failed = 0
    try:
        for node in nodes:
            try:
                outcome = udf.install(client, node)
            except Exception as error:  # noqa: BLE001 - reported per node, the others go on
                failed += 1
                why = error.args[-1] if error.args else error  # PyMySQL: (code, message)
                outcome = f"FAILED: {str(why).rstrip(chr(0))}"
            click.echo(f"node {node}: {outcome}")
    finally:
        client.close()
    if failed:
        raise SystemExit(1)


def _print_status(found: list[local.NodeStatus]) -> None:
    for s in found:
        state = "answering" if s.answering else ("running" if s.running else "DOWN")
        shards = ", ".join(map(str, s.shards))
        click.echo(f"node {s.number}: sphinxql {s.node.sql}  agents {s.node.api}  "
                   f"pid {s.pid}  {state}  shards {shards}")
