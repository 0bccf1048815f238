"""Run the demo simulator in its own process, for `hmi demo`, screenshots and GUI tests.

A separate process keeps the simulator's 10 Hz loop and asyncua server off the
GUI's interpreter (no shared GIL), and is exactly what an integrator runs by hand
with `hmi sim`. Its output goes to a temporary file rather than a pipe: nobody
reads a pipe during a long demo, and a full pipe would freeze the simulator.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from types import TracebackType
from typing import IO

from hmi.sim import OPCUA_PATH

READY_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 5.0


def free_port(host: str = "127.0.0.1") -> int:
    """A port free on `host` right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class SimProcess:
    """A running `hmi sim` subprocess; stop it with `stop()` or a `with` block."""

    def __init__(self, proc: subprocess.Popen[bytes], port: int, output: IO[bytes]):
        self.proc = proc
        self.port = port
        self._output = output
        self._final_output: str | None = None

    @property
    def endpoint(self) -> str:
        return f"opc.tcp://127.0.0.1:{self.port}{OPCUA_PATH}"

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


def start_sim_process(port: int | None = None, seed: int = 1) -> SimProcess:
    """Start `python -m hmi sim` on 127.0.0.1 and return once its OPC UA port accepts.

    `port=None` picks a free ephemeral port. RuntimeError, with the simulator's
    own output, if it exits or is not listening within READY_TIMEOUT_S.
    """
    if port is None:
        port = free_port()
    elif _accepts(port):
        raise RuntimeError(f"port {port} on 127.0.0.1 is already served by another program")
    output = tempfile.TemporaryFile()  # noqa: SIM115 — lives as long as the process
    cmd = [sys.executable, "-m", "hmi", "sim", "--opcua-port", str(port), "--seed", str(seed)]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=output, stderr=output)
    sim = SimProcess(proc, port, output)
    deadline = time.monotonic() + READY_TIMEOUT_S
    while not _accepts(port):
        try:
            proc.wait(0.1)  # the pause between probes, ending early if the process dies
        except subprocess.TimeoutExpired:
            pass
        else:
            text = sim.output().strip()
            sim.stop()
            raise RuntimeError(
                f"the simulator exited with code {proc.returncode} before serving "
                f"port {port}:\n{text}"
            )
        if time.monotonic() > deadline:
            text = sim.output().strip()
            sim.stop()
            raise RuntimeError(
                f"the simulator was not listening on port {port} after "
                f"{READY_TIMEOUT_S:.0f} s:\n{text}"
            )
    return sim


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False
