"""The demo plant served over OPC UA (and its Assembly line over Modbus TCP too).

`SimServer` is a thin asyncua shell around `BicycleFactory`, plus a
`SimModbusServer` on the same event loop and the same model, so a value is the
same whichever protocol reads it.

Address space: Objects/BicycleFactory/<Line>/<Machine>/<Variable>, every
variable with the string NodeId of its tag name in the namespace
`urn:pro4:bicycle-factory:sim` (index 2), e.g. ``ns=2;s=Welding.Conveyor.MotorCurrent``.
One folder per line and machine keeps each parent small (asyncua adds children
to one parent in quadratic time).

A loop steps the model on the real clock at 10 Hz, writes only the values
that changed into the address space and refreshes the Modbus registers.
Client writes to writable nodes reach the model through asyncua's PostWrite
server callback, at once; a value the model refuses (out of range, wrong
type) is answered with a Bad status and the node is put back to the model's
value. Modbus writes take the same way through `SimModbusServer`.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import signal
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any

from asyncua import Server, ua
from asyncua.common.callback import CallbackType, ServerItemCallback

from hmi.config import DataType, PlantConfig
from hmi.sim import MODBUS_PORT, NAMESPACE_URI, OPCUA_PATH, PARENT_ENV
from hmi.sim.codes import REASON_TEXT, LineState, Reason
from hmi.sim.launch import point_at_simulator
from hmi.sim.modbus_server import SimModbusServer
from hmi.sim.plant import BicycleFactory
from hmi.sim.security import (
    PASSWORD_ENV,
    SIM_USER,
    ServerCertificate,
    SimSecurity,
    SimSecurityError,
)

log = logging.getLogger("hmi.sim")

ROOT_FOLDER = "BicycleFactory"
STEP_S = 0.1

VARIANT_TYPES: dict[DataType, ua.VariantType] = {
    DataType.BOOL: ua.VariantType.Boolean,
    DataType.INT16: ua.VariantType.Int16,
    DataType.UINT16: ua.VariantType.UInt16,
    DataType.INT32: ua.VariantType.Int32,
    DataType.UINT32: ua.VariantType.UInt32,
    DataType.INT64: ua.VariantType.Int64,
    DataType.UINT64: ua.VariantType.UInt64,
    DataType.FLOAT32: ua.VariantType.Float,
    DataType.FLOAT64: ua.VariantType.Double,
    DataType.STRING: ua.VariantType.String,
}

LineChange = Callable[[str, LineState, Reason, str], None]


def _log_line_change(line: str, state: LineState, reason: Reason, product: str) -> None:
    why = f" — {int(reason)} {REASON_TEXT[reason][0]}" if reason else ""
    log.info("%-8s %s%s [%s]", line, state.name.replace("_", " ").title(), why, product)


class SimServer:
    """The demo plant on an OPC UA endpoint and a Modbus TCP port, while the `async with` lasts.

    ``port=0`` / ``modbus_port=0`` bind free ports; `endpoint`, `modbus_port` and
    `modbus_endpoint` then name the real ones. ``modbus_port=None`` serves OPC UA
    only. ``step_s=None`` freezes the plant: it moves only when the caller steps
    `model` and calls `publish()` (tests that compare exact values).

    ``secure=True`` serves Basic256Sha256/SignAndEncrypt only, to user `operator`
    with the password in HMI_SIM_PASSWORD (hmi/sim/security.py); the server
    certificate is made on first use in `pki_dir` (default ``<data dir>/sim``)
    and is `certificate` once started. `start()` raises SimSecurityError without
    the password.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 4840,
        seed: int = 1,
        on_line_change: LineChange | None = _log_line_change,
        modbus_port: int | None = MODBUS_PORT,
        step_s: float | None = STEP_S,
        secure: bool = False,
        pki_dir: Path | None = None,
    ):
        self.host = host
        self.secure = secure
        self.pki_dir = pki_dir
        self.certificate: ServerCertificate | None = None  # the secured server's, once started
        self.port = port
        self.step_s = step_s
        self.model = BicycleFactory(seed)
        self.modbus: SimModbusServer | None = (
            None if modbus_port is None else SimModbusServer(self.model, host, modbus_port)
        )
        self._on_line_change = on_line_change
        self._server = Server()
        self._nodes: dict[str, ua.NodeId] = {}
        self._types: dict[str, ua.VariantType] = {}
        self._tags_by_node: dict[ua.NodeId, str] = {}
        self._published: dict[str, Any] = {}
        self._publishing = asyncio.Lock()  # the step loop and client writes both publish
        self._task: asyncio.Task[None] | None = None

    @property
    def endpoint(self) -> str:
        """The URL clients use, with the port actually bound."""
        return f"opc.tcp://{self.host}:{self.port}{OPCUA_PATH}"

    @property
    def modbus_port(self) -> int | None:
        """The Modbus TCP port actually bound (None: no Modbus server)."""
        return None if self.modbus is None else self.modbus.port

    @property
    def modbus_endpoint(self) -> str | None:
        """`modbus://host:port/unit` of the Modbus server, or None."""
        return None if self.modbus is None else self.modbus.endpoint

    def retarget(self, config: PlantConfig) -> PlantConfig:
        """`config` with its simulator connections (`sim`, `sim-modbus`) at these ports."""
        return point_at_simulator(config, self.endpoint, self.host, self.modbus_port)

    # -- lifecycle ----------------------------------------------------------------

    async def __aenter__(self) -> SimServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def start(self) -> None:
        """Build the address space, bind the ports and start stepping the plant.

        SimBindError (an OSError, e.g. EADDRINUSE) names the port that cannot be bound.
        """
        server = self._server
        security = (
            await asyncio.to_thread(SimSecurity.prepare, self.pki_dir, self.host)
            if self.secure
            else None
        )
        await server.init()
        server.set_endpoint(f"opc.tcp://{self.host}:{self.port}{OPCUA_PATH}")
        server.set_server_name("Pro4 bicycle factory simulator")
        if security is None:
            server.set_security_policy([ua.SecurityPolicyType.NoSecurity])
        else:
            await security.apply(server)
            self.certificate = security.certificate
        idx = await server.register_namespace(NAMESPACE_URI)
        if idx != 2:
            raise RuntimeError(f"namespace {NAMESPACE_URI} got index {idx}, the config expects 2")
        await self._build_address_space(idx)
        server.subscribe_server_callback(CallbackType.PostWrite, self._after_client_write)
        try:
            await server.start()
        except OSError as exc:
            raise SimBindError("OPC UA", self.host, self.port, exc) from exc
        if server.bserver is not None:
            self.port = server.bserver.port
        if self.modbus is not None:
            try:
                await self.modbus.start()
            except OSError as exc:
                await self._server.stop()  # no half-started simulator keeps a port
                raise SimBindError("Modbus TCP", self.host, self.modbus.port, exc) from exc
        if self.step_s is not None:
            self._task = asyncio.create_task(self._run(self.step_s), name="sim-step")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self.modbus is not None:
            await self.modbus.stop()
        await self._server.stop()

    # -- address space ----------------------------------------------------------------

    async def _build_address_space(self, idx: int) -> None:
        objects = self._server.nodes.objects
        root = await objects.add_folder(
            ua.NodeId(ROOT_FOLDER, idx), ua.QualifiedName(ROOT_FOLDER, idx)
        )
        folders: dict[str, Any] = {}
        values = self.model.values()
        for spec in self.model.specs:
            *path, leaf = spec.name.split(".")
            parent = root
            for depth in range(1, len(path) + 1):
                key = ".".join(path[:depth])
                if key not in folders:
                    folders[key] = await parent.add_folder(
                        ua.NodeId(f"{ROOT_FOLDER}.{key}", idx),
                        ua.QualifiedName(path[depth - 1], idx),
                    )
                parent = folders[key]
            vtype = VARIANT_TYPES[spec.type]
            var = await parent.add_variable(
                ua.NodeId(spec.name, idx), ua.QualifiedName(leaf, idx), values[spec.name], vtype
            )
            text = spec.en + (f" [{spec.units}]" if spec.units else "")
            await var.write_attribute(
                ua.AttributeIds.Description,
                ua.DataValue(
                    ua.Variant(ua.LocalizedText(text, "en"), ua.VariantType.LocalizedText)
                ),
            )
            if spec.writable:
                await var.set_writable()
            self._nodes[spec.name] = var.nodeid
            self._tags_by_node[var.nodeid] = spec.name
            self._types[spec.name] = vtype
        self._published = values

    # -- the step loop ------------------------------------------------------------------

    async def _run(self, step_s: float) -> None:
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(max(0.0, last + step_s - loop.time()))
            now = loop.time()
            # Real elapsed time, capped so a stalled loop does not jump the plant ahead.
            self.model.step(min(max(now - last, 1e-3), 1.0))
            last = now
            await self.publish()

    async def publish(self) -> None:
        """Refresh the Modbus registers and write every value that changed into the
        OPC UA address space."""
        async with self._publishing:
            values = self.model.values()
            if self.modbus is not None:
                await self.modbus.refresh(values)
            changed = {k: v for k, v in values.items() if self._published.get(k) != v}
            if not changed:
                return
            stamp = datetime.now(UTC)
            for name, value in changed.items():
                await self._write_node(name, value, stamp)
            self._published = values
        self._report_line_changes(changed, values)

    async def _write_node(self, name: str, value: Any, stamp: datetime) -> None:
        dv = ua.DataValue(
            ua.Variant(value, self._types[name]), SourceTimestamp=stamp, ServerTimestamp=stamp
        )
        await self._server.write_attribute_value(self._nodes[name], dv)

    def _report_line_changes(self, changed: dict[str, Any], values: dict[str, Any]) -> None:
        if self._on_line_change is None:
            return
        for line in self.model.lines:
            if f"{line}.State" in changed or f"{line}.ReasonCode" in changed:
                self._on_line_change(
                    line,
                    LineState(values[f"{line}.State"]),
                    Reason(values[f"{line}.ReasonCode"]),
                    values[f"{line}.Product"],
                )

    # -- operator writes ----------------------------------------------------------------

    async def _after_client_write(self, event: ServerItemCallback, _dispatcher: Any) -> None:
        """Hand each successful client write of a tag value to the model."""
        results: list[ua.StatusCode] = event.response_params
        for i, wv in enumerate(event.request_params.NodesToWrite):
            name = self._tags_by_node.get(wv.NodeId)
            if name is None or wv.AttributeId != ua.AttributeIds.Value or not results[i].is_good():
                continue
            value = wv.Value.Value.Value if wv.Value.Value is not None else None
            try:
                self.model.set(name, value)
            except ValueError as exc:
                log.warning("write refused: %s", exc)
                # The response list is the one returned to the client: say no, and undo.
                results[i] = ua.StatusCode(ua.StatusCodes.BadOutOfRange)
            else:
                log.info("operator write %s = %r", name, value)
            # Show the model's value: the one accepted, or the old one after a refusal.
            async with self._publishing:
                model_value = self.model.values()[name]
                await self._write_node(name, model_value, datetime.now(UTC))
                self._published[name] = model_value
        await self.publish()


