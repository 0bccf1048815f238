"""`hmi oee`: a line's OEE figures per period, read from the store.

The same calculation the OEE panels use (`hmi.runtime.oee.load_figures`), so the
command and the screen agree. The plant config supplies the line model (ideal
cycle times, state mapping) and the shift calendar.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hmi.paths import DEMO_CONFIG


def add_oee_command(subparsers: Any) -> argparse.ArgumentParser:
    """Register `hmi oee` on the `hmi` command's sub-parsers."""
    p = subparsers.add_parser("oee", help="OEE figures of a line, per period, from the store")
    p.add_argument("--db", metavar="URL", help="the store (SQLAlchemy URL; default: local file)")
    p.add_argument("--line", required=True, help="line name, e.g. Welding")
    p.add_argument("--since", metavar="ISO", help="start (default: the current shift's start)")
    p.add_argument("--until", metavar="ISO", help="end (default: now)")
    p.add_argument("--by", choices=("shift", "day", "hour"), help="one row per shift/day/hour")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--config", type=Path, default=DEMO_CONFIG, help="plant config (default: the demo)"
    )
    return p


def _parse_time(text: str, zone: ZoneInfo) -> float:
    """ISO 8601; without an offset it is the plant's local time."""
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO date/time like 2025-03-03T06:00") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=zone)
    return dt.timestamp()


def default_window(config: Any, now: float) -> tuple[float, float]:
    """The current shift so far (or today so far, without a calendar)."""
    from hmi.runtime.shift_calendar import current_shift

    shift = current_shift(config.shifts, now)
    if shift is not None:
        return shift.start, now
    zone = _zone(config)
    midnight = datetime.fromtimestamp(now, zone).replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.timestamp(), now


def _zone(config: Any) -> ZoneInfo:
    from hmi.config_oee import DEFAULT_TIMEZONE

    return config.shifts.zone if config.shifts else ZoneInfo(DEFAULT_TIMEZONE)


def run_oee(args: argparse.Namespace, now: float | None = None) -> int:
    """Print the figures; 0 on success, 2 on bad input, 1 when the store fails."""
    from hmi.config import ConfigError, load_config
    from hmi.runtime.oee import line_model, load_figures
    from hmi.runtime.shift_calendar import periods
    from hmi.store.database import StoreError, open_store
    from hmi.store.oee_store import OeeStore

    try:
        config = load_config(args.config)
        model = line_model(config, args.line)
        zone = _zone(config)
        now = time.time() if now is None else now
        since, until = default_window(config, now)
        if args.until:
            until = _parse_time(args.until, zone)
        if args.since:
            since = _parse_time(args.since, zone)
        elif args.until:
            since = until - 86400.0
        if until <= since:
            raise ValueError("--until must be after --since")
        spans = periods(config.shifts, since, until, args.by, zone)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    except (KeyError, ValueError) as exc:
        print(f"hmi oee: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
    try:
        store = open_store(args.db)
    except StoreError as exc:
        print(f"hmi oee: {exc}", file=sys.stderr)
        return 1
    try:
        oee = OeeStore(store.engine)
        rows = [(p, load_figures(oee, config, args.line, p.start, p.end)) for p in spans]
    finally:
        store.close()
    names = {r.code: r.name.en for c in config.downtime_reasons for r in c.reasons}
    if args.format == "json":
        out = {
            "line": args.line,
            "timezone": zone.key,
            "target": model.target,
            "periods": [
                {
                    "label": p.label,
                    "start": _iso(p.start, zone),
                    "end": _iso(p.end, zone),
                    **f.to_dict(),
                }
                for p, f in rows
            ],
        }
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        print(format_text(args.line, rows, zone, names))
    return 0


def _iso(ts: float, zone: ZoneInfo) -> str:
    return datetime.fromtimestamp(ts, zone).isoformat(timespec="seconds")


def duration(seconds: float | None) -> str:
    """12345 → '3:25:45' (h:mm:ss); negative durations keep their sign."""
    if seconds is None or math.isnan(seconds):
        return "-"
    sign = "-" if seconds < 0 else ""
    s = round(abs(seconds))
    return f"{sign}{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def percent(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio * 100:.1f} %"


_LOSS_NAMES = {
    "equipment_failure": "equipment failure",
    "setup_changeover": "setup/changeover",
    "idling_minor_stops": "idling & minor stops",
    "reduced_speed": "reduced speed",
    "process_defects": "process defects",
    "reduced_yield_startup": "start-up rejects",
}


def format_text(line: str, rows: list, zone: ZoneInfo, names: dict[int, str]) -> str:
    """One block per period: times, counts, A/P/Q/OEE/TEEP, MTBF/MTTR, losses, reasons."""
    out: list[str] = []
    for p, f in rows:
        start = datetime.fromtimestamp(p.start, zone)
        end = datetime.fromtimestamp(p.end, zone)
        end_text = end.strftime("%H:%M") if end - start < timedelta(days=1) else end.isoformat()
        out.append(f"{line}  {p.label}  ({start:%Y-%m-%d %H:%M} → {end_text}, {zone.key})")
        out.append(
            f"  planned {duration(f.planned_production_time)}  run {duration(f.run_time)}  "
            f"down {duration(f.down_time)}  idle {duration(f.idle_time)}  "
            f"changeover {duration(f.changeover_time)}  unknown {duration(f.unknown_time)}"
        )
        out.append(
            f"  counts  total {f.total}  good {f.good}  reject {f.reject}"
            + (f"  (in unknown time, excluded: {f.unknown_count})" if f.unknown_count else "")
        )
        out.append(
            f"  A {percent(f.availability)}  P {percent(f.performance)}  "
            f"Q {percent(f.quality)}  OEE {percent(f.oee)} (target {percent(f.target)})  "
            f"TEEP {percent(f.teep)}"
        )
        out.append(
            f"  MTBF {duration(f.mtbf)}  MTTR {duration(f.mttr)}  stops {f.stops}  "
            f"micro-stops {f.micro_stops}"
        )
        losses = ", ".join(f"{_LOSS_NAMES[k]} {duration(v)}" for k, v in f.losses.items())
        out.append(f"  losses  {losses}")
        if f.pareto:
            reasons = ", ".join(
                f"{'unassigned' if e.reason is None else names.get(e.reason, e.reason)} "
                f"{duration(e.seconds)}"
                for e in f.pareto
            )
            out.append(f"  downtime by reason  {reasons}")
        out.append("")
    return "\n".join(out).rstrip()
