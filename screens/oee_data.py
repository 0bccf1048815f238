"""OEE figures for the panels, computed off the GUI thread; newest request wins.

The pure functions here (`card_data`, `line_detail`, `comparison`) read the store
through `hmi.runtime.oee.load_figures`, the same calculation `hmi oee` prints, so the
panel and the command agree. `OeeLoader` runs them in its own thread pool and hands
the result back by a queued signal; each request has a generation per purpose, and a
result that is no longer the newest of its purpose is dropped, so a slow answer for
an old period never paints over the period now on screen.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from hmi.cli_oee import default_window
from hmi.config import PlantConfig
from hmi.config_oee import DEFAULT_TIMEZONE, LineState
from hmi.runtime.oee import line_model, load_figures, to_interval
from hmi.runtime.oee_calc import (
    DowntimeEvent,
    Interval,
    OeeFigures,
    ReasonPart,
    downtime_events,
    pareto_by_category,
)
from hmi.runtime.oee_commands import OeeAccess
from hmi.runtime.shift_calendar import periods, shift_windows

log = logging.getLogger(__name__)

LIVE_SLACK_S = 5.0
"""A period ending this close to now is live: it gets the tracker's open interval."""

MAX_HOURLY_S = 36 * 3600.0
"""Longer periods get production bars per day instead of per hour."""

PERIOD_KINDS = ("shift", "prev_shift", "today", "yesterday", "custom")


# --------------------------------------------------------------------------- periods


def zone_of(config: PlantConfig) -> Any:
    from zoneinfo import ZoneInfo

    return config.shifts.zone if config.shifts else ZoneInfo(DEFAULT_TIMEZONE)


def period_window(
    config: PlantConfig, kind: str, now: float, custom: tuple[float, float] | None = None
) -> tuple[float, float]:
    """[since, until) of a period the selector offers (see `PERIOD_KINDS`)."""
    if kind == "custom" and custom is not None:
        return custom
    zone = zone_of(config)
    midnight = datetime.fromtimestamp(now, zone).replace(hour=0, minute=0, second=0, microsecond=0)
    if kind == "today":
        return midnight.timestamp(), now
    if kind == "yesterday":
        before = (midnight.replace(tzinfo=None) - timedelta(days=1)).replace(tzinfo=zone)
        return before.timestamp(), midnight.timestamp()
    since, until = default_window(config, now)
    if kind == "prev_shift":
        return previous_shift(config, since) or (since - 8 * 3600, since)
    return since, until


def previous_shift(config: PlantConfig, before: float) -> tuple[float, float] | None:
    """The last shift occurrence that ended at or before `before`."""
    if config.shifts is None:
        return None
    done = [w for w in shift_windows(config.shifts, before - 3 * 86400, before) if w.end <= before]
    return (done[-1].start, done[-1].end) if done else None


def is_live(until: float, now: float) -> bool:
    return until >= now - LIVE_SLACK_S


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class CardData:
    """What an OEE card shows for one line and period."""

    line: str
    figures: OeeFigures
    live: bool
    state: LineState | None = None
    state_since: float | None = None
    reason: int | None = None
    good: int = 0  # stored figures + counts the tracker still holds
    reject: int = 0
    raw: dict[str, int] = field(default_factory=dict)
    modulus: dict[str, int | None] = field(default_factory=dict)
    ideal_count: float | None = None  # parts the line would have made so far at ideal speed


@dataclass(frozen=True)
class HourBar:
    label: str
    start: float
    good: int
    ideal: float | None
    target: float | None = None


@dataclass(frozen=True)
class LineDetail:
    """Everything the line detail screen shows for one period."""

    card: CardData
    intervals: list[Interval]
    events: list[DowntimeEvent]
    by_category: list[tuple[str | None, float]]
    hours: list[HourBar]  # per hour, or per day for long periods (`daily`)
    daily: bool = False


@dataclass(frozen=True)
class CompareRow:
    line: str
    label: str
    figures: OeeFigures
    good: int  # with the counts the tracker still holds, when live (as on the card)
    reject: int


def ideal_count(fig: OeeFigures, default_cycle: float | None) -> float | None:
    """Parts at ideal speed in the planned production time: the mean ideal cycle of what
    was made (or the line's default), so actual / ideal = A × P."""
    cycle = fig.ideal_time / fig.total if fig.total and fig.ideal_time > 0 else default_cycle
    if not cycle:
        return None
    return fig.planned_production_time / cycle


def card_data(access: OeeAccess, line: str, since: float, until: float, now: float) -> CardData:
    """The card's figures; a live period includes the tracker's open interval and the
    counts it still holds."""
    live = is_live(until, now)
    iv = access.live_interval(line) if live else None
    if live:
        until = max(until, now)
    fig = load_figures(access.store, access.config, line, since, until, live=iv)
    model = line_model(access.config, line)
    extra = access.live_counts(line) if live else None
    state = since_ = reason = None
    if iv is not None:  # no open interval yet: the state is not known, so none is shown
        state, since_, reason = iv.state, iv.start, iv.reason
    return CardData(
        line=line,
        figures=fig,
        live=live,
        state=state,
        state_since=since_,
        reason=reason,
        good=fig.good + (extra.good if extra else 0),
        reject=fig.reject + (extra.reject if extra else 0),
        raw=extra.raw if extra else {},
        modulus=extra.modulus if extra else {},
        ideal_count=ideal_count(fig, model.default_cycle_s),
    )


def period_intervals(access: OeeAccess, line: str, since: float, card: CardData) -> list[Interval]:
    """The stored intervals of the card's period, the open one as the tracker sees it now."""
    until = card.figures.until
    ivs = [to_interval(r) for r in access.store.intervals(line, since, until)]
    live = access.live_interval(line) if card.live else None
    if live is not None:
        ivs = [iv for iv in ivs if iv.start != live.start] + [live]
    return sorted(ivs, key=lambda i: i.start)


