"""The `hmi` command. Each sub-command imports only what it needs, so `hmi validate`
and `hmi sim` start without loading Qt."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from hmi.cli_admin import add_admin_commands, run_admin
from hmi.cli_alarms import add_alarm_commands, run_alarms
from hmi.cli_oee import add_oee_command, run_oee
from hmi.cli_plugin import add_plugin_commands, run_plugin
from hmi.paths import DEMO_CONFIG, SECURE_DEMO_CONFIG


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = text.lower().split("x")
        return int(w), int(h)
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1920x1080, not {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hmi", description="Pro4 HMI operator station")
    p.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def gui_options(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--db", metavar="URL", help="event/history database (SQLAlchemy URL)")
        sp.add_argument("--lang", default="en", help="UI language: en or zh_TW")
        sp.add_argument("--fullscreen", action="store_true", help="start full screen")
        sp.add_argument("--dev", action="store_true", help="reload edited plugin screens live")
        sp.add_argument("--plugin-path", action="append", type=Path, default=[], metavar="DIR",
                        help="a folder of plugin packages (repeatable)")  # fmt: skip

    d = sub.add_parser("demo", help="start the simulator and the GUI connected to it")
    gui_options(d)
    d.add_argument("--seed", type=int, default=1, help="simulator random seed")
    d.add_argument(
        "--secure", action="store_true",
        help="connect to the simulator over secured OPC UA (Basic256Sha256, SignAndEncrypt, "
        "user login); see docs/demo-plant.md",
    )  # fmt: skip
    d.add_argument(
        "--no-backfill", dest="backfill", action="store_false",
        help="do not record simulated history (since the previous shift) into an empty demo "
        "database before the station opens",
    )  # fmt: skip

    s = sub.add_parser("sim", help="run the demo plant simulator alone")
    s.add_argument("--opcua-port", type=int, default=4840, help="OPC UA port (default 4840)")
    s.add_argument(
        "--modbus-port", type=int, default=5020,
        help="Modbus TCP port of the Assembly line (default 5020; 502 needs root)",
    )  # fmt: skip
    s.add_argument("--host", default="127.0.0.1", help="address to serve on")
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--for", dest="duration", type=float, metavar="SECONDS")
    s.add_argument("--secure", action="store_true",
                   help="OPC UA with Basic256Sha256 SignAndEncrypt only, user 'operator', "
                        "password from HMI_SIM_PASSWORD")  # fmt: skip
    s.add_argument("--pki-dir", type=Path, metavar="DIR",
                   help="with --secure: folder of the server certificate (made on first use; "
                        "default <data dir>/sim)")  # fmt: skip

    r = sub.add_parser("run", help="the GUI on a plant config")
    r.add_argument("--config", required=True, type=Path)
    gui_options(r)

    rt = sub.add_parser("runtime", help="the headless runtime on a plant config")
    rt.add_argument("--config", required=True, type=Path)
    rt.add_argument("--db", metavar="URL")
    rt.add_argument("--for", dest="duration", type=float, metavar="SECONDS")

    v = sub.add_parser("validate", help="check a plant config")
    v.add_argument("file", type=Path)

    sc = sub.add_parser("screenshot", help="render one screen offscreen to a PNG")
    src = sc.add_mutually_exclusive_group(required=True)
    src.add_argument("--demo", action="store_true", help="use the demo plant and simulator")
    src.add_argument("--config", type=Path)
    sc.add_argument("--screen", required=True)
    sc.add_argument("--out", required=True, type=Path)
    sc.add_argument("--size", type=_size, default=(1920, 1080))
    sc.add_argument("--after", type=float, default=3.0, metavar="SECONDS")
    sc.add_argument("--lang", default="en")
    sc.add_argument("--seed", type=int, default=1)
    sc.add_argument("--no-backfill", dest="backfill", action="store_false",
                    help="with --demo: no simulated history in the picture")  # fmt: skip
    add_alarm_commands(sub)
    add_admin_commands(sub)  # users, audit (hmi/cli_admin.py)
    add_oee_command(sub)
    add_plugin_commands(sub)  # plugin new / list (hmi/cli_plugin.py)
    return p


def _validate(path: Path) -> int:
    from hmi.config import ConfigError, load_config

    try:
        cfg = load_config(path)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(
        f"{path.name}: OK — plant '{cfg.plant.name}', {len(cfg.connections)} connection(s), "
        f"{len(cfg.tags)} tag(s), {len(cfg.lines)} line(s), {len(cfg.alarms)} alarm(s)"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not args.verbose:
        logging.getLogger("asyncua").setLevel(logging.WARNING)
        logging.getLogger("alembic").setLevel(logging.WARNING)  # migrations: quiet on start
        # Each driver reports its connection itself ("cannot connect to …"), once per change.
        logging.getLogger("pymodbus").setLevel(logging.ERROR)
    match args.command:
        case "validate":
            return _validate(args.file)
        case "alarms":
            return run_alarms(args)
        case "oee":
            return run_oee(args)
        case "plugin":
            return run_plugin(args)
        case "users" | "audit":
            return run_admin(args)
        case "sim":
            from hmi.sim.server import run_sim

            return run_sim(
                args.host, args.opcua_port, args.seed, args.duration, modbus_port=args.modbus_port,
                secure=args.secure, pki_dir=args.pki_dir,
            )  # fmt: skip
        case "runtime":
            from hmi.runtime.headless import run_headless

            return run_headless(args.config, args.duration, args.db)
        case "run":
            from hmi.app.launch import run_gui

            return run_gui(
                args.config, lang=args.lang, fullscreen=args.fullscreen, demo=False,
                db_url=args.db, dev=args.dev, plugin_paths=args.plugin_path,
            )  # fmt: skip
        case "demo":
            from hmi.app.launch import run_gui

            return run_gui(
                SECURE_DEMO_CONFIG if args.secure else DEMO_CONFIG,
                lang=args.lang,
                fullscreen=args.fullscreen,
                demo=True,
                seed=args.seed,
                db_url=args.db,
                dev=args.dev,
                plugin_paths=args.plugin_path,
                secure=args.secure,
                backfill=args.backfill,
            )
        case "screenshot":
            from hmi.app.screenshot import take_screenshot

            return take_screenshot(
                config=None if args.demo else args.config,
                screen=args.screen,
                out=args.out,
                size=args.size,
                after=args.after,
                lang=args.lang,
                seed=args.seed,
                backfill=args.backfill,
            )
    return 2
