"""Protocol-test fixtures: a small real asyncua server on 127.0.0.1.

The server runs in its own thread with its own event loop, like a device on the
network: the code under test talks to it only over TCP, and a test can stop it,
freeze it (a hung peer that keeps its socket open) or restart it on the same
port while the client keeps running. Not the demo simulator: a handful of
variables of several types under one folder.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Coroutine, Iterator
from datetime import datetime
from typing import Any, TypeVar

import pytest
from asyncua import Server, ua

T = TypeVar("T")

NS_URI = "urn:pro4:test-server"
VT = ua.VariantType

#: browse name → (initial value, type, writable by clients)
VARIABLES: dict[str, tuple[Any, ua.VariantType, bool]] = {
    "Test.Double": (1.5, VT.Double, True),
    "Test.Int16": (0, VT.Int16, True),
    "Test.Bool": (False, VT.Boolean, True),
    "Test.String": ("hello", VT.String, True),
    "Test.Counts": (500, VT.UInt32, False),
    "Test.ReadOnly": (7.0, VT.Double, False),
}


class OpcTestServer:
    """An asyncua server in a background thread; blocking control methods, async data access."""

    def __init__(self, port: int = 0):
        self.port = port
        self.ns_index = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: Server | None = None
        self._thaw: threading.Event | None = None

    # -- control (blocking, call from the test thread or via asyncio.to_thread) -----------

    def start(self, timeout: float = 30.0) -> OpcTestServer:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._call(self._start()).result(timeout)
        return self

    def stop(self, timeout: float = 15.0) -> None:
        """Stop serving (closes every client socket), end the thread."""
        if self._loop is None or self._thread is None:
            return
        self.thaw()
        try:
            self._call(self._shutdown()).result(timeout)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout)
            self._loop.close()
            self._loop = self._thread = None

    def freeze(self, max_s: float = 10.0) -> None:
        """Block the server's loop: sockets stay open but nothing answers (a hung device)."""
        self._thaw = threading.Event()
        self._loop.call_soon_threadsafe(self._thaw.wait, max_s)  # type: ignore[union-attr]

    def thaw(self) -> None:
        if self._thaw is not None:
            self._thaw.set()
            self._thaw = None

    # -- addresses ------------------------------------------------------------------------

    @property
    def endpoint(self) -> str:
        return f"opc.tcp://127.0.0.1:{self.port}/test"

    def ns(self, name: str) -> str:
        """`ns=N;s=name`: the address by namespace index."""
        return f"ns={self.ns_index};s={name}"

    def nsu(self, name: str) -> str:
        """`nsu=URI;s=name`: the address by namespace URI."""
        return f"nsu={NS_URI};s={name}"

    # -- data (await from the test's own loop) --------------------------------------------

    async def write(
        self,
        name: str,
        value: Any,
        *,
        status: int = ua.StatusCodes.Good,
        source_ts: datetime | None = None,
    ) -> None:
        """Change a variable server-side, as the device itself would."""
        vtype = VARIABLES[name][1]
        dv = ua.DataValue(
            ua.Variant(value, vtype),
            StatusCode=ua.StatusCode(status),
            SourceTimestamp=source_ts,
            ServerTimestamp=source_ts,
        )
        await self._await(self._node(name).write_value(dv))

    async def read(self, name: str) -> ua.Variant:
        """The variable's current Variant (value and type) as the server holds it."""
        dv = await self._await(self._node(name).read_data_value())
        return dv.Value

    # -- internals ------------------------------------------------------------------------

    def _node(self, name: str):
        return self._server.get_node(ua.NodeId(name, self.ns_index))  # type: ignore[union-attr]

    def _call(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        return asyncio.run_coroutine_threadsafe(coro, self._loop)  # type: ignore[arg-type]

    async def _await(self, coro: Coroutine[Any, Any, T]) -> T:
        return await asyncio.wait_for(asyncio.wrap_future(self._call(coro)), 10.0)

    async def _shutdown(self) -> None:
        """Stop the server, then end whatever tasks it left behind (session timers etc.)."""
        await self._server.stop()  # type: ignore[union-attr]
        rest = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in rest:
            task.cancel()
        await asyncio.gather(*rest, return_exceptions=True)

    async def _start(self) -> None:
        server = Server()
        await server.init()
        server.set_endpoint(self.endpoint)
        server.set_security_policy([ua.SecurityPolicyType.NoSecurity])
        self.ns_index = await server.register_namespace(NS_URI)
        folder = await server.nodes.objects.add_folder(ua.NodeId("Test", self.ns_index), "Test")
        for name, (value, vtype, writable) in VARIABLES.items():
            var = await folder.add_variable(
                ua.NodeId(name, self.ns_index), name, ua.Variant(value, vtype)
            )
            if writable:
                await var.set_writable()
        await server.start()
        self.port = server.bserver.port  # type: ignore[union-attr]
        self._server = server


@pytest.fixture(scope="module")
def opc_server() -> Iterator[OpcTestServer]:
    """One server shared by a module's tests (they set the values they rely on)."""
    server = OpcTestServer().start()
    yield server
    server.stop()


@pytest.fixture
def opc_server_factory() -> Iterator[type[OpcTestServer]]:
    """Make servers a test may stop, freeze or restart; all are stopped afterwards."""
    made: list[OpcTestServer] = []

    class _Tracked(OpcTestServer):
        def start(self, timeout: float = 30.0) -> OpcTestServer:
            made.append(self)
            return super().start(timeout)

    yield _Tracked
    for server in made:
        server.stop()