def line_detail(access: OeeAccess, line: str, since: float, until: float, now: float) -> LineDetail:
    """Card figures, the timeline, the downtime list, the Pareto by category, per-hour
    production against ideal for [since, until)."""
    card = card_data(access, line, since, until, now)
    until = card.figures.until
    model = line_model(access.config, line)
    ivs = period_intervals(access, line, since, card)
    live = access.live_interval(line) if card.live else None
    first = min((iv.start for iv in ivs), default=since)
    parts = [
        ReasonPart(r.event_start, r.reason, r.seconds, r.user)
        for r in access.store.reasons(line, first, until)
    ]
    events = downtime_events(model, ivs, parts)
    hours = []
    zone = zone_of(access.config)
    by, fmt = ("hour", "%H:00") if until - since <= MAX_HOURLY_S else ("day", "%m-%d")
    for p in periods(access.config.shifts, since, until, by, zone):
        fig = load_figures(access.store, access.config, line, p.start, p.end, live=live)
        label = datetime.fromtimestamp(p.start, zone).strftime(fmt)
        ideal = ideal_count(fig, model.default_cycle_s)
        target = ideal * model.target if ideal is not None else None
        hours.append(HourBar(label, p.start, fig.good, ideal, target))
    by_cat = pareto_by_category(card.figures.pareto, access.config.downtime_reasons)
    return LineDetail(card, ivs, events, by_cat, hours, daily=by == "day")


@dataclass(frozen=True)
class Dashboard:
    """One refresh of the dashboard: the cards, and the comparison table's rows."""

    cards: dict[str, CardData]
    compare: list[CompareRow]
    intervals: dict[str, list[Interval]]  # each line's states over the period (for a strip)


def dashboard(
    access: OeeAccess,
    since: float,
    until: float,
    now: float,
    previous: int = 2,
    cache: dict[tuple[str, float, float], OeeFigures] | None = None,
) -> Dashboard:
    """Each line's card, and the comparison: each line over the selected period (the
    card's own figures, so the two never disagree), then over the `previous` shifts
    before it. Past shifts do not change, so their figures are kept in `cache`."""
    cards = {line: card_data(access, line, since, until, now) for line in access.lines}
    windows = []
    before = since
    for _ in range(previous):
        prev = previous_shift(access.config, before)
        if prev is None:
            break
        windows.append((_shift_label(access.config, *prev), *prev))
        before = prev[0]
    rows = []
    for line in access.lines:
        card = cards[line]
        rows.append(CompareRow(line, "", card.figures, card.good, card.reject))
        for label, a, z in windows:
            fig = cache.get((line, a, z)) if cache is not None else None
            if fig is None:
                fig = load_figures(access.store, access.config, line, a, z)
                if cache is not None and not is_live(z, now):
                    cache[(line, a, z)] = fig
            rows.append(CompareRow(line, label, fig, fig.good, fig.reject))
    strips = {line: period_intervals(access, line, since, cards[line]) for line in access.lines}
    return Dashboard(cards, rows, strips)


def _shift_label(config: PlantConfig, start: float, end: float) -> str:
    zone = zone_of(config)
    a = datetime.fromtimestamp(start, zone)
    z = datetime.fromtimestamp(end, zone)
    return f"{a:%m-%d %H:%M}–{z:%H:%M}"


# --------------------------------------------------------------------------- the worker


@dataclass(frozen=True)
class LoadResult:
    purpose: str
    generation: int
    value: Any = None
    error: str | None = None


class _Relay(QObject):
    done = Signal(object)


class _Job(QRunnable):
    def __init__(self, purpose: str, generation: int, fn: Callable[[], Any], relay: _Relay):
        super().__init__()
        self._purpose, self._gen, self._fn, self._relay = purpose, generation, fn, relay

    def run(self) -> None:  # a pool thread: no widgets here
        try:
            result = LoadResult(self._purpose, self._gen, self._fn())
        except Exception as exc:  # shown on the screen; the next refresh tries again
            log.exception("OEE figures for %s failed", self._purpose)
            result = LoadResult(self._purpose, self._gen, error=f"{type(exc).__name__}: {exc}")
        self._relay.done.emit(result)


class OeeLoader(QObject):
    """Runs loads in the background; `ready(LoadResult)` on the GUI thread, newest only.

    A purpose with a load still under way is not started again (a slow database must
    not pile up refreshes); `force=True` starts it anyway and makes the older stale.
    """

    ready = Signal(object)

    def __init__(self, parent: QObject | None = None, threads: int = 2):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._relay = _Relay()
        self._relay.done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._newest: dict[str, int] = {}
        self._busy: set[str] = set()
        self._counter = 0
        self.discarded = 0

    def load(self, purpose: str, fn: Callable[[], Any], *, force: bool = False) -> bool:
        """Start `fn` for `purpose`; False when skipped because one is under way."""
        if purpose in self._busy and not force:
            return False
        self._counter += 1
        self._newest[purpose] = self._counter
        self._busy.add(purpose)
        self._pool.start(_Job(purpose, self._counter, fn, self._relay))
        return True

    @Slot(object)
    def _deliver(self, result: LoadResult) -> None:
        if self._newest.get(result.purpose) != result.generation:
            self.discarded += 1
            return
        self._busy.discard(result.purpose)
        self.ready.emit(result)

    def wait(self, timeout_ms: int = 10000) -> bool:
        return self._pool.waitForDone(timeout_ms)

    def close(self) -> None:
        self._pool.clear()
        self._newest.clear()
        self._pool.waitForDone(10000)


def now() -> float:
    return time.time()
