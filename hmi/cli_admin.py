"""`hmi users …` and `hmi audit …`: user administration and the audit trail from a shell.

Whoever can reach the database is trusted here (as with `psql`); every change is
still audited, as ``cli:<OS user>`` at this host. Passwords come from the
``HMI_PASSWORD`` environment variable when it is set (scripts), otherwise they
are prompted for twice without echo.
"""

from __future__ import annotations

import argparse
import getpass
import os
import socket
import sys
import time
from datetime import datetime
from typing import Any

from hmi.config_security import Role

PASSWORD_ENV = "HMI_PASSWORD"


def add_admin_commands(sub: Any) -> None:
    """Add the `users` and `audit` sub-commands to the `hmi` parser's subparsers."""

    def db(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", metavar="URL", help="database (SQLAlchemy URL; default: local)")

    users = sub.add_parser("users", help="manage the station users")
    u = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = u.add_parser("add", help="add a user (password from HMI_PASSWORD or prompted)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    db(add)
    for name, text in (
        ("passwd", "set a user's password (also clears a lockout)"),
        ("disable", "disable a user: they can no longer log in"),
        ("enable", "enable a disabled user again"),
    ):
        p = u.add_parser(name, help=text)
        p.add_argument("name")
        db(p)
    db(u.add_parser("list", help="list the users"))

    audit = sub.add_parser("audit", help="check or export the audit trail")
    a = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    db(a.add_parser("verify", help="check the hash chain; exit 1 naming the first broken record"))
    ex = a.add_parser("export", help="write audit records as CSV or JSON")
    db(ex)
    ex.add_argument("--since", type=_iso, metavar="ISO", help="from this time (included)")
    ex.add_argument("--until", type=_iso, metavar="ISO", help="to this time (excluded)")
    ex.add_argument("--format", choices=("csv", "json"), default="csv")
    ex.add_argument("--out", metavar="FILE", help="write here instead of standard output")


def _iso(text: str) -> float:
    """An ISO 8601 time as epoch seconds; without a zone it is this station's local time."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO time like 2025-03-01T06:00 or 2025-03-01T06:00+08:00"
        ) from None
    return (moment if moment.tzinfo else moment.astimezone()).timestamp()


def read_password(prompt: str = "Password") -> str:
    """HMI_PASSWORD if set, else asked twice without echo; ValueError if they differ."""
    env = os.environ.get(PASSWORD_ENV)
    if env is not None:
        return env
    first = getpass.getpass(f"{prompt}: ")
    if getpass.getpass(f"{prompt} (again): ") != first:
        raise ValueError("the passwords differ")
    return first


def run_admin(args: argparse.Namespace) -> int:
    """Run a `users` or `audit` command; 0 done, 1 audit chain broken, 2 refused."""
    from hmi.runtime.security import SecurityError
    from hmi.store import StoreError
    from hmi.store.users import UnknownUserError, UserExistsError

    try:
        if args.command == "users":
            return _users(args)
        return _audit(args)
    except (SecurityError, UserExistsError, UnknownUserError, ValueError, StoreError) as exc:
        print(f"hmi {args.command}: {exc}", file=sys.stderr)
        return 2


def _users(args: argparse.Namespace) -> int:
    from hmi.runtime.security import Identity, UserAdmin
    from hmi.store import open_store
    from hmi.store.audit import AuditTrail
    from hmi.store.users import UserStore

    actor = Identity(f"cli:{getpass.getuser()}", Role.ADMIN)
    with open_store(args.db) as store:
        admin = UserAdmin(UserStore(store.engine), AuditTrail(store.engine, socket.gethostname()))
        match args.users_command:
            case "add":
                admin.add(actor, args.name, Role(args.role), read_password())
                print(f"user '{args.name}' added as {args.role}")
            case "passwd":
                admin.passwd(actor, args.name, read_password(f"New password for {args.name}"))
                print(f"password of '{args.name}' changed")
            case "disable" | "enable":
                admin.set_disabled(actor, args.name, args.users_command == "disable")
                print(f"user '{args.name}' {args.users_command}d")
            case "list":
                _print_users(admin.list())
    return 0


def _print_users(users: list[Any]) -> None:
    now = time.time()
    print(f"{'NAME':<24} {'ROLE':<11} {'STATE':<9} LAST LOGIN")
    for u in users:
        locked = u.locked_until is not None and u.locked_until > now
        state = "disabled" if u.disabled else "locked" if locked else "active"
        last = "never"
        if u.last_login_ts:
            last = datetime.fromtimestamp(u.last_login_ts).isoformat(" ", "seconds")
        print(f"{u.name:<24} {u.role:<11} {state:<9} {last}")


def _audit(args: argparse.Namespace) -> int:
    from hmi.store import open_store
    from hmi.store.audit import AuditTrail, export_records

    with open_store(args.db) as store:
        trail = AuditTrail(store.engine, socket.gethostname())
        if args.audit_command == "verify":
            check = trail.verify()
            print(check, file=sys.stdout if check.ok else sys.stderr)
            return 0 if check.ok else 1
        records = trail.records(args.since, args.until)
        if args.out:
            with open(args.out, "w", encoding="utf-8", newline="") as out:
                n = export_records(records, out, args.format)
            print(f"{n} audit record(s) written to {args.out}", file=sys.stderr)
        else:
            export_records(records, sys.stdout, args.format)
    return 0
