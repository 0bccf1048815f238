"""Runs a Runtime's asyncio loop in its own thread, for the GUI to sit on top of."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import Coroutine
from typing import Any, Protocol, TypeVar

from hmi.runtime.engine import Runtime

T = TypeVar("T")


class Lifecycle(Protocol):
    """What the thread starts and stops in its loop: a Runtime, or PlantServices around one."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class RuntimeThread:
    """Owns the thread and loop of one Runtime. start() and stop() are called from outside.

    `lifecycle` (default: the runtime itself) is what start() and stop() run in the
    loop, so the services around the runtime (alarm timers, historian) live there too.
    """

    def __init__(self, runtime: Runtime, lifecycle: Lifecycle | None = None):
        self.runtime = runtime
        self._lifecycle: Lifecycle = lifecycle or runtime
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="hmi-runtime", daemon=True)
        self._stopped = threading.Event()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_forever()
        finally:
            self.loop.close()
            self._stopped.set()

    def start(self, timeout: float = 10.0) -> None:
        """Start the loop and the runtime's drivers (which then connect in the background)."""
        self._thread.start()
        self.submit(self._lifecycle.start()).result(timeout)

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Run a coroutine in the runtime loop; thread-safe; returns a concurrent Future."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def call(self, fn, *args) -> None:
        """Call a plain function in the runtime thread (thread-safe, fire and forget)."""
        self.loop.call_soon_threadsafe(fn, *args)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the drivers, then the loop; wait for the thread to end."""
        if not self._thread.is_alive():
            return
        with contextlib.suppress(concurrent.futures.TimeoutError, RuntimeError):
            self.submit(self._lifecycle.stop()).result(timeout)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout)
