"""The visible trend data as CSV: one ISO 8601 time column, one column per pen.

Pens are sampled at their own times (deadband, different sources), so the rows are
the union of every pen's timestamps and a pen with no sample at a row's time leaves
its cell empty, as does a gap (NaN): a spreadsheet must not see a made-up value.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import numpy as np

Columns = Mapping[str, tuple[np.ndarray, np.ndarray]]


def iso_time(ts: float) -> str:
    """POSIX seconds as local ISO 8601 with milliseconds and the UTC offset."""
    return datetime.fromtimestamp(ts).astimezone().isoformat(timespec="milliseconds")


def csv_rows(columns: Columns) -> list[list[str]]:
    """Header + rows of the CSV for `columns` ({tag: (ts, values)})."""
    tags = list(columns)
    if tags:
        times = np.unique(np.concatenate([np.asarray(columns[t][0]) for t in tags]))
    else:
        times = np.empty(0)
    cells: list[list[str]] = [[iso_time(t)] for t in times.tolist()]
    for tag in tags:
        ts, values = columns[tag]
        col = [""] * len(times)
        where = np.searchsorted(times, ts)
        for i, v in zip(where.tolist(), np.asarray(values, dtype=float).tolist(), strict=True):
            col[i] = "" if math.isnan(v) else repr(v)
        for row, cell in zip(cells, col, strict=True):
            row.append(cell)
    return [["time", *tags], *cells]


def write_csv(path: Path, columns: Columns) -> int:
    """Write the CSV (UTF-8 with BOM, so Excel reads zh-TW names); returns the row count."""
    rows = csv_rows(columns)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    return len(rows) - 1
