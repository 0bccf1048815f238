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

from hmi.store.history_writer import driver_rows, minute_of
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
# Buckets at least this wide are read from the per-minute rollups even when their
# edges cut minutes (each cut minute is read raw: at most 1/4 of the range is).
ROLLUP_MIN_WIDTH_S = 240.0


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


_ROLLUPS = (
    "SELECT minute_ts, first_ts, last_ts, vmin, vmax, vsum, n, last_value, last_quality "
    "FROM history_rollup_1m WHERE tag_id = ? AND minute_ts >= ? AND minute_ts < ? "
    "ORDER BY minute_ts"
)
_RANGES_PER_QUERY = 400  # (lo, hi) pairs: well under SQLite's and psycopg's bind limits


def bucket_sql(dialect: str) -> str:
    """The bucket query for `dialect`, ? placeholders: (t0, width, tag_id, t0, t1, tag_id)."""
    return _BUCKETS.format(index=_BUCKET_INDEX.get(dialect, _BUCKET_INDEX["postgresql"]))


class HistoryReader:
    """Queries of one tag's history. Thread-safe (each call takes its own connection)."""

    def __init__(
        self, engine: Engine, *, lookback_s: float = DEFAULT_LOOKBACK_S, rollups: bool = True
    ):
        """`rollups=False` always aggregates raw samples (the benchmark's comparison)."""
        self._engine = engine
        self._lookback = lookback_s
        self._rollups = rollups
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
        and the last sample's value, per bucket; empty buckets NaN with count 0.

        Buckets whole minutes wide on a minute grid, or at least `ROLLUP_MIN_WIDTH_S`
        wide, come from the per-minute rollups (the result is the same)."""
        if n < 1 or not t1 > t0:
            raise ValueError(f"need n ≥ 1 and t1 > t0, not n={n}, [{t0}, {t1})")
        width = (t1 - t0) / n
        with self._engine.connect() as conn:
            tag_id = self._tag_id(conn, tag)
            rows = []
            if tag_id is not None and self._rollups and _rollups_pay(t0, width):
                return _rollup_buckets(conn, tag_id, t0, t1, n)
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


# -- buckets from rollups ---------------------------------------------------------------
#
# Exactly the raw result, whatever the grid: a minute is taken whole from its rollup
# only when its first and last sample (hence, the bucket index being monotonic in ts,
# all its samples) fall in one bucket and inside [t0, t1), with the very same float
# formula as the SQL's bucket index. Every other minute of the range (cut by a
# bucket edge or by t0/t1) is read as raw samples, and both are folded per bucket.


def _rollups_pay(t0: float, width: float) -> bool:
    """Whether rollups beat raw samples: buckets of whole minutes on a minute grid (no
    minute is cut), or wide enough that the cut minutes are a small part."""
    if width < 60.0:
        return False
    return (t0 % 60.0 == 0.0 and width % 60.0 == 0.0) or width >= ROLLUP_MIN_WIDTH_S


def _rollup_buckets(conn: Connection, tag_id: int, t0: float, t1: float, n: int) -> BucketSeries:
    width = (t1 - t0) / n

    def index(ts: np.ndarray) -> np.ndarray:  # the SQL's floor((ts - t0) / width), capped
        return np.minimum(np.floor((ts - t0) / width), n - 1).astype(np.int64)

    rows = driver_rows(conn, _ROLLUPS, (tag_id, minute_of(t0), t1))
    k = len(rows)
    r = np.fromiter(itertools.chain.from_iterable(rows), np.float64, 9 * k).reshape(k, 9)
    minute, first, last = r[:, 0], r[:, 1], r[:, 2]
    inside = (last >= t0) & (first < t1)
    whole = inside & (first >= t0) & (last < t1)
    whole[whole] = index(first[whole]) == index(last[whole])
    raw = _raw_from_rows(_minutes_raw(conn, tag_id, minute[inside & ~whole], t0, t1))
    good = (raw.quality == GOOD) & ~np.isnan(raw.value)
    w = r[whole]
    # one contribution per whole minute and per raw sample
    bucket = np.concatenate([index(w[:, 1]), index(raw.ts)])
    vmin = np.concatenate([w[:, 3], raw.value])  # raw.value is NaN where not good
    vmax = np.concatenate([w[:, 4], raw.value])
    vsum = np.concatenate([w[:, 5], np.where(good, raw.value, 0.0)])
    count = np.concatenate([w[:, 6].astype(np.int64), good.astype(np.int64)])
    last_ts = np.concatenate([w[:, 2], raw.ts])
    last_value = np.concatenate([w[:, 7], raw.value])
    last_quality = np.concatenate([w[:, 8].astype(np.int8), raw.quality])

    out = _fill_buckets([], t0, width, n)
    if not len(bucket):
        return out
    order = np.lexsort((last_ts, bucket))  # by bucket, then time
    bucket = bucket[order]
    starts = np.flatnonzero(np.r_[True, bucket[1:] != bucket[:-1]])
    ends = np.r_[starts[1:], len(bucket)] - 1
    at = bucket[starts]
    out.min[at] = np.fmin.reduceat(vmin[order], starts)  # fmin: NaN only if all are
    out.max[at] = np.fmax.reduceat(vmax[order], starts)
    n_good = np.add.reduceat(count[order], starts)
    total = np.add.reduceat(vsum[order], starts)
    out.count[at] = n_good
    out.mean[at] = np.divide(total, n_good, out=np.full(len(at), np.nan), where=n_good > 0)
    latest = order[ends]
    out.last_quality[at] = last_quality[latest]
    out.last[at] = np.where(last_quality[latest] == GOOD, last_value[latest], np.nan)
    return out


def _minutes_raw(
    conn: Connection, tag_id: int, minutes: np.ndarray, t0: float, t1: float
) -> list[tuple]:
    """Raw (ts, value, quality) of the given minutes, clipped to [t0, t1): adjacent
    minutes as one range, the ranges joined in a few queries (one round trip each)."""
    if not len(minutes):
        return []
    breaks = np.flatnonzero(np.diff(minutes) != 60.0) + 1
    lo = np.maximum(minutes[np.r_[0, breaks]], t0).tolist()
    hi = np.minimum(minutes[np.r_[breaks - 1, len(minutes) - 1]] + 60.0, t1).tolist()
    rows: list[tuple] = []
    for start in range(0, len(lo), _RANGES_PER_QUERY):
        part = list(
            zip(
                lo[start : start + _RANGES_PER_QUERY],
                hi[start : start + _RANGES_PER_QUERY],
                strict=True,
            )
        )
        values = ", ".join(["(?, ?)"] * len(part))
        sql = (
            f"WITH r(lo, hi) AS (VALUES {values}) SELECT s.ts, s.value, s.quality "
            "FROM r JOIN history_samples s ON s.tag_id = ? AND s.ts >= r.lo AND s.ts < r.hi"
        )
        rows += driver_rows(conn, sql, (*itertools.chain.from_iterable(part), tag_id))
    return rows
