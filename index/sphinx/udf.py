"""The ranking UDF (index/sphinx/bm25.c): built with the C compiler when a cluster starts
here, loaded by every node (plugin_dir, CREATE FUNCTION, kept across restarts by
sphinxql_state), and the arguments a ranked statement passes it. index.sphinx.ranking
says why Sphinx's own BM25 cannot rank a real-time index that has disk chunks."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (PyMySQL: only a running cluster needs it)
    from index.sphinx.client import Client

FUNCTION = "newsarchive_bm25"
LIBRARY = f"{FUNCTION}.so"
SOURCE = Path(__file__).with_name("bm25.c")
COMPILERS = ("cc", "gcc")


class UdfError(Exception):
    """The ranking library could not be built (no C compiler); the message says why."""


def plugin_dir(folder: Path) -> Path:
    """Where a cluster started in `folder` keeps the library its nodes load."""
    return Path(folder) / "plugins"


def library(folder: Path) -> Path:
    """The compiled library of a cluster started in `folder` (there once build() ran)."""
    return plugin_dir(folder) / LIBRARY


def build(folder: Path) -> Path:
    """Compile the library into the cluster's plugin folder (again when the source is
    newer); its path."""
    target = library(folder)
    if target.exists() and target.stat().st_mtime >= SOURCE.stat().st_mtime:
        return target
    compiler = next((found for name in COMPILERS if (found := shutil.which(name))), None)
    if compiler is None:
        raise UdfError("no C compiler (cc) to build the Sphinx ranking library: install "
                       "gcc, or rank with Sphinx's own BM25 (wrong once rows reach disk "
                       "chunks)")
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".tmp.so")
    done = subprocess.run([compiler, "-shared", "-fPIC", "-O2", "-o", str(temporary),
                           str(SOURCE), "-lm"], capture_output=True, text=True)
    if done.returncode:
        raise UdfError(f"building {SOURCE.name} failed:\n{done.stderr[-800:]}")
    temporary.replace(target)
    return target


def install_statements() -> list[str]:
    """What makes a node that loaded its plugin_dir know the function."""
    return [f"CREATE FUNCTION {FUNCTION} RETURNS BIGINT SONAME '{LIBRARY}'"]


def install(client: Client, node: str) -> str:
    """Have a node (a Client's SphinxQL address) know the function: "already" when it
    does, "installed" when it does now. Raises what the node answered (a library missing
    from its plugin_dir: dlopen fails) or why it could not be reached."""
    if installed(client.execute(node, ["SHOW PLUGINS"])[0]):
        return "already"
    client.execute(node, install_statements())
    return "installed"


def installed(plugins: list[tuple]) -> bool:
    """Whether SHOW PLUGINS lists the function."""
    return any(row[0] == "udf" and row[1] == FUNCTION for row in plugins)


_LIMIT = re.compile(r"@\([^)]*\)|@[a-z_]+")
_NUMBER = re.compile(r"[~/]\d+")
_WORD = re.compile(r"[a-z0-9_]+")


def query_words(match: str) -> list[str]:
    """The keywords of a MATCH text in the order searchd numbers them (its query
    positions: every occurrence, negated ones too; field limits and the numbers of ~N
    are no keywords). Our MATCH texts hold nothing else (index.sphinx.query)."""
    return _WORD.findall(_NUMBER.sub(" ", _LIMIT.sub(" ", match)))


def column(match: str, boosts: Mapping[str, int], averages: Mapping[str, float],
           fields: tuple[str, ...], idf: Callable[[str], float], k1: float, b: float,
           scale: int) -> str:
    """The select expression scoring a row of a statement with this MATCH (bm25.c
    describes the arguments)."""
    words = query_words(match)
    parts = [repr(k1), repr(b), str(scale), str(len(boosts))]
    for field, boost in boosts.items():
        parts += [str(fields.index(field)), str(boost), repr(averages.get(field, 0.0))]
    parts.append(str(len(words)))
    parts += [repr(idf(word)) for word in words]
    lengths = ", ".join(f"{field}_len" for field in boosts)
    return f"{FUNCTION}(PACKEDFACTORS(), '{' '.join(parts)}', {lengths})"
