"""The one command API every operator action goes through.

Widgets never talk to drivers: a write, an acknowledge or a reason code comes
here, is checked, executed and reported. Permission checks and the audit trail
hook in here (see the users/roles issue), so there is exactly one place to get
them right.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from hmi.drivers.base import ConnectionState, WriteResult

if TYPE_CHECKING:
    from hmi.runtime.engine import Runtime

log = logging.getLogger(__name__)


class CommandAPI:
    """Operator commands against one runtime. Coroutines: run them in the runtime loop."""

    def __init__(self, runtime: Runtime):
        self._rt = runtime

    async def write(self, tag: str, value: Any, user: str = "station") -> WriteResult:
        """Write an engineering value to a tag; the result says whether the device took it."""
        cfg = self._rt.config.tag_index.get(tag)
        if cfg is None:
            return WriteResult(tag, False, error=f"no tag named '{tag}'")
        if not cfg.writable:
            return WriteResult(tag, False, error=f"tag '{tag}' is read-only")
        driver = self._rt.drivers[cfg.connection]
        if driver.stats.state is not ConnectionState.CONNECTED:
            return WriteResult(tag, False, error=f"connection '{cfg.connection}' is not connected")
        result = await driver.write(tag, value)
        log.info("write %s = %r by %s: %s", tag, value, user, "ok" if result.ok else result.error)
        return result