class SimBindError(OSError):
    """A simulator port that cannot be bound, named by protocol (for `hmi sim`'s message)."""

    def __init__(self, protocol: str, host: str, port: int, cause: OSError):
        why = "the port is in use" if cause.errno == errno.EADDRINUSE else cause.strerror
        super().__init__(cause.errno, f"cannot serve {protocol} on {host}:{port}: {why}")
        self.protocol = protocol


# --------------------------------------------------------------------------- CLI entry


def run_sim(
    host: str,
    port: int,
    seed: int,
    duration: float | None,
    modbus_port: int = MODBUS_PORT,
    secure: bool = False,
    pki_dir: Path | None = None,
) -> int:
    """`hmi sim`: serve the demo plant until `duration` seconds pass, Ctrl-C or SIGTERM."""
    try:
        make = partial(SimServer, host, port, seed, modbus_port=modbus_port, secure=secure,
                       pki_dir=pki_dir)  # fmt: skip
        return asyncio.run(_serve(make, seed, duration))
    except KeyboardInterrupt:
        print("simulator stopped", flush=True)
        return 0


async def _serve(make: Callable[[], SimServer], seed: int, duration: float | None) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    if sys.platform != "win32":
        loop.add_signal_handler(signal.SIGTERM, stop.set)
    sim = make()  # on the running loop, like everything asyncua
    # asyncua and pymodbus log a traceback or warning when a bind fails; one line says it better.
    quiet = [logging.getLogger("asyncua.server.server"), logging.getLogger("pymodbus")]
    levels = [q.level for q in quiet]
    for q in quiet:
        q.setLevel(logging.CRITICAL)
    try:
        await sim.start()
    except OSError as exc:
        await _quiet_stop(sim)
        print(f"hmi sim: {exc.strerror}", file=sys.stderr)
        return 1
    except SimSecurityError as exc:
        await _quiet_stop(sim)
        print(f"hmi sim: {exc}", file=sys.stderr)
        return 2
    finally:
        for q, level in zip(quiet, levels, strict=True):
            q.setLevel(level)
        if levels[1] == logging.NOTSET:  # pymodbus's INFO chatter ("Server listening.") is noise
            quiet[1].setLevel(logging.WARNING)
    print(f"Bicycle factory simulator (seed {seed})", flush=True)
    print(f"  serving {sim.endpoint}  (OPC UA: the whole plant)", flush=True)
    if sim.certificate is not None:
        _print_security(sim.certificate)
    print(
        f"  serving {sim.modbus_endpoint}  (Modbus TCP unit 1: the Assembly line, "
        "docs/demo-register-map.md)",
        flush=True,
    )
    watcher = asyncio.create_task(_stop_when_parent_exits(stop))
    try:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), duration)
    finally:
        watcher.cancel()
        await sim.stop()
    print("simulator stopped", flush=True)
    return 0


async def _stop_when_parent_exits(stop: asyncio.Event, every_s: float = 1.0) -> None:
    """A simulator started for a station lives in its own session (so Ctrl+C reaches
    the station first, which then stops it in order); this ends it if the station
    dies without stopping it, so no simulator is left behind."""
    parent = os.environ.get(PARENT_ENV)
    if not parent:
        return
    while os.getppid() == int(parent):
        await asyncio.sleep(every_s)
    stop.set()


def _print_security(cert: ServerCertificate) -> None:
    """What an integrator needs to trust this server and log in (never the password)."""
    made = "made now" if cert.created else "reused"
    print(
        f"    secured: Basic256Sha256 SignAndEncrypt only; user '{SIM_USER}', "
        f"password from {PASSWORD_ENV}",
        f"    server certificate ({made}): {cert.cert_path}",
        f"    SHA-1 thumbprint: {cert.thumbprint}",
        "    (trust it: copy the certificate into the station's trust folder, "
        "docs/opcua-security.md)",
        sep="\n",
        flush=True,
    )


async def _quiet_stop(sim: SimServer) -> None:
    with contextlib.suppress(Exception):
        await sim.stop()
