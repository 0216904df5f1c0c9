"""python -m bench corpus --articles N --out DIR"""

from __future__ import annotations

import time
from pathlib import Path

import click

from bench.corpus import generate


@click.group()
def main() -> None:
    """Benchmark tools for the newspaper archive."""


@main.command()
@click.option("--articles", type=click.IntRange(min=1), required=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--seed", type=int, default=1977, show_default=True)
def corpus(articles: int, out: Path, seed: int) -> None:
    """Write N deterministic seed-layout pages (dated paths 1977-2025) under OUT."""
    started = time.perf_counter()
    count = generate(out, articles, seed)
    click.echo(f"wrote {count} pages under {out} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
