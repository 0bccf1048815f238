"""OPC UA subscription throughput: bare asyncua client vs our OpcUaDriver inside a Runtime.

Load: SERVERS asyncua server processes (one asyncua server publishes ~10k
changes/s on one core), each changing VARS_PER_SERVER Double variables (under
FOLDERS folders) as fast as it can, for the whole bench.

Measured in this process, over the same kind of window after a warm-up:
(a) a bare asyncua client, iterator mode (`async for ev in sub`), counting
    notifications — the cheapest stock way to consume a subscription;
(b) our OpcUaDriver in a Runtime (config built in code) with a listener that
    counts the updates that reached the tag table.
CPU is `time.process_time()` of this process: the client's whole cost
(socket, binary decoding, our conversion, the tag table), none of the servers'.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing as mp
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bench import Figure

SERVERS = 2
VARS_PER_SERVER = 250
FOLDERS = 5
PUBLISH_MS = 100.0
WARMUP_S = 1.5
WINDOW_S = 8.0
NS_URI = "urn:pro4:bench"
NAME = "opcua"


# --------------------------------------------------------------------------- server processes


def _serve(index: int, ready: mp.Queue, go, stop, changes) -> None:
    """Process entry: an asyncua server changing its variables until `stop` is set."""
    logging.disable(logging.WARNING)
    asyncio.run(_serve_async(index, ready, go, stop, changes))


async def _serve_async(index: int, ready: mp.Queue, go, stop, changes) -> None:
    from asyncua import Server, ua

    server = Server()
    await server.init()
    server.set_endpoint("opc.tcp://127.0.0.1:0/bench")
    server.set_security_policy([ua.SecurityPolicyType.NoSecurity])
    ns = await server.register_namespace(NS_URI)
    names: list[str] = []
    per_folder = VARS_PER_SERVER // FOLDERS
    for f in range(FOLDERS):
        folder = await server.nodes.objects.add_folder(ua.NodeId(f"S{index}.F{f}", ns), f"F{f}")
        for v in range(per_folder):
            name = f"S{index}.F{f}.V{v}"
            await folder.add_variable(ua.NodeId(name, ns), name, 0.0)
            names.append(name)
    await server.start()
    ready.put((index, server.bserver.port, ns, names))
    await asyncio.to_thread(go.wait)
    node_ids = [ua.NodeId(n, ns) for n in names]
    value = 0.0
    while not stop.is_set():
        value += 1.0
        dv = ua.DataValue(
            ua.Variant(value, ua.VariantType.Double), SourceTimestamp=datetime.now(UTC)
        )
        for nid in node_ids:
            await server.write_attribute_value(nid, dv)
        with changes.get_lock():
            changes.value += len(node_ids)
        await asyncio.sleep(0)  # let the server publish
    await server.stop()


@dataclass
class _Servers:
    """The running server processes and what a client needs to reach them."""

    procs: list
    stop: object
    changes: list
    endpoints: list[tuple[str, int, list[str]]]  # (endpoint, namespace index, variable names)

    def offered(self) -> int:
        return sum(c.value for c in self.changes)

    def shutdown(self) -> None:
        self.stop.set()  # type: ignore[attr-defined]
        for p in self.procs:
            p.join(10)
            if p.is_alive():
                p.terminate()
                p.join(5)


def _start_servers() -> _Servers:
    ctx = mp.get_context("spawn")
    ready, go, stop = ctx.Queue(), ctx.Event(), ctx.Event()
    changes = [ctx.Value("q", 0) for _ in range(SERVERS)]
    procs = [
        ctx.Process(target=_serve, args=(i, ready, go, stop, changes[i]), daemon=True)
        for i in range(SERVERS)
    ]
    for p in procs:
        p.start()
    servers = _Servers(procs, stop, changes, [])
    try:
        got = sorted(ready.get(timeout=60) for _ in procs)
    except BaseException:
        servers.shutdown()
        raise
    servers.endpoints = [
        (f"opc.tcp://127.0.0.1:{port}/bench", ns, names) for _, port, ns, names in got
    ]
    go.set()
    return servers


# --------------------------------------------------------------------------- measuring


@dataclass(frozen=True)
class _Window:
    count: int
    cpu_s: float
    wall_s: float
    offered: int

    @property
    def rate(self) -> float:
        return self.count / self.wall_s

    @property
    def cpu_us(self) -> float:
        return self.cpu_s / max(self.count, 1) * 1e6

    @property
    def offered_rate(self) -> float:
        return self.offered / self.wall_s


async def _window(count: Callable[[], int], servers: _Servers) -> _Window:
    await asyncio.sleep(WARMUP_S)
    n0, c0, t0, o0 = count(), time.process_time(), time.perf_counter(), servers.offered()
    await asyncio.sleep(WINDOW_S)
    n1, c1, t1, o1 = count(), time.process_time(), time.perf_counter(), servers.offered()
    return _Window(n1 - n0, c1 - c0, t1 - t0, o1 - o0)


async def _bare(servers: _Servers) -> _Window:
    """(a) stock asyncua: one client + one iterator-mode subscription per server."""
    from asyncua import Client, ua

    seen = [0]

    async def consume(sub) -> None:
        async for _ in sub:
            seen[0] += 1

    clients, tasks = [], []
    try:
        for endpoint, ns, names in servers.endpoints:
            client = Client(endpoint, timeout=10)
            await client.connect()
            clients.append(client)
            sub = await client.create_subscription(PUBLISH_MS, queue_maxsize=1_000_000)
            nodes = [client.get_node(ua.NodeId(n, ns)) for n in names]
            await sub.subscribe_data_change(nodes, sampling_interval=0.0)
            tasks.append(asyncio.create_task(consume(sub)))
        return await _window(lambda: seen[0], servers)
    finally:
        for task in tasks:
            task.cancel()
        for client in clients:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(client.disconnect(), 5)


class _Counter:
    """Runtime listener counting updates that reached the tag table."""

    def __init__(self) -> None:
        self.n = 0

    def on_updates(self, batch: list) -> None:
        self.n += len(batch)

    def on_connection(self, connection: str, state, detail: str) -> None:
        pass


async def _ours(servers: _Servers) -> _Window:
    """(b) our OpcUaDriver, one connection per server, inside a real Runtime."""
    from hmi.config import PlantConfig
    from hmi.runtime.engine import Runtime

    connections, tags = [], []
    for i, (endpoint, ns, names) in enumerate(servers.endpoints):
        connections.append(
            {
                "name": f"s{i}",
                "driver": "opcua",
                "endpoint": endpoint,
                "publishing_interval_ms": PUBLISH_MS,
            }
        )
        tags += [{"name": n, "connection": f"s{i}", "address": f"ns={ns};s={n}"} for n in names]
    config = PlantConfig.model_validate(
        {"plant": {"name": "bench", "title": "bench"}, "connections": connections, "tags": tags}
    )
    runtime = Runtime(config)
    counter = _Counter()
    runtime.add_listener(counter)
    await runtime.start()
    try:
        deadline = time.monotonic() + 20
        while any(d.stats.state.value != "connected" for d in runtime.drivers.values()):
            if time.monotonic() > deadline:
                raise RuntimeError("driver did not connect within 20 s")
            await asyncio.sleep(0.05)
        return await _window(lambda: counter.n, servers)
    finally:
        await runtime.stop()


def run() -> list[Figure]:
    """Start the servers, measure (a) then (b), stop the servers; return the figures."""
    logging.getLogger("asyncua").setLevel(logging.ERROR)
    servers = _start_servers()
    try:
        bare = asyncio.run(_bare(servers))
        ours = asyncio.run(_ours(servers))
    finally:
        servers.shutdown()
    load = f"{SERVERS} servers x {VARS_PER_SERVER} vars, {PUBLISH_MS:g} ms publishing"
    return [
        Figure(
            NAME, "offered changes/s (servers)", "1/s", ours.offered_rate, bare.offered_rate, load
        ),
        Figure(
            NAME,
            "notifications/s received",
            "1/s",
            ours.rate,
            bare.rate,
            "ours: updates in tag table",
        ),
        Figure(NAME, "client CPU per notification", "µs", ours.cpu_us, bare.cpu_us, "process_time"),
        Figure(
            NAME,
            "client capacity on one core (1 / CPU per notification)",
            "1/s",
            1e6 / ours.cpu_us,
            1e6 / bare.cpu_us,
            "derived",
        ),
        Figure(
            NAME,
            "client CPU load",
            "% core",
            ours.cpu_s / ours.wall_s * 100,
            bare.cpu_s / bare.wall_s * 100,
        ),
    ]
