"""Reading history back: raw samples and per-bucket aggregates of one tag, as numpy arrays.

Trends call this from a worker thread (never the GUI thread) and hand the arrays
over. Two choices keep it fast out of tens of millions of rows:
- every query is one range scan of the (tag_id, ts) primary key;
- long ranges are aggregated IN SQL (GROUP BY bucket), so a 30-day view moves a
  few thousand rows, not millions, and rows come off the DBAPI cursor as tuples
  straight into `np.fromiter` (no SQLAlchemy `Row` per sample).

Gaps: a sample whose quality is not good reads back as value NaN, so a plotted
line breaks at an outage instead of bridging it. In buckets, min/max/mean/count
cover good samples only, and `last` is NaN when the bucket's latest sample is
not good (the bucket ends inside an outage).

The sample BEFORE t0: `raw()` puts the tag's latest sample before t0 in front when
it is at most `lookback_s` older than t0 (default 1 h). The recorder's heartbeat
(default 600 s) guarantees such a sample for a flat but healthy tag, so the line
enters the view from the left; an older sample means the station was not
recording then, and the view starts empty rather than drawing across that time.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import Connection, Engine

from hmi.store.history_writer import driver_rows
from hmi.tagvalue import Quality

QUALITY_CODES: dict[Quality, int] = {
    Quality.GOOD: 0,
    Quality.UNCERTAIN: 1,
    Quality.BAD: 2,
    Quality.STALE: 3,
    Quality.DISCONNECTED: 4,
}
QUALITY_OF_CODE: dict[int, Quality] = {code: q for q, code in QUALITY_CODES.items()}
GOOD = QUALITY_CODES[Quality.GOOD]
NO_SAMPLE = -1  # BucketSeries.last_quality of an empty bucket

DEFAULT_LOOKBACK_S = 3600.0


@dataclass(frozen=True)
class RawSeries:
    """Samples in [t0, t1), oldest first (plus the one before t0, see the module doc);
    a non-good sample has value NaN (a gap)."""

    ts: np.ndarray  # float64 epoch seconds (source timestamps)
    value: np.ndarray  # float64 (bools as 0/1); NaN where quality is not good
    quality: np.ndarray  # int8 codes, see QUALITY_CODES

    def __len__(self) -> int:
        return len(self.ts)


@dataclass(frozen=True)
class BucketSeries:
    """Fixed-width buckets covering [t0, t1); empty buckets are NaN with count 0."""

    ts: np.ndarray  # float64 bucket start times
    min: np.ndarray
    max: np.ndarray
    mean: np.ndarray
    last: np.ndarray  # value of the bucket's latest sample; NaN if that one is not good
    count: np.ndarray  # int64 good samples in the bucket
    # Quality code of each bucket's latest sample, NO_SAMPLE (-1) for an empty bucket:
    # lets a trend hold `last` across empty buckets unless it ended in an outage.
    last_quality: np.ndarray = field(default_factory=lambda: np.empty(0, np.int8))

    def __len__(self) -> int:
        return len(self.ts)

    @property
    def width(self) -> float:
        return float(self.ts[1] - self.ts[0]) if len(self.ts) > 1 else math.nan


def _raw_from_rows(rows: list[tuple]) -> RawSeries:
    """(ts, value, quality) tuples → arrays; value NaN where quality is not good."""
    n = len(rows)
    ts = np.fromiter((r[0] for r in rows), np.float64, n)
    value = np.fromiter((r[1] for r in rows), np.float64, n)  # NULL → NaN
    quality = np.fromiter((r[2] for r in rows), np.int8, n)
    value[quality != GOOD] = np.nan
    return RawSeries(ts, value, quality)


_RANGE = (
    "SELECT ts, value, quality FROM history_samples "
    "WHERE tag_id = ? AND ts >= ? AND ts < ? ORDER BY ts"
)
_BEFORE = (
    "SELECT ts, value, quality FROM history_samples "
    "WHERE tag_id = ? AND ts < ? AND ts >= ? ORDER BY ts DESC LIMIT 1"
)
_AT_OR_BEFORE = (
    "SELECT value, quality FROM history_samples WHERE tag_id = ? AND ts <= ? "
    "ORDER BY ts DESC LIMIT 1"
)
# Bucket index: floor((ts - t0) / width). ts >= t0, so SQLite's CAST (which truncates)
# is the floor; PostgreSQL's CAST rounds, so it needs floor() first.
_BUCKET_INDEX = {
    "sqlite": "CAST((ts - ?) / ? AS INTEGER)",
    "postgresql": "CAST(floor((ts - ?) / ?) AS BIGINT)",
}
# Aggregates over good samples; `last` through a join on the bucket's max(ts), which
# the (tag_id, ts) key makes unique: portable, one key lookup per bucket.
_BUCKETS = """
WITH agg AS (
    SELECT {index} AS b,
           min(CASE WHEN quality = 0 THEN value END) AS vmin,
           max(CASE WHEN quality = 0 THEN value END) AS vmax,
           avg(CASE WHEN quality = 0 THEN value END) AS vmean,
           count(CASE WHEN quality = 0 THEN value END) AS n,
           max(ts) AS last_ts
    FROM history_samples
    WHERE tag_id = ? AND ts >= ? AND ts < ?
    GROUP BY 1
)
SELECT agg.b, agg.vmin, agg.vmax, agg.vmean, agg.n, s.value, s.quality
FROM agg JOIN history_samples s ON s.tag_id = ? AND s.ts = agg.last_ts
ORDER BY agg.b
"""


def bucket_sql(dialect: str) -> str:
    """The bucket query for `dialect`, ? placeholders: (t0, width, tag_id, t0, t1, tag_id)."""
    return _BUCKETS.format(index=_BUCKET_INDEX.get(dialect, _BUCKET_INDEX["postgresql"]))


class HistoryReader:
    """Queries of one tag's history. Thread-safe (each call takes its own connection)."""

    def __init__(self, engine: Engine, *, lookback_s: float = DEFAULT_LOOKBACK_S):
        self._engine = engine
        self._lookback = lookback_s
        self._ids: dict[str, int] = {}  # only tags that exist: ids never change

    # -- the contract ---------------------------------------------------------------------

    def raw(self, tag: str, t0: float, t1: float, limit: int | None = None) -> RawSeries:
        """Samples in [t0, t1), oldest first, at most `limit` of them (the oldest), with
        the tag's last sample before t0 in front if it lies within the lookback."""
        with self._engine.connect() as conn:
            tag_id = self._tag_id(conn, tag)
            if tag_id is None:
                return _raw_from_rows([])
            before = driver_rows(conn, _BEFORE, (tag_id, t0, t0 - self._lookback))
            sql, params = _RANGE, (tag_id, t0, t1)
            if limit is not None:
                sql, params = f"{_RANGE} LIMIT ?", (*params, max(int(limit), 0))
            rows = driver_rows(conn, sql, params)
        return _raw_from_rows(before + rows)

    def buckets(self, tag: str, t0: float, t1: float, n: int) -> BucketSeries:
        """`n` equal buckets covering [t0, t1): min/max/mean/count of the good samples
        and the last sample's value, per bucket; empty buckets NaN with count 0."""
        if n < 1 or not t1 > t0:
            raise ValueError(f"need n ≥ 1 and t1 > t0, not n={n}, [{t0}, {t1})")
        width = (t1 - t0) / n
        with self._engine.connect() as conn:
            tag_id = self._tag_id(conn, tag)
            rows = []
            if tag_id is not None:
                sql = bucket_sql(conn.dialect.name)
                rows = driver_rows(conn, sql, (t0, width, tag_id, t0, t1, tag_id))
        return _fill_buckets(rows, t0, width, n)

    def auto(self, tag: str, t0: float, t1: float, width_px: int) -> RawSeries | BucketSeries:
        """Raw samples when the range holds at most ~2 per pixel, else ~`width_px` buckets
        (min/max per pixel column, which is what a line that wide can show)."""
        width_px = max(int(width_px), 1)
        threshold = 2 * width_px
        raw = self.raw(tag, t0, t1, limit=threshold + 1)
        in_range = int(np.count_nonzero(raw.ts >= t0))
        if in_range <= threshold:
            return raw
        return self.buckets(tag, t0, t1, width_px)

    def tags(self) -> list[str]:
        """Names of the tags that have history, sorted."""
        with self._engine.connect() as conn:
            rows = driver_rows(
                conn,
                "SELECT t.name FROM history_tags t WHERE EXISTS "
                "(SELECT 1 FROM history_samples s WHERE s.tag_id = t.id) ORDER BY t.name",
            )
        return [r[0] for r in rows]

    def value_at(self, tag: str, t: float) -> tuple[float, int] | None:
        """The tag's last sample at or before `t`: (value, quality code); the value is NaN
        when the quality is not good. None when nothing was stored up to `t`."""
        with self._engine.connect() as conn:
            tag_id = self._tag_id(conn, tag)
            if tag_id is None:
                return None
            rows = driver_rows(conn, _AT_OR_BEFORE, (tag_id, t))
        if not rows:
            return None
        value, quality = rows[0]
        good = quality == GOOD and value is not None
        return (float(value) if good else math.nan), int(quality)

    # -- extras ---------------------------------------------------------------------------

    def span(self, tag: str) -> tuple[float, float] | None:
        """(first, last) sample time of `tag`, or None: where "all history" begins and ends."""
        with self._engine.connect() as conn:
            tag_id = self._tag_id(conn, tag)
            if tag_id is None:
                return None
            rows = driver_rows(
                conn,
                "SELECT min(ts), max(ts) FROM history_samples WHERE tag_id = ?",
                (tag_id,),
            )
        first, last = rows[0]
        return None if first is None else (float(first), float(last))

    def _tag_id(self, conn: Connection, tag: str) -> int | None:
        tag_id = self._ids.get(tag)
        if tag_id is None:
            rows = driver_rows(conn, "SELECT id FROM history_tags WHERE name = ?", (tag,))
            if rows:
                tag_id = self._ids[tag] = int(rows[0][0])
        return tag_id


