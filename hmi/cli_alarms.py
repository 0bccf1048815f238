"""`hmi alarms export` and `hmi alarms kpi`: the supervisor's alarm tools, headless.

Imports of the store happen when a command runs, so building the `hmi` parser stays cheap.

Both read the event journal (any SQLAlchemy URL, default the station's own
SQLite file) and never write to it. Exit codes: 0 done, 1 the database failed,
2 bad arguments (argparse's convention: a bad --since, an empty period, a
missing SQLite file).
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TextIO

TIME_HELP = (
    "ISO 8601 date or date-time, e.g. 2025-06-15, 2025-06-15T08:30, 2025-06-15 08:30:00+08:00 "
    "or 2025-06-15T00:30Z; without a zone it is this station's local time"
)
KPI_DEFAULT_HOURS = 24.0


def parse_time(text: str) -> float:
    """An ISO 8601 date or date-time as UTC epoch seconds; naive means local time.

    An argparse `type`: a bad value becomes a usage error (exit 2) naming the value.
    """
    try:
        dt = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO 8601 date or date-time: {text!r} (e.g. 2025-06-15 or 2025-06-15T08:30)"
        ) from None
    # astimezone() on a naive datetime takes it as local time (DST included).
    return dt.astimezone().timestamp() if dt.tzinfo is None else dt.timestamp()


def _positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, not {text!r}")
    return n


def add_alarm_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add `alarms export` and `alarms kpi` to the `hmi` command's sub-commands."""
    alarms = subparsers.add_parser(
        "alarms", help="alarm/event history export and ISA-18.2 alarm KPIs"
    )
    sub = alarms.add_subparsers(dest="alarms_command", required=True, metavar="ACTION")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--db", metavar="URL", help="journal database, a SQLAlchemy URL "
            "(default: this station's SQLite file)",
        )  # fmt: skip
        p.add_argument(
            "--since", type=parse_time, metavar="ISO", help=f"from (inclusive): {TIME_HELP}"
        )
        p.add_argument("--until", type=parse_time, metavar="ISO", help="to (exclusive), as --since")
        p.add_argument("--out", type=Path, metavar="FILE", help="write to FILE (default: stdout)")
        p.add_argument("--page-size", type=_positive_int, default=1000, help=argparse.SUPPRESS)

    ex = sub.add_parser(
        "export",
        help="the event history, one row per event, oldest first",
        description="Export journaled events (alarm transitions, operator actions, system "
        "events), one row per event, oldest first. Times are ISO 8601 UTC plus epoch seconds.",
    )
    common(ex)
    ex.add_argument(
        "--kind", action="append", choices=["alarm", "operator", "system"],
        help="only this kind of event (repeatable; default: all kinds)",
    )  # fmt: skip
    ex.add_argument(
        "--format", choices=["csv", "json", "jsonl"], default="csv",
        help="csv (with a header), json (one array) or jsonl (one object per line); default csv",
    )  # fmt: skip

    kpi = sub.add_parser(
        "kpi",
        help="ISA-18.2 alarm performance KPIs for a period",
        description="Alarm KPIs for [since, until): alarm rates per operator, floods, bad "
        f"actors, chattering, stale, priority distribution, shelving. Default period: the "
        f"{KPI_DEFAULT_HOURS:g} h before --until (default now).",
    )
    common(kpi)
    kpi.add_argument("--format", choices=["text", "json"], default="text")


class _UsageError(Exception):
    """Bad arguments found after parsing: exit 2 with the message."""


def run_alarms(args: argparse.Namespace) -> int:
    """Run `hmi alarms <action>`; return the exit code."""
    if not getattr(args, "verbose", False):  # opening the store must not chatter on stderr
        logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        if args.since is not None and args.until is not None and args.since >= args.until:
            raise _UsageError("--since must be before --until")
        url = _checked_url(args.db)
        from sqlalchemy.exc import SQLAlchemyError

        from hmi.store.database import StoreError, open_store

        try:
            store = open_store(url)
        except StoreError as exc:
            print(f"hmi alarms: {exc}", file=sys.stderr)
            return 1
        try:
            if args.alarms_command == "export":
                return _export(store.engine, args)
            return _kpi(store.engine, args)
        except SQLAlchemyError as exc:
            print(f"hmi alarms: database error: {exc}", file=sys.stderr)
            return 1
        finally:
            store.close()
    except _UsageError as exc:
        print(f"hmi alarms {args.alarms_command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # `hmi alarms export | head`: the reader left; not an error. Keep Python's final
        # flush of stdout from raising again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _checked_url(db: str | None) -> str | None:
    """Refuse a SQLite path that does not exist: opening it would create an empty journal
    and report nothing, hiding a typo."""
    from sqlalchemy import make_url

    from hmi.store.database import default_db_path

    if db is None:
        if not default_db_path().exists():
            raise _UsageError(f"no journal at {default_db_path()} (give --db URL)")
        return None
    try:
        url = make_url(db)
    except Exception as exc:  # sqlalchemy raises ArgumentError, ValueError…
        raise _UsageError(f"--db: not a database URL: {db!r} ({exc})") from None
    if url.get_backend_name() == "sqlite":
        path = url.database or ""
        a_file = path not in ("", ":memory:") and not path.startswith("file:")  # not a URI
        if a_file and not Path(path).expanduser().exists():
            raise _UsageError(f"--db: no SQLite database at {path}")
    return db


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    """stdout, or FILE written beside it and renamed into place, so a failed export never
    leaves a truncated file looking complete. UTF-8 either way (messages may be zh-TW);
    newline="" so CSV keeps its CRLF row ends untranslated."""
    if path is None:
        out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
        try:
            yield out
            out.flush()
        finally:
            out.detach()
        return
    part = path.with_name(path.name + ".part")
    try:
        with open(part, "w", encoding="utf-8", newline="") as out:
            yield out
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def _export(engine, args: argparse.Namespace) -> int:
    from hmi.store.export import export_events
    from hmi.store.queries import EventFilter

    flt = EventFilter(since=args.since, until=args.until, kinds=tuple(args.kind or ()))
    sys.stdout.flush()
    with _output(args.out) as out:
        n = export_events(engine, out, flt, args.format, page_size=args.page_size)
    if args.out is not None:
        print(f"{n} event(s) written to {args.out}", file=sys.stderr)
    return 0


def _kpi(engine, args: argparse.Namespace) -> int:
    from hmi.store.alarm_kpi import compute_alarm_kpis, format_report

    until = args.until if args.until is not None else time.time()
    since = args.since if args.since is not None else until - KPI_DEFAULT_HOURS * 3600
    if since >= until:
        raise _UsageError("--since must be before --until (the default until is now)")
    kpis = compute_alarm_kpis(engine, since, until, page_size=args.page_size)
    text = (
        json.dumps(kpis.as_dict(), indent=2, ensure_ascii=False) + "\n"
        if args.format == "json"
        else format_report(kpis)
    )
    with _output(args.out) as out:
        out.write(text)
    return 0
