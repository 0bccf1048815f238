"""Modbus TCP driver: block polling, per-address fault isolation, confirmed writes.

One driver per device (connection). Tags are grouped by poll period; each
group's tags are planned into block reads (`modbus_blocks`), read in order on
one TCP connection (or on `max_in_flight` connections in parallel: pymodbus
serialises requests per connection), decoded (`modbus_codec`), scaled, filtered
by deadband and delivered as one batch per poll cycle.

Faults stay as narrow as the evidence allows:
- a Modbus exception 2/3 (illegal address/value) on a block splits the block
  until the offending tag is found; that tag turns BAD, is polled alone only
  every `isolated_retry_s`, and the rest of the block keeps being read;
- a timeout or a malformed/short response turns only that block's tags BAD;
- a lost connection turns every tag DISCONNECTED and reconnects with capped
  exponential backoff (base.backoff_delays).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import re
import struct
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pymodbus.client import AsyncModbusTcpClient
from pymodbus.exceptions import ConnectionException, ModbusException, ModbusIOException
from pymodbus.pdu import ModbusPDU

from hmi.config import TagConfig
from hmi.config_connections import ModbusConnection
from hmi.drivers.base import (
    ConnectionState,
    ConnectionStats,
    Deadband,
    Driver,
    DriverSink,
    WriteResult,
    backoff_delays,
    to_engineering,
    to_raw,
)
from hmi.drivers.modbus_address import ModbusAddress, Table, parse_address, type_problem
from hmi.drivers.modbus_blocks import Block, Limits, ReadItem, plan_blocks, split_block
from hmi.drivers.modbus_codec import decode, decoder, encode, get_bit, register_count, set_bit
from hmi.tagvalue import Quality, TagValue

log = logging.getLogger(__name__)

EXCEPTION_NAMES = {
    1: "illegal function",
    2: "illegal data address",
    3: "illegal data value",
    4: "server device failure",
    5: "acknowledge",
    6: "server device busy",
    8: "memory parity error",
    10: "gateway path unavailable",
    11: "gateway target device failed to respond",
}
_SPLITTABLE = (2, 3)  # exception codes that point at an address, not at the whole device

_INT_RE = re.compile(r"^[+-]?\d+$")
_READ = {
    Table.COIL: "read_coils",
    Table.DI: "read_discrete_inputs",
    Table.IR: "read_input_registers",
    Table.HR: "read_holding_registers",
}


@dataclass(slots=True)
class ModbusStats(ConnectionStats):
    """ConnectionStats plus the figures an integrator asks of a polled device."""

    requests: int = 0
    request_rate: float = 0.0  # requests/s over the last second or so
    mean_response_ms: float = 0.0
    max_response_ms: float = 0.0
    errors_by_kind: dict[str, int] = field(default_factory=dict)  # timeout, exception, ...
    cycles: int = 0
    blocks: int = 0  # block reads planned per cycle, all poll groups together
    last_cycle_requests: int = 0
    overruns: int = 0  # poll cycles that took longer than their period
    bad_addresses: int = 0  # tags isolated because the device rejects their address


class _LinkLost(Exception):
    """The TCP connection is gone: every tag goes DISCONNECTED, reconnect."""


class _RequestFailed(Exception):
    """One request failed without losing the link; `kind` feeds errors_by_kind."""

    def __init__(self, kind: str, reason: str, code: int = 0):
        super().__init__(reason)
        self.kind, self.reason, self.code = kind, reason, code


@dataclass(slots=True)
class _Point:
    """A tag as the driver reads it, with its decoder compiled once."""

    tag: TagConfig
    addr: ModbusAddress
    order: str
    item: ReadItem
    decode: Callable[[Sequence[int]], Any]

    @property
    def name(self) -> str:
        return self.tag.name


@dataclass(slots=True)
class _Group:
    """Tags polled at one period, with their current block plan."""

    period_s: float
    points: list[_Point]
    blocks: list[Block] = field(default_factory=list)
    dirty: bool = True


Outcome = tuple[Any, Quality, str, float]  # raw value, quality, reason, response time


class ModbusDriver(Driver):
    """One Modbus TCP device (unit id), polled in blocks."""

    conn: ModbusConnection
    #: how often a tag whose address the device rejected is tried again (alone)
    isolated_retry_s: float = 10.0

    def __init__(self, conn: ModbusConnection, tags: list[TagConfig], sink: DriverSink):
        super().__init__(conn, tags, sink)
        self.stats: ModbusStats = ModbusStats(
            endpoint=f"modbus://{conn.host}:{conn.port}/{conn.unit_id}"
        )
        self._limits = Limits(conn.max_gap, conn.max_block_registers, conn.max_block_bits)
        self._points: dict[str, _Point] = {}
        self._config_errors: dict[str, str] = {}
        for tag in tags:
            problem = self._add_point(tag)
            if problem:
                self._config_errors[tag.name] = problem
        periods: dict[float, list[_Point]] = {}
        for p in self._points.values():
            period = (p.addr.poll_ms or conn.poll_ms) / 1000.0
            periods.setdefault(period, []).append(p)
        self._groups = [_Group(period, pts) for period, pts in sorted(periods.items())]
        self._breaks: set[tuple[Table, int]] = set()
        self._isolated: dict[str, float] = {}  # tag -> monotonic time of its next lone retry
        self._last: dict[str, TagValue] = {}
        self._last_raw: dict[str, Any] = {}
        self._deadband = Deadband()
        self._clients: list[AsyncModbusTcpClient] = []
        self._idle: asyncio.Queue[AsyncModbusTcpClient] | None = None
        self._lost = asyncio.Event()
        self._served_ok = False
        self._timeouts_in_row = 0
        self._response_total_s = 0.0
        self._window_start = 0.0
        self._window_requests = 0
        self._task: asyncio.Task | None = None

    def _add_point(self, tag: TagConfig) -> str | None:
        try:
            addr = parse_address(tag.address)
        except ValueError as exc:
            return str(exc)
        problem = type_problem(addr, tag.type.value)
        if problem:
            return problem
        if addr.table.is_bits:
            count = 1
        else:
            count = register_count(tag.type.value, addr.string_bytes) if addr.bit is None else 1
        order = addr.order or self.conn.word_order
        item = ReadItem(tag.name, addr.table, addr.offset, count)
        decode_fn = decoder(tag.type.value, order, addr.string_bytes)
        self._points[tag.name] = _Point(tag, addr, order, item, decode_fn)
        return None

    # -- life cycle -------------------------------------------------------------------------

    async def start(self) -> None:
        now = time.time()
        bad = [
            TagValue(n, None, Quality.BAD, now, now, f"config: {why}")
            for n, why in self._config_errors.items()
        ]
        for problem in self._config_errors.values():
            log.warning("modbus %s: %s", self.name, problem)
        if bad:
            self.sink.updates(bad)
        self._task = asyncio.create_task(self._run(), name=f"modbus:{self.name}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._close_clients()
        self._mark_points(Quality.DISCONNECTED, "driver stopped")
        self.set_state(ConnectionState.STOPPED)

    async def _run(self) -> None:
        """Connect, poll until the link is lost, back off, repeat (until cancelled)."""
        delays = backoff_delays(self.conn.reconnect_min_s, self.conn.reconnect_max_s)
        announce_connecting = True
        while True:
            if announce_connecting:
                self.set_state(ConnectionState.CONNECTING)
            reason = await self._connect()
            if reason is None:
                self._served_ok = False
                self.set_state(ConnectionState.CONNECTED)
                reason = await self._serve()
                self._close_clients()
                if self._served_ok:
                    delays = backoff_delays(self.conn.reconnect_min_s, self.conn.reconnect_max_s)
                announce_connecting = True
            else:
                announce_connecting = False
            self._error("connection", reason)
            self._mark_points(Quality.DISCONNECTED, reason)
            self.set_state(ConnectionState.DISCONNECTED, reason)
            await asyncio.sleep(next(delays))

    async def _connect(self) -> str | None:
        """Open the connection pool; None when connected, else why not."""
        self._lost.clear()
        self._timeouts_in_row = 0
        clients = [
            AsyncModbusTcpClient(
                self.conn.host,
                port=self.conn.port,
                name=f"{self.name}#{i}",
                timeout=self.conn.timeout_s,
                retries=0,
                reconnect_delay=0,  # reconnecting is ours, with our backoff and our states
                trace_connect=self._on_link,
            )
            for i in range(self.conn.max_in_flight)
        ]
        results = await asyncio.gather(*(c.connect() for c in clients), return_exceptions=True)
        if not all(r is True for r in results):
            for c in clients:
                c.close()
            return (
                f"cannot connect to {self.conn.host}:{self.conn.port} "
                f"(refused, unreachable or no answer in {self.conn.timeout_s:g} s)"
            )
        self._clients = clients
        self._idle = asyncio.Queue()
        for c in clients:
            self._idle.put_nowait(c)
        return None

    def _on_link(self, connected: bool) -> None:
        if not connected:
            self._lost.set()

    def _close_clients(self) -> None:
        for c in self._clients:
            c.close()
        self._clients = []
        self._idle = None

    async def _serve(self) -> str:
        """Run every poll group until the link is lost; return why it was lost."""
        tasks = [asyncio.create_task(self._poll_group(g)) for g in self._groups]
        lost = asyncio.create_task(self._lost.wait())
        try:
            done, _ = await asyncio.wait([*tasks, lost], return_when=asyncio.FIRST_COMPLETED)
        finally:
            for t in (*tasks, lost):
                t.cancel()
            await asyncio.gather(*tasks, lost, return_exceptions=True)
        for t in done:
            exc = None if t.cancelled() or t is lost else t.exception()
            if isinstance(exc, _LinkLost):
                return str(exc)
            if exc is not None:
                log.error("modbus %s: poll failed", self.name, exc_info=exc)
                return f"internal error: {exc!r}"
        if self._timeouts_in_row:
            return f"no response in {self.conn.timeout_s:g} s; connection closed"
        return "connection closed by the device or the network"

    # -- requests ---------------------------------------------------------------------------

    async def _call(self, method: str, address: int, **kwargs: Any) -> ModbusPDU:
        """One request on an idle connection of the pool, timed and counted.

        Raises _LinkLost or _RequestFailed; an exception *response* is returned.
        """
        idle = self._idle
        if idle is None:
            raise _LinkLost("not connected")
        try:
            client = idle.get_nowait()
        except asyncio.QueueEmpty:
            try:
                client = await asyncio.wait_for(idle.get(), timeout=4 * self.conn.timeout_s)
            except TimeoutError:
                raise _RequestFailed("timeout", "device busy: no free connection") from None
        try:
            if not client.connected:
                raise _LinkLost("connection closed by the device or the network")
            t0 = time.perf_counter()
            try:
                response = await getattr(client, method)(
                    address, device_id=self.conn.unit_id, **kwargs
                )
            except ConnectionException as exc:
                raise _LinkLost(f"connection lost: {exc}") from None
            except ModbusIOException as exc:
                if "No response" in str(exc):
                    self._timeouts_in_row += 1
                    raise _RequestFailed(
                        "timeout", f"timeout: no response in {self.conn.timeout_s:g} s"
                    ) from None
                raise _RequestFailed("malformed", f"bad response: {exc}") from None
            except ModbusException as exc:
                raise _RequestFailed("error", f"request failed: {exc}") from None
            self._note_response(time.perf_counter() - t0)
        finally:
            idle.put_nowait(client)
        if response is None:
            raise _RequestFailed("malformed", "bad response: empty")
        if response.isError():
            code = getattr(response, "exception_code", 0)
            name = EXCEPTION_NAMES.get(code, "unknown exception")
            raise _RequestFailed("exception", f"exception {code}: {name}", code)
        return response

    def _note_response(self, seconds: float) -> None:
        s = self.stats
        self._timeouts_in_row = 0
        self._served_ok = True
        s.requests += 1
        self._response_total_s += seconds
        s.mean_response_ms = 1000.0 * self._response_total_s / s.requests
        s.max_response_ms = max(s.max_response_ms, 1000.0 * seconds)
        now = time.monotonic()
        if not self._window_start:
            self._window_start = now
        self._window_requests += 1
        elapsed = now - self._window_start
        if elapsed >= 1.0:
            s.request_rate = self._window_requests / elapsed
            self._window_start, self._window_requests = now, 0

    def _error(self, kind: str, reason: str) -> None:
        s = self.stats
        s.errors += 1
        s.errors_by_kind[kind] = s.errors_by_kind.get(kind, 0) + 1
        s.last_error = reason

    # -- polling ----------------------------------------------------------------------------

    async def _poll_group(self, group: _Group) -> None:
        loop = asyncio.get_running_loop()
        due = loop.time()
        while True:
            await self._poll_cycle(group)
            due += group.period_s
            now = loop.time()
            if due < now:  # overran: skip the missed cycles rather than burst
                self.stats.overruns += 1
                due = now
            await asyncio.sleep(due - now)

    def _replan(self, group: _Group) -> None:
        items = (p.item for p in group.points if p.name not in self._isolated)
        group.blocks = plan_blocks(items, self._limits, frozenset(self._breaks))
        group.dirty = False
        self.stats.blocks = sum(len(g.blocks) for g in self._groups)
        self.stats.bad_addresses = len(self._isolated)

    async def _poll_cycle(self, group: _Group) -> None:
        """Read every block of `group` once and deliver one batch of what changed."""
        if group.dirty:
            self._replan(group)
        blocks = list(group.blocks)
        now = time.monotonic()
        for p in group.points:
            retry_at = self._isolated.get(p.name)
            if retry_at is not None and retry_at <= now:
                self._isolated[p.name] = now + self.isolated_retry_s
                blocks.append(Block(p.item.table, p.item.start, p.item.count, (p.item,)))
        before = self.stats.requests
        outcomes: dict[str, Outcome] = {}
        if self.conn.max_in_flight == 1:
            for block in blocks:
                await self._read(block, outcomes)
        else:
            results = await asyncio.gather(
                *(self._read(b, outcomes) for b in blocks), return_exceptions=True
            )
            for r in results:
                if isinstance(r, BaseException):
                    raise r
        self.stats.cycles += 1
        self.stats.last_cycle_requests = self.stats.requests - before
        self._deliver(outcomes)

    async def _read(self, block: Block, out: dict[str, Outcome]) -> bool:
        """Read `block` into `out`; on an address exception, split to find the culprit.

        True when every item of the block was read.
        """
        try:
            response = await self._call(_READ[block.table], block.start, count=block.count)
        except _RequestFailed as exc:
            self._error(exc.kind, exc.reason)
            if exc.code in _SPLITTABLE and len(block.items) > 1:
                left, right = split_block(block)
                left_ok = await self._read(left, out)
                right_ok = await self._read(right, out)
                if left_ok and right_ok:  # the gap between them is what the device rejects
                    self._breaks.add((right.table, right.start))
                    self._mark_dirty()
                return False
            if exc.code in _SPLITTABLE:
                for item in block.items:
                    if item.key not in self._isolated:
                        log.warning(
                            "modbus %s: %s at %s: %s; polling it alone every %g s",
                            self.name, item.key, self._points[item.key].addr, exc.reason,
                            self.isolated_retry_s,
                        )  # fmt: skip
                        self._isolated[item.key] = time.monotonic() + self.isolated_retry_s
                        self._mark_dirty()
            ts = time.time()
            for item in block.items:
                out[item.key] = (None, Quality.BAD, exc.reason, ts)
            return False
        ts = time.time()
        all_ok = True
        for item in block.items:
            point = self._points[item.key]
            try:
                raw = self._extract(point, block, response)
            except (ValueError, TypeError, IndexError, struct.error) as exc:
                reason = f"bad response: {exc}"
                self._error("malformed", reason)
                out[item.key] = (None, Quality.BAD, reason, ts)
                all_ok = False
                continue
            out[item.key] = (raw, Quality.GOOD, "", ts)
            if self._isolated and self._isolated.pop(item.key, None) is not None:
                self._rejoin(item)
        return all_ok

    def _rejoin(self, item: ReadItem) -> None:
        """The device serves an isolated address again (e.g. after a re-programmed map):
        forget the block breaks its failure taught at its edges, and re-plan, so it is
        read in its block again rather than alone next to a needless split."""
        end = item.start + item.count
        self._breaks = {
            (table, at) for table, at in self._breaks
            if table != item.table or not item.start <= at <= end
        }  # fmt: skip
        self._mark_dirty()

    def _mark_dirty(self) -> None:
        for g in self._groups:
            g.dirty = True
        self.stats.bad_addresses = len(self._isolated)

    @staticmethod
    def _extract(point: _Point, block: Block, response: ModbusPDU) -> Any:
        """The raw value of `point` out of `block`'s response; ValueError if it isn't there."""
        rel = point.item.start - block.start
        if block.table.is_bits:
            bits = response.bits
            if len(bits) < block.count:
                raise ValueError(f"short response: {len(bits)} of {block.count} bits")
            return bool(bits[rel])
        regs = response.registers
        if len(regs) < block.count:
            raise ValueError(f"short response: {len(regs)} of {block.count} registers")
        if point.addr.bit is not None:
            return get_bit(regs[rel], point.addr.bit)
        return point.decode(regs[rel : rel + point.item.count])

    # -- delivery ---------------------------------------------------------------------------

    def _deliver(self, outcomes: dict[str, Outcome]) -> None:
        """Turn raw outcomes into TagValues and pass on those that changed (one batch)."""
        now = time.time()
        batch: list[TagValue] = []
        last_raw = self._last_raw
        for name, (raw, quality, reason, ts) in outcomes.items():
            last = self._last.get(name)
            if quality is Quality.GOOD:
                if last is not None and last.quality is quality and _same(last_raw.get(name), raw):
                    continue  # the common case: nothing new, nothing to build
                last_raw[name] = raw
            tag = self.tags[name]
            value = last.value if last is not None else None
            if quality is Quality.GOOD:
                try:
                    value = to_engineering(tag, raw)
                except (ValueError, TypeError, ArithmeticError) as exc:
                    quality, reason = Quality.BAD, f"cannot scale {raw!r}: {exc}"
            tv = TagValue(name, value, quality, ts, now, reason)
            if self._offer(tag, last, tv):
                batch.append(tv)
        if batch:
            self.stats.updates += len(batch)
            self.sink.updates(batch)

    def _offer(self, tag: TagConfig, last: TagValue | None, tv: TagValue) -> bool:
        """Record `tv` if it is news (value change beyond deadband, or quality/reason change)."""
        if last is not None and last.quality is tv.quality and last.reason == tv.reason:
            if _same(last.value, tv.value) or not self._deadband.passes(tag, tv):
                return False
        else:
            self._deadband.passes(tag, tv)  # quality changes always pass; keep its reference
        self._last[tag.name] = tv
        return True

    def _mark_points(self, quality: Quality, reason: str) -> None:
        """Re-qualify every polled tag (keeping its last value for context)."""
        now = time.time()
        batch = []
        for name in self._points:
            last = self._last.get(name)
            tv = TagValue(name, last.value if last else None, quality, now, now, reason)
            if self._offer(self.tags[name], last, tv):
                batch.append(tv)
        if batch:
            self.sink.updates(batch)

    # -- writes -----------------------------------------------------------------------------

    async def write(self, tag: str, value: Any) -> WriteResult:
        try:
            return await self._write(tag, value)
        except Exception as exc:  # the contract: report, never raise
            log.exception("modbus %s: write %s failed", self.name, tag)
            return WriteResult(tag, False, error=f"write failed: {exc!r}")

    async def _write(self, tag: str, value: Any) -> WriteResult:
        def fail(msg: str) -> WriteResult:
            return WriteResult(tag, False, error=msg)

        if tag not in self.tags:
            return fail(f"no tag '{tag}' on connection '{self.name}'")
        point = self._points.get(tag)
        if point is None:
            return fail(f"tag '{tag}' has a bad address: {self._config_errors[tag]}")
        if self.conn.read_only:
            return fail(f"connection '{self.name}' is read-only (read_only = true)")
        addr = point.addr
        if not addr.table.writable:
            return fail(f"{addr} is in the {addr.table.title} table, which Modbus cannot write")
        try:
            raw = _to_raw_exact(point.tag, value)
            regs = None if addr.table.is_bits or addr.bit is not None else self._encode(point, raw)
        except ValueError as exc:
            return fail(str(exc))
        try:
            written, got = await self._write_and_read_back(point, raw, regs)
        except _LinkLost as exc:
            return fail(f"not written: {exc}")
        except _RequestFailed as exc:
            self._error(exc.kind, exc.reason)
            return fail(f"device refused or did not answer: {exc.reason}")
        if written != got:
            return fail(f"read-back {got!r} differs from the written {written!r}")
        return WriteResult(tag, True, value=to_engineering(point.tag, got))

    @staticmethod
    def _encode(point: _Point, raw: Any) -> list[int]:
        return encode(raw, point.tag.type.value, point.order, point.addr.string_bytes)

    async def _write_and_read_back(
        self, point: _Point, raw: Any, regs: list[int] | None
    ) -> tuple[Any, Any]:
        """Write, then read the same place back: (what was meant, what the device holds)."""
        addr = point.addr
        if addr.table is Table.COIL:
            await self._call("write_coil", addr.offset, value=bool(raw))
            back = await self._call("read_coils", addr.offset, count=1)
            return bool(raw), bool(back.bits[0])
        if addr.bit is not None:  # read-modify-write of one bit
            current = await self._call("read_holding_registers", addr.offset, count=1)
            new = set_bit(current.registers[0], addr.bit, bool(raw))
            await self._call("write_register", addr.offset, value=new)
            back = await self._call("read_holding_registers", addr.offset, count=1)
            return bool(raw), get_bit(back.registers[0], addr.bit)
        assert regs is not None
        if len(regs) == 1:
            await self._call("write_register", addr.offset, value=regs[0])
        else:
            await self._call("write_registers", addr.offset, values=regs)
        back = await self._call("read_holding_registers", addr.offset, count=len(regs))
        got = list(back.registers[: len(regs)])
        meant = decode(regs, point.tag.type.value, point.order, point.addr.string_bytes)
        if got == regs:
            return meant, meant
        try:
            return meant, decode(got, point.tag.type.value, point.order, point.addr.string_bytes)
        except ValueError:
            return regs, got


def _to_raw_exact(tag: TagConfig, value: Any) -> Any:
    """base.to_raw, but an unscaled 64-bit integer keeps every digit (to_raw goes via float)."""
    text = value.strip() if isinstance(value, str) else None
    exact = isinstance(value, int) and not isinstance(value, bool)
    if tag.scale is None and tag.type.is_integer and (exact or (text and _INT_RE.match(text))):
        number = int(value)
        bits = int(tag.type.value.removeprefix("u").removeprefix("int"))
        lo, hi = (
            (0, 2**bits - 1)
            if tag.type.value.startswith("u")
            else (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
        )
        if not lo <= number <= hi:
            raise ValueError(f"{value!r} is outside {tag.type.value} range {lo}..{hi}")
        return number
    return to_raw(tag, value)


def _same(a: Any, b: Any) -> bool:
    """Equal, counting NaN as equal to NaN (a stuck NaN is not news every cycle)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b and type(a) is type(b)
