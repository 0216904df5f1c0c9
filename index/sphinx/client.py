"""SphinxQL over the MySQL protocol (PyMySQL): pooled connections to a cluster's nodes, reads
that fail over to another node, and the agents a distributed query could not reach.

A read goes to any node; the node's distributed index asks one copy of each shard. When a
node dies, the masters notice within a few ping intervals and switch to a live mirror; a
query in that window comes back without that shard and a warning naming the agent, so a
read retries for up to RETRY_SECONDS before it answers with what it has, marked partial
(a shard whose every copy is down). Writes go to one named node and fail loudly."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import pymysql
from pymysql.constants import CLIENT

from index.engine import SearchError

RETRY_SECONDS = 1.0  # how long a read waits for mirrors to take over a dead node's shards
RETRY_PAUSE = 0.1
DOWN_SECONDS = 2.0  # a node that refused a connection is not asked again for this long
DEGRADED_SECONDS = 2.0  # after a partial answer, answer partially at once for this long
POOL_SIZE = 8  # idle connections kept per node
_AGENT = re.compile(r"agent ([^\s:]+:\d+)")
_INDEX = re.compile(r"index (\w+): agent")
# errors that say the node itself cannot be reached (not what it answered)
_UNREACHABLE = (pymysql.err.OperationalError, pymysql.err.InterfaceError, OSError)


class ClusterUnavailable(SearchError):
    """No node of the Sphinx cluster answers."""


class AgentsDown(ClusterUnavailable):
    """A node answered, but a distributed index it was asked for had no live agent left:
    which agents failed, and which indexes."""

    def __init__(self, message: str, agents: tuple[str, ...], indexes: tuple[str, ...]):
        super().__init__(message)
        self.agents, self.indexes = agents, indexes


@dataclass(frozen=True)
class Answer:
    """The result sets of a batch of statements, and the agents (host:port) that did not
    answer (non-empty: the results lack their shards)."""

    sets: list[list[tuple]]
    unavailable: tuple[str, ...] = ()


def escape(value: str) -> str:
    """A quoted SphinxQL string literal."""
    return "'" + pymysql.converters.escape_string(value) + "'"


class Client:
    """Connections to the nodes ("host:port" of their SphinxQL listeners); thread-safe."""

    def __init__(self, nodes: Sequence[str]):
        if not nodes:
            raise ValueError("a Sphinx cluster needs at least one node")
        self.nodes = list(nodes)
        self._idle: dict[str, list[pymysql.Connection]] = {n: [] for n in self.nodes}
        self._down: dict[str, float] = {}
        self._lock = threading.Lock()
        self._turn = 0
        self._degraded_until = 0.0

    # --- connections -----------------------------------------------------------------

    @contextmanager
    def _connection(self, node: str, fresh: bool = False):
        connection = None
        if not fresh:
            with self._lock:
                idle = self._idle[node]
                connection = idle.pop() if idle else None
        if connection is None:
            host, port = node.rsplit(":", 1)
            connection = pymysql.connect(host=host, port=int(port), user="", password="",
                                         autocommit=True, charset="utf8mb4",
                                         client_flag=CLIENT.MULTI_STATEMENTS,
                                         connect_timeout=2, read_timeout=120,
                                         write_timeout=120)
        try:
            yield connection
        except BaseException:
            connection.close()  # its state is unknown: never reuse it
            raise
        with self._lock:
            if len(self._idle[node]) < POOL_SIZE:
                self._idle[node].append(connection)
                connection = None
        if connection is not None:
            connection.close()

    def execute(self, node: str, statements: Sequence[str]) -> list[list[tuple]]:
        """Run statements as one batch on one node; every result set, in order (an empty
        list for a statement without one). Errors are raised as PyMySQL's."""
        try:
            return self._execute(node, statements, fresh=False)
        except _UNREACHABLE:  # a kept connection the node has since dropped (a restart)
            return self._execute(node, statements, fresh=True)

    def _execute(self, node: str, statements: Sequence[str],
                 fresh: bool) -> list[list[tuple]]:
        with self._connection(node, fresh) as connection, connection.cursor() as cursor:
            cursor.execute(";\n".join(statements))
            sets = [list(cursor.fetchall())]
            while cursor.nextset():
                sets.append(list(cursor.fetchall()))
        return sets

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, {n: [] for n in self.nodes}
        for connections in idle.values():
            for connection in connections:
                connection.close()

    # --- reading and writing ---------------------------------------------------------

    def _order(self) -> list[str]:
        """The nodes to try, starting with the next in turn, nodes known down last."""
        with self._lock:
            self._turn = (self._turn + 1) % len(self.nodes)
            turn = self.nodes[self._turn:] + self.nodes[:self._turn]
        now = time.monotonic()
        return ([n for n in turn if self._down.get(n, 0) <= now]
                + [n for n in turn if self._down.get(n, 0) > now])

    def read(self, statements: Sequence[str]) -> Answer:
        """Run read statements on any node that answers; wait a little for mirrors to take
        over a dead node's shards, then answer with what came, naming what did not."""
        batch = [part for statement in statements for part in (statement, "SHOW WARNINGS")]
        patient = time.monotonic() > self._degraded_until
        deadline = time.monotonic() + (RETRY_SECONDS if patient else 0.0)
        while True:
            sets, failed, message = self._read_once(batch)
            if not failed:
                return Answer(sets[0::2])
            if time.monotonic() >= deadline:
                self._degraded_until = time.monotonic() + DEGRADED_SECONDS
                if sets is None:  # a statement lost every agent: nothing to answer with
                    raise AgentsDown("The search servers holding part of the archive do "
                                     f"not answer ({', '.join(sorted(failed))})",
                                     tuple(sorted(failed)),
                                     tuple(dict.fromkeys(_INDEX.findall(message))))
                return Answer(sets[0::2], tuple(sorted(failed)))
            time.sleep(RETRY_PAUSE)

    def _read_once(self, batch: list[str]
                   ) -> tuple[list[list[tuple]] | None, set[str], str]:
        errors = []
        for node in self._order():
            try:
                sets = self.execute(node, batch)
            except pymysql.err.ProgrammingError as error:
                message = _message(error)
                if _AGENT.search(message):  # the node answered, its agents did not
                    return None, set(_AGENT.findall(message)), message
                raise SearchError(f"the Sphinx cluster refused a query: {message}") from None
            except _UNREACHABLE as error:
                errors.append(f"{node}: {_message(error)}")
                self._down[node] = time.monotonic() + DOWN_SECONDS
                continue
            self._down.pop(node, None)
            failed = {agent for warnings in sets[1::2] for row in warnings
                      for agent in _AGENT.findall(str(row[-1]))}
            return sets, failed, ""
        raise ClusterUnavailable("No search server of the Sphinx cluster answers ("
                                 + "; ".join(errors) + ")")

    def write(self, node: str, statements: Sequence[str]) -> list[list[tuple]]:
        """Run write statements on one node (every copy of a shard must take a write)."""
        try:
            return self.execute(node, statements)
        except _UNREACHABLE as error:
            raise ClusterUnavailable(f"the Sphinx node {node} cannot take writes: "
                                     f"{_message(error)}") from None
        except pymysql.err.ProgrammingError as error:
            raise SearchError(f"the Sphinx node {node} refused a write: {_message(error)}")\
                from None


def _message(error: Exception) -> str:
    args = getattr(error, "args", ())
    text = str(args[-1]) if args else str(error)
    return text.replace("\x00", "").strip()
