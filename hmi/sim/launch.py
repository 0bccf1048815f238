"""Run the demo simulator in its own process, for `hmi demo`, screenshots and GUI tests.

A separate process keeps the simulator's 10 Hz loop and asyncua server off the
GUI's interpreter (no shared GIL), and is exactly what an integrator runs by hand
with `hmi sim`. Its output goes to a temporary file rather than a pipe: nobody
reads a pipe during a long demo, and a full pipe would freeze the simulator.

`SimProcess.retarget(config)` points the demo config's two simulator
connections (`sim`, OPC UA; `sim-modbus`, Modbus TCP) at the ports this process
really serves, so callers need not know which connection speaks what.
`start_sim_process(secure=True)` runs `hmi sim --secure` (it inherits
HMI_SIM_PASSWORD); its `certificate` is the server certificate to trust.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import IO

from hmi.config import PlantConfig
from hmi.sim import MODBUS_CONNECTION, OPCUA_CONNECTION, OPCUA_PATH, PARENT_ENV

READY_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 5.0


def free_port(host: str = "127.0.0.1") -> int:
    """A port free on `host` right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class SimProcess:
    """A running `hmi sim` subprocess; stop it with `stop()` or a `with` block."""

    def __init__(
        self,
        proc: subprocess.Popen[bytes],
        port: int,
        modbus_port: int,
        output: IO[bytes],
        certificate: Path | None = None,
    ):
        self.proc = proc
        self.port = port
        self.modbus_port = modbus_port
        #: the secured simulator's server certificate (DER); None when unsecured
        self.certificate = certificate
        self._output = output
        self._final_output: str | None = None

    @property
    def endpoint(self) -> str:
        """The OPC UA endpoint URL."""
        return f"opc.tcp://127.0.0.1:{self.port}{OPCUA_PATH}"

    @property
    def modbus_endpoint(self) -> str:
        """`modbus://host:port/unit` of the Modbus TCP server (unit 1)."""
        return f"modbus://127.0.0.1:{self.modbus_port}/1"

    def retarget(self, config: PlantConfig) -> PlantConfig:
        """`config` with its simulator connections pointed at this process's ports.

        Connections are found by name (`sim`, `sim-modbus`); a config without
        them comes back unchanged.
        """
        return point_at_simulator(config, self.endpoint, "127.0.0.1", self.modbus_port)

    def output(self) -> str:
        """Everything the simulator printed so far (endpoint, line state changes, errors)."""
        if self._final_output is not None:
            return self._final_output
        self._output.flush()
        self._output.seek(0)
        return self._output.read().decode("utf-8", "replace")

    def stop(self) -> int | None:
        """Terminate (SIGTERM: the simulator shuts down cleanly), kill if it lingers.

        Returns the exit code, or None if the process could not be reaped.
        """
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                try:
                    self.proc.wait(STOP_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    return None
        if self._final_output is None:
            self._final_output = self.output()
            self._output.close()
        return self.proc.returncode

    def __enter__(self) -> SimProcess:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def point_at_simulator(
    config: PlantConfig, endpoint: str, modbus_host: str, modbus_port: int | None
) -> PlantConfig:
    """`config` with connection `sim` at OPC UA `endpoint` and `sim-modbus` at host:port.

    Either connection may be missing from `config`; `modbus_port=None` leaves
    `sim-modbus` as it is.
    """
    names = {c.name for c in config.connections}
    if OPCUA_CONNECTION in names:
        config = config.with_connection(OPCUA_CONNECTION, endpoint=endpoint)
    if MODBUS_CONNECTION in names and modbus_port is not None:
        config = config.with_connection(MODBUS_CONNECTION, host=modbus_host, port=modbus_port)
    return config


def start_sim_process(
    port: int | None = None,
    modbus_port: int | None = None,
    seed: int = 1,
    secure: bool = False,
    pki_dir: Path | None = None,
) -> SimProcess:
    """Start `python -m hmi sim` on 127.0.0.1; return once its OPC UA and Modbus ports accept.

    `None` picks a free ephemeral port. `secure` serves OPC UA secured, with the
    server certificate in `pki_dir` (default `<data dir>/sim`). RuntimeError, with
    the simulator's own output, if it exits or is not listening on both within
    READY_TIMEOUT_S (a secured one without HMI_SIM_PASSWORD exits at once).
    """
    port = _pick(port, avoid=())
    modbus_port = _pick(modbus_port, avoid=(port,))
    output = tempfile.TemporaryFile()  # noqa: SIM115 — lives as long as the process
    cmd = [sys.executable, "-m", "hmi", "sim", "--opcua-port", str(port),
           "--modbus-port", str(modbus_port), "--seed", str(seed)]  # fmt: skip
    certificate = None
    if secure:
        from hmi.sim.security import sim_certificate_path  # asyncua: only when secured

        cmd.append("--secure")
        if pki_dir is not None:
            cmd += ["--pki-dir", str(pki_dir)]
        certificate = sim_certificate_path(pki_dir)
    # Its own session: a terminal's Ctrl+C or a service manager's SIGTERM reaches the
    # station, which stops the simulator after itself; the simulator exits on its own
    # if the station dies first (HMI_SIM_PARENT).
    env = {**os.environ, PARENT_ENV: str(os.getpid())}
    proc = subprocess.Popen(
        cmd, stdin=subprocess.DEVNULL, stdout=output, stderr=output, env=env,
        start_new_session=True,
    )  # fmt: skip
    sim = SimProcess(proc, port, modbus_port, output, certificate)
    deadline = time.monotonic() + READY_TIMEOUT_S
    while not (_accepts(port) and _accepts(modbus_port)):
        try:
            proc.wait(0.1)  # the pause between probes, ending early if the process dies
        except subprocess.TimeoutExpired:
            pass
        else:
            text = sim.output().strip()
            sim.stop()
            raise RuntimeError(
                f"the simulator exited with code {proc.returncode} before serving "
                f"ports {port} and {modbus_port}:\n{text}"
            )
        if time.monotonic() > deadline:
            text = sim.output().strip()
            sim.stop()
            raise RuntimeError(
                f"the simulator was not listening on ports {port} and {modbus_port} "
                f"after {READY_TIMEOUT_S:.0f} s:\n{text}"
            )
    return sim


def _pick(port: int | None, avoid: tuple[int, ...]) -> int:
    """`port` if it is free, or a free port not in `avoid` when it is None."""
    if port is None:
        port = free_port()
        while port in avoid:
            port = free_port()
    elif _accepts(port):
        raise RuntimeError(f"port {port} on 127.0.0.1 is already served by another program")
    return port


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False