def _fill_buckets(rows: list[tuple], t0: float, width: float, n: int) -> BucketSeries:
    """Spread the non-empty buckets' rows over all `n` buckets."""
    ts = t0 + np.arange(n, dtype=np.float64) * width
    cols = {k: np.full(n, np.nan) for k in ("min", "max", "mean", "last")}
    count = np.zeros(n, np.int64)
    last_quality = np.full(n, NO_SAMPLE, np.int8)
    if rows:
        k = len(rows)
        flat = np.fromiter(itertools.chain.from_iterable(rows), np.float64, 7 * k).reshape(k, 7)
        index = flat[:, 0].astype(np.int64)
        if index[-1] >= n:  # ts just below t1 can round into bucket n: it belongs to n-1
            return _fill_buckets(_merge_overflow(rows, n), t0, width, n)
        cols["min"][index] = flat[:, 1]
        cols["max"][index] = flat[:, 2]
        cols["mean"][index] = flat[:, 3]
        count[index] = flat[:, 4].astype(np.int64)
        quality = flat[:, 6].astype(np.int8)
        last = flat[:, 5]
        last[quality != GOOD] = np.nan
        cols["last"][index] = last
        last_quality[index] = quality
    return BucketSeries(ts=ts, count=count, last_quality=last_quality, **cols)


def _merge_overflow(rows: list[tuple], n: int) -> list[tuple]:
    """Fold rows whose bucket index rounded to ≥ n into bucket n-1 (float rounding at t1)."""
    keep = [r for r in rows if r[0] < n - 1]
    tail = [r for r in rows if r[0] >= n - 1]
    mins = [r[1] for r in tail if r[1] is not None]
    maxs = [r[2] for r in tail if r[2] is not None]
    count = sum(int(r[4]) for r in tail)
    total = sum(r[3] * r[4] for r in tail if r[3] is not None)
    latest = tail[-1]  # ordered by bucket: the overflow bucket holds the latest sample
    merged = (
        n - 1,
        min(mins) if mins else None,
        max(maxs) if maxs else None,
        total / count if count else None,
        count,
        latest[5],
        latest[6],
    )
    return [*keep, merged]
