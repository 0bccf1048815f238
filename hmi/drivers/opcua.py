"""OPC UA driver: one asyncua session and ONE subscription per connection.

Life cycle, all in one background task: connect → subscribe every tag (in
batches) → watch → on loss mark every tag DISCONNECTED → back off → again.
asyncua's own auto-reconnect is off on purpose: we need a loss to show on the
tags within 2 × timeout and a backoff we control, and asyncua may not notice a
dead TCP peer for a long time. Our watchdog therefore probes the server's
CurrentTime every timeout/2 and also listens to transport state changes,
subscription status changes and keep-alive silence.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from asyncua import Client, ua
from asyncua.client.ua_client import UaClientState, UASocketState

from hmi.config import TagConfig
from hmi.config_connections import OpcUaConnection
from hmi.drivers.base import (
    ConnectionState,
    Driver,
    DriverSink,
    WriteResult,
    backoff_delays,
    to_engineering,
    to_raw,
)
from hmi.drivers.opcua_codec import ItemDecoder, coerce, status_name
from hmi.drivers.opcua_security import ClientSecurity
from hmi.drivers.opcua_subscription import (
    FILTER_REFUSALS,
    BatchSubscription,
    chunks,
    deadband_filter,
    item_request,
    resolve_address,
    subscription_params,
)
from hmi.tagvalue import Quality, TagValue

log = logging.getLogger(__name__)

CHUNK = 1000  # monitored items per CreateMonitoredItems request
_PROBE = ua.NodeId(ua.ObjectIds.Server_ServerStatus_CurrentTime)
_READ_ONLY = frozenset({ua.StatusCodes.BadUserAccessDenied, ua.StatusCodes.BadNotWritable})


class OpcUaDriver(Driver):
    """Reads tags through one subscription; writes values without timestamps."""

    conn: OpcUaConnection

    def __init__(self, conn: OpcUaConnection, tags: list[TagConfig], sink: DriverSink):
        super().__init__(conn, tags, sink)
        self._timeout = conn.timeout_s
        self.security = ClientSecurity(conn)  # certificates, trust list, user identity
        # Client handle = position in the tag list, stable across reconnects.
        self._handles: dict[int, TagConfig] = {i + 1: t for i, t in enumerate(tags)}
        self._decoder = ItemDecoder(self._handles)
        self._task: asyncio.Task[None] | None = None
        self._client: Client | None = None
        self._node_ids: dict[str, ua.NodeId] = {}
        self._unknown: dict[str, str] = {}  # tag → why the server can't serve it
        self._vtypes: dict[str, ua.VariantType | None] = {}
        self._lost = asyncio.Event()
        self._lost_reason = ""
        self._silence = 0.0  # keep-alive period the server granted, seconds
        self._last_mark = ""

    # -- contract -------------------------------------------------------------------------

    async def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name=f"opcua:{self.name}")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            # The task's cleanup disconnects within one timeout; don't wait forever regardless.
            await asyncio.wait({task}, timeout=self._timeout + 2.0)
        self._client = None
        self.mark_all(Quality.DISCONNECTED, "stopped")
        self.set_state(ConnectionState.STOPPED)

    async def write(self, tag: str, value: Any) -> WriteResult:
        cfg = self.tags.get(tag)
        if cfg is None:
            return WriteResult(tag, False, error=f"no tag '{tag}' on connection '{self.name}'")
        client = self._client
        if client is None:
            return WriteResult(tag, False, error=f"connection '{self.name}' is not connected")
        node_id = self._node_ids.get(tag)
        if node_id is None:
            why = self._unknown.get(tag, "not subscribed")
            return WriteResult(tag, False, error=f"'{cfg.address}' is not usable: {why}")
        try:
            raw = to_raw(cfg, value)
            raw = await asyncio.wait_for(self._write_node(client, tag, node_id, raw), self._timeout)
        except ValueError as exc:  # the operator's value: not a connection problem
            return WriteResult(tag, False, error=str(exc))
        except ua.UaStatusCodeError as exc:
            return self._write_failed(tag, _write_refusal(tag, exc.code))
        except Exception as exc:
            return self._write_failed(tag, f"write to '{tag}' failed: {self._describe(exc)}")
        return WriteResult(tag, True, value=to_engineering(cfg, raw))

    async def _write_node(self, client: Client, tag: str, node_id: ua.NodeId, raw: Any) -> Any:
        """Coerce to the node's type and write; returns the value as written."""
        vtype = await self._variant_type(client, tag, node_id)
        raw = coerce(raw, vtype)
        dv = ua.DataValue(ua.Variant(raw, vtype))  # no timestamps: see ENVIRONMENT.md
        await client.get_node(node_id).write_attribute(ua.AttributeIds.Value, dv)
        return raw

    def _write_failed(self, tag: str, error: str) -> WriteResult:
        """A write the server refused or never answered: counted on the connection's figures."""
        self.stats.errors += 1
        self.stats.last_error = error
        return WriteResult(tag, False, error=error)

    # -- the connection loop --------------------------------------------------------------

    async def _run(self) -> None:
        delays = backoff_delays(self.conn.reconnect_min_s, self.conn.reconnect_max_s)
        while True:
            self.set_state(ConnectionState.CONNECTING)
            client = Client(
                self.conn.endpoint,
                timeout=self._timeout,
                # asyncua's own probe would only duplicate ours; it still reacts to socket loss.
                watchdog_intervall=max(10 * self._timeout, 30.0),
            )
            client.session_timeout = max(60.0, 10 * self._timeout) * 1000
            try:
                sub = await self._open(client)
                self._client = client
                self._last_mark = ""
                self.set_state(ConnectionState.CONNECTED)
                delays = backoff_delays(self.conn.reconnect_min_s, self.conn.reconnect_max_s)
                detail = await self._watch(client, sub)
            except asyncio.CancelledError:
                await self._close(client)
                raise
            except Exception as exc:
                detail = self._describe(exc)
            self._client = None
            log.info("opcua %s: %s", self.name, detail)
            # Tell the operator first; closing a hung session can take another timeout.
            if detail != self._last_mark:  # don't re-announce the same outage every retry
                self._last_mark = detail
                self.mark_all(Quality.DISCONNECTED, detail)
            self.set_state(ConnectionState.DISCONNECTED, detail)
            await self._close(client)
            await asyncio.sleep(next(delays))

    async def _open(self, client: Client) -> BatchSubscription:
        """Session, namespace lookup, subscription and monitored items; raises on failure."""
        self._lost = asyncio.Event()
        self._lost_reason = ""
        self._vtypes.clear()
        await self.security.apply(client, self._timeout)  # SecurityFailure says what to fix
        await asyncio.wait_for(client.connect(), self._timeout)
        namespaces = await client.get_namespace_array()
        self._resolve(namespaces)
        params = subscription_params(self.conn.publishing_interval_ms, self._timeout / 2)
        sub = BatchSubscription(client.uaclient.session, params, self._on_data, self._on_status)
        revised = await sub.init()
        self._silence = (
            revised.RevisedPublishingInterval / 1000.0 * revised.RevisedMaxKeepAliveCount
        )
        await self._monitor(sub)
        if self._unknown:
            now = time.time()
            self.sink.updates(
                [TagValue(n, None, Quality.BAD, now, now, r) for n, r in self._unknown.items()]
            )
        return sub

    def _resolve(self, namespaces: list[str]) -> None:
        self._node_ids.clear()
        self._unknown.clear()
        for name, cfg in self.tags.items():
            try:
                self._node_ids[name] = resolve_address(cfg.address, namespaces)
            except ValueError as exc:
                self._unknown[name] = str(exc)

    async def _monitor(self, sub: BatchSubscription) -> None:
        """Create every monitored item, CHUNK per request; a refused tag goes BAD alone."""
        wanted = [
            (handle, cfg, self._node_ids[cfg.name])
            for handle, cfg in self._handles.items()
            if cfg.name in self._node_ids
        ]
        retry: list[tuple[int, TagConfig, ua.NodeId]] = []
        for part in chunks(wanted, CHUNK):
            reqs = [item_request(nid, h, deadband_filter(cfg)) for h, cfg, nid in part]
            results = await sub.create_monitored_items(reqs)
            for (handle, cfg, nid), res in zip(part, results, strict=True):
                if not isinstance(res, ua.StatusCode):
                    continue
                if res.value in FILTER_REFUSALS:
                    retry.append((handle, cfg, nid))
                else:
                    self._refused(cfg.name, res.value)
        for part in chunks(retry, CHUNK):  # server won't filter: client-side deadband only
            results = await sub.create_monitored_items(
                [item_request(n, h, None) for h, _, n in part]
            )
            for (_, cfg, _), res in zip(part, results, strict=True):
                if isinstance(res, ua.StatusCode):
                    self._refused(cfg.name, res.value)

    def _refused(self, name: str, code: int) -> None:
        self._node_ids.pop(name, None)
        self._unknown[name] = status_name(code)

    async def _watch(self, client: Client, sub: BatchSubscription) -> str:
        """Return (with the reason) when the session is lost; probe every timeout/2."""
        transport = asyncio.create_task(self._watch_transport(client))
        interval = self._timeout / 2
        try:
            while True:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._lost.wait(), interval)
                if self._lost.is_set():
                    return self._lost_reason
                try:
                    await asyncio.wait_for(client.get_node(_PROBE).read_value(), self._timeout)
                except TimeoutError:
                    return f"no answer within {self._timeout:g} s"
                except Exception as exc:
                    return self._lost_reason or self._describe(exc)
                quiet = time.monotonic() - (sub.last_publish_at or time.monotonic())
                if quiet > self._silence + self._timeout:
                    return f"no publish response for {quiet:.1f} s"
        finally:
            transport.cancel()

    async def _watch_transport(self, client: Client) -> None:
        async with client.subscribe_state() as states:
            state = client.uaclient.state
            while state is UaClientState.CONNECTED:
                state = await states.next_change()
        self._lose("connection closed by the server")

    def _lose(self, reason: str) -> None:
        if not self._lost.is_set():
            self._lost_reason = reason
            self._lost.set()

    async def _close(self, client: Client) -> None:
        """Disconnect within one timeout, whatever state the server is in."""
        protocol = client.uaclient.protocol
        try:
            if protocol is not None and protocol.state is not UASocketState.CLOSED:
                await asyncio.wait_for(client.disconnect(), self._timeout)
            # else: never connected or already gone; asyncua would only warn about it
        except Exception:  # tearing down a dead session: nothing worth reporting
            pass
        finally:
            with contextlib.suppress(Exception):
                client.disconnect_socket()

    # -- hot path -------------------------------------------------------------------------

    def _on_data(self, monitored: list[ua.MonitoredItemNotification]) -> None:
        batch = self._decoder.decode(monitored, time.time())
        if batch:
            self.stats.updates += len(batch)
            self.sink.updates(batch)

    def _on_status(self, status: ua.StatusCode) -> None:
        if not status.is_good():
            self._lose(f"subscription ended ({status_name(status.value)})")

    # -- helpers --------------------------------------------------------------------------

    async def _variant_type(
        self, client: Client, tag: str, node_id: ua.NodeId
    ) -> ua.VariantType | None:
        """The node's built-in type, read once per session (DataType, else current value)."""
        if tag in self._vtypes:
            return self._vtypes[tag]
        node = client.get_node(node_id)
        dtype = (await node.read_attribute(ua.AttributeIds.DataType)).Value.Value
        vtype: ua.VariantType | None = None
        if (
            isinstance(dtype, ua.NodeId)
            and dtype.NamespaceIndex == 0
            and isinstance(dtype.Identifier, int)
            and 1 <= dtype.Identifier <= 12
        ):
            vtype = ua.VariantType(dtype.Identifier)
        else:  # enumerations, subtypes, abstract types: trust what the node holds now
            current = (await node.read_data_value()).Value
            if current is not None and current.VariantType is not ua.VariantType.Null:
                vtype = current.VariantType
        self._vtypes[tag] = vtype
        return vtype

    def _describe(self, exc: BaseException) -> str:
        """An exception as the short phrase an operator reads next to the connection."""
        security = self.security.describe(exc)
        if security is not None:
            return security
        if isinstance(exc, ConnectionRefusedError):
            return "connection refused"
        if isinstance(exc, TimeoutError):
            return f"no answer within {self._timeout:g} s"
        if isinstance(exc, ua.UaStatusCodeError):
            return status_name(exc.code)
        if isinstance(exc, ConnectionError):
            return str(exc) or "connection lost"
        if isinstance(exc, OSError):
            return exc.strerror or str(exc)
        return f"{type(exc).__name__}: {exc}"


def _write_refusal(tag: str, code: int) -> str:
    name = status_name(code)
    if code in _READ_ONLY:
        return f"'{tag}' is read-only on the server ({name})"
    if code == ua.StatusCodes.BadTypeMismatch:
        return f"the server refused the value's type for '{tag}' ({name})"
    if code == ua.StatusCodes.BadOutOfRange:
        return f"the value is outside what the server accepts for '{tag}' ({name})"
    return f"the server refused the write to '{tag}' ({name})"
