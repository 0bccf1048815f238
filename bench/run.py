"""Run every bench module (or those named) and print one table of figures.

.venv/bin/python -m bench.run                 # all
.venv/bin/python -m bench.run opcua_throughput
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time

import bench
from bench import Figure


def bench_modules() -> list[str]:
    """Names of the bench modules in this package, sorted."""
    return sorted(
        m.name
        for m in pkgutil.iter_modules(bench.__path__)
        if not m.name.startswith("_") and m.name != "run"
    )


def as_figure(module: str, row: Figure | tuple[str, float, str]) -> Figure:
    """A module's row as a Figure; plain (name, value, unit) tuples are accepted too."""
    if isinstance(row, Figure):
        return row
    name, value, unit = row
    return Figure(module, name, unit, value)


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def table(figures: list[Figure]) -> str:
    """The figures as a fixed-width text table."""
    head = ("bench", "figure", "raw library", "ours", "unit", "ours/raw", "note")
    rows = [
        (
            f.bench,
            f.name,
            _fmt(f.baseline),
            _fmt(f.ours),
            f.unit,
            "-" if f.ratio is None else f"{f.ratio:.2f}",
            f.note,
        )
        for f in figures
    ]
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in [head]]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("names", nargs="*", help=f"bench modules (default all: {bench_modules()})")
    args = parser.parse_args(argv)
    names = args.names or bench_modules()
    unknown = set(names) - set(bench_modules())
    if unknown:
        parser.error(f"no bench module {', '.join(sorted(unknown))}")
    figures: list[Figure] = []
    for name in names:
        start = time.perf_counter()
        print(f"running {name} …", file=sys.stderr, flush=True)
        figures += [as_figure(name, row) for row in importlib.import_module(f"bench.{name}").run()]
        print(f"  {name} took {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    print(table(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
