"""The simulator served secured (`hmi sim --secure`) and the demo config that connects to it.

Real servers on 127.0.0.1 with ephemeral ports: one `SimServer(secure=True)` for
the module in a background thread (building the plant's address space takes
seconds), and once the `hmi sim --secure` process. The station side is the real
OPC UA driver inside a real Runtime on `resources/demo/plant-secure.toml`. Every
certificate lives in the test's folders, never in the user's data directory.
"""

from __future__ import annotations

import asyncio
import os
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
from asyncua import Client, ua

from hmi.config import PlantConfig, load_config
from hmi.drivers.base import ConnectionState
from hmi.drivers.opcua_pki import load_certificate_file, thumbprint
from hmi.paths import DEMO_CONFIG
from hmi.runtime.engine import Runtime
from hmi.sim import OPCUA_CONNECTION
from hmi.sim.launch import start_sim_process
from hmi.sim.security import (
    PASSWORD_ENV,
    SECURE_DEMO_CONFIG,
    SECURE_FIELDS,
    SimSecurityError,
    ensure_server_certificate,
    secure_variant_text,
    trust_simulator,
)
from hmi.sim.server import SimServer
from hmi.tagvalue import Quality

pytestmark = pytest.mark.protocol

PASSWORD = "demo pass 1"
DEMO_TAGS = ["Welding.State", "Welding.Conveyor.MotorCurrent", "Painting.Oven.Temperature"]


def run(coro: Coroutine[Any, Any, Any], limit: float = 60.0) -> Any:
    """One test body in a fresh loop, bounded as a whole."""
    return asyncio.run(asyncio.wait_for(coro, limit))


async def until(cond: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        await asyncio.sleep(0.02)


@pytest.fixture(scope="module")
def sim_pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The simulator's certificate folder: one server key for the module."""
    folder = tmp_path_factory.mktemp("sim-pki")
    ensure_server_certificate(folder)
    return folder


@pytest.fixture(scope="module")
def own_pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The station's own certificate folder: one client key for the module."""
    return tmp_path_factory.mktemp("own-pki")


@pytest.fixture
def password(monkeypatch: pytest.MonkeyPatch) -> str:
    """The station's environment: the password the secure config's `env:` reference names."""
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    return PASSWORD


def secure_sim(pki: Path) -> SimServer:
    return SimServer(port=0, modbus_port=0, on_line_change=None, secure=True, pki_dir=pki)


class ThreadedSim:
    """A started secured SimServer on its own loop in a daemon thread."""

    def __init__(self, pki: Path):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.sim: SimServer = self.call(self._make(pki), 60)

    async def _make(self, pki: Path) -> SimServer:
        sim = secure_sim(pki)
        await sim.start()
        return sim

    def call(self, coro: Coroutine[Any, Any, Any], timeout: float = 15.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def value(self, tag: str) -> Any:
        """The model's value, read on the simulator's own loop."""

        async def read() -> Any:
            return self.sim.model.values()[tag]

        return self.call(read())

    def stop(self) -> None:
        try:
            self.call(self.sim.stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(15)
            self.loop.close()


@pytest.fixture(scope="module")
def served(sim_pki: Path) -> Iterator[ThreadedSim]:
    """The secured simulator, started with HMI_SIM_PASSWORD set (it reads it at start)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(PASSWORD_ENV, PASSWORD)
        threaded = ThreadedSim(sim_pki)
    yield threaded
    threaded.stop()


def station_config(sim: SimServer, own: Path, trust_dir: Path) -> PlantConfig:
    """The secure demo config at this simulator, with the station's files in test folders."""
    config = sim.retarget(load_config(SECURE_DEMO_CONFIG))
    return config.with_connection(
        OPCUA_CONNECTION,
        trust_dir=trust_dir,
        client_cert=own / "cert.der",
        client_key=own / "private" / "key.pem",
    )


class Station:
    """A started Runtime; records every `sim` connection state with its detail."""

    def __init__(self, config: PlantConfig):
        self.rt = Runtime(config)
        self.states: list[tuple[ConnectionState, str]] = []
        self.rt.add_listener(self)

    def on_updates(self, batch: list[Any]) -> None:
        pass

    def on_connection(self, connection: str, state: ConnectionState, detail: str) -> None:
        if connection == OPCUA_CONNECTION:
            self.states.append((state, detail))

    def good(self, names: list[str]) -> bool:
        return self.rt.connection_states[OPCUA_CONNECTION] is ConnectionState.CONNECTED and all(
            self.rt.table.get(n).quality is Quality.GOOD for n in names
        )

    def detail(self) -> str:
        return next((d for s, d in reversed(self.states) if d), "")

    async def __aenter__(self) -> Station:
        await self.rt.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.wait_for(self.rt.stop(), 15.0)


# --------------------------------------------------------------------------- the server


def test_secured_sim_offers_only_signandencrypt_with_a_username(served: ThreadedSim) -> None:
    sim = served.sim
    assert sim.certificate is not None

    async def body() -> list[ua.EndpointDescription]:
        return await Client(sim.endpoint, timeout=10).connect_and_get_server_endpoints()

    endpoints = run(body())
    offered = {(ep.SecurityPolicyUri.rsplit("#", 1)[-1], ep.SecurityMode) for ep in endpoints}
    assert offered == {("Basic256Sha256", ua.MessageSecurityMode.SignAndEncrypt)}
    tokens = {t.TokenType for ep in endpoints for t in ep.UserIdentityTokens}
    assert tokens == {ua.UserTokenType.UserName}
    assert endpoints[0].ServerCertificate == sim.certificate.cert_path.read_bytes()


def test_secure_demo_config_reads_good_and_writes_over_the_secured_channel(
    served: ThreadedSim, own_pki: Path, password: str, tmp_path: Path
) -> None:
    sim = served.sim
    assert sim.certificate is not None
    config = station_config(sim, own_pki, tmp_path / "unused")
    config = trust_simulator(config, sim.certificate.cert_path, tmp_path / "demo-trust")
    assert config.connection(OPCUA_CONNECTION).trust_dir == tmp_path / "demo-trust"

    async def body() -> None:
        async with Station(config) as st:
            await until(lambda: st.good(DEMO_TAGS), 30, f"connected with good {DEMO_TAGS}")
            driver: Any = st.rt.drivers[OPCUA_CONNECTION]
            assert driver._client.security_policy.URI.endswith("#Basic256Sha256")
            assert driver._client.security_policy.Mode is ua.MessageSecurityMode.SignAndEncrypt
            result = await driver.write("Welding.Conveyor.SpeedSP", 10.0)
            assert result.ok, result.error  # the demo user may operate the plant

    run(body())
    assert served.value("Welding.Conveyor.SpeedSP") == 10.0


def test_empty_trust_folder_refuses_the_sim_with_its_thumbprint(
    served: ThreadedSim, own_pki: Path, password: str, tmp_path: Path
) -> None:
    sim, trust_dir = served.sim, tmp_path / "trusted"
    assert sim.certificate is not None
    sim_print = sim.certificate.thumbprint

    async def body() -> None:
        async with Station(station_config(sim, own_pki, trust_dir)) as st:
            await until(lambda: "not trusted" in st.detail(), 30, "refused as untrusted")
            assert f"server certificate not trusted: thumbprint {sim_print}" in st.detail()
            assert f"into {trust_dir} to trust it" in st.detail()
            assert st.rt.table.get(DEMO_TAGS[0]).quality is not Quality.GOOD

    run(body())
    saved = list((trust_dir / "rejected").iterdir())
    assert [thumbprint(load_certificate_file(p)) for p in saved] == [sim_print]


def test_wrong_password_is_rejected_by_the_sim(
    served: ThreadedSim, own_pki: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim = served.sim  # started with the right password
    assert sim.certificate is not None
    monkeypatch.setenv(PASSWORD_ENV, "not it")  # the station's environment differs
    config = trust_simulator(
        station_config(sim, own_pki, tmp_path / "unused"),
        sim.certificate.cert_path,
        tmp_path / "demo-trust",
    )

    async def body() -> None:
        async with Station(config) as st:
            await until(lambda: "rejected" in st.detail(), 30, "user rejected")
            assert st.detail().startswith("user 'operator' rejected: BadUserAccessDenied")

    run(body())


def test_secured_sim_refuses_to_start_without_the_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)

    async def body() -> None:
        with pytest.raises(SimSecurityError, match=f"set the environment variable {PASSWORD_ENV}"):
            await secure_sim(tmp_path / "pki").start()

    run(body())
    assert not (tmp_path / "pki").exists()  # refused before making any key

    env = {k: v for k, v in os.environ.items() if k != PASSWORD_ENV}
    cmd = [sys.executable, "-m", "hmi", "sim", "--secure", "--opcua-port", "0",
           "--modbus-port", "0", "--pki-dir", str(tmp_path / "pki"), "--for", "5"]  # fmt: skip
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "hmi sim: a secured simulator needs a password for user 'operator'" in done.stderr
    assert PASSWORD_ENV in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "pki").exists()


def test_hmi_sim_secure_prints_the_certificate_and_its_thumbprint(
    sim_pki: Path, password: str
) -> None:
    with start_sim_process(secure=True, pki_dir=sim_pki) as sim:
        assert sim.certificate == sim_pki / "server-cert.der"
        print_ = thumbprint(load_certificate_file(sim.certificate))

        async def endpoints() -> list[ua.EndpointDescription]:
            return await Client(sim.endpoint, timeout=10).connect_and_get_server_endpoints()

        offered = run(endpoints(), limit=20)
        assert {ep.SecurityMode for ep in offered} == {ua.MessageSecurityMode.SignAndEncrypt}
    out = sim.output()
    assert f"server certificate (reused): {sim.certificate}" in out
    assert f"SHA-1 thumbprint: {print_}" in out
    assert PASSWORD not in out


def test_server_certificate_is_made_once_then_reused(tmp_path: Path) -> None:
    made = ensure_server_certificate(tmp_path)
    again = ensure_server_certificate(tmp_path)
    assert made.created and not again.created
    assert again.thumbprint == made.thumbprint
    if sys.platform != "win32":
        assert stat.S_IMODE(made.key_path.stat().st_mode) == 0o600


def test_the_certificate_names_the_address_the_simulator_serves_on(tmp_path: Path) -> None:
    """Stations check the endpoint's host against the certificate: a simulator served on
    a LAN address must name it, and a move to another address renews it (same key)."""
    from cryptography import x509

    def ips(made) -> set[str]:
        cert = x509.load_der_x509_certificate(made.cert_path.read_bytes())
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        return {str(ip) for ip in san.get_values_for_type(x509.IPAddress)}

    lan = ensure_server_certificate(tmp_path, bind="192.0.2.7")  # TEST-NET: never bound
    assert "192.0.2.7" in ips(lan)
    assert not ensure_server_certificate(tmp_path, bind="192.0.2.7").created
    assert not ensure_server_certificate(tmp_path, bind="0.0.0.0").created  # a wildcard
    moved = ensure_server_certificate(tmp_path, bind="192.0.2.8")
    assert moved.created and "192.0.2.8" in ips(moved)
    assert moved.key_path.read_bytes() == lan.key_path.read_bytes()


# --------------------------------------------------------------------------- the config variant


def test_secure_variant_is_generated_from_plant_toml() -> None:
    """plant-secure.toml is plant.toml plus the sim connection's security keys, to the byte."""
    expected = secure_variant_text(DEMO_CONFIG.read_text(encoding="utf-8"))
    assert SECURE_DEMO_CONFIG.read_text(encoding="utf-8") == expected, (
        "resources/demo/plant-secure.toml is out of date: run `python -m hmi.sim.security`"
    )


def test_secure_variant_is_the_same_plant_with_a_secured_sim_connection() -> None:
    plant, variant = load_config(DEMO_CONFIG), load_config(SECURE_DEMO_CONFIG)
    assert (
        variant.model_dump()
        == plant.with_connection(OPCUA_CONNECTION, **SECURE_FIELDS).model_dump()
    )
    assert variant.connection(OPCUA_CONNECTION).password == f"env:{PASSWORD_ENV}"


def test_variant_generation_refuses_a_plant_without_a_sim_connection() -> None:
    with pytest.raises(ValueError, match="no \\[\\[connections\\]\\] table named 'sim'"):
        secure_variant_text('[plant]\nname = "x"\ntitle = "X"\n')


def test_hmi_demo_secure_runs_its_own_secured_simulator_in_one_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`hmi demo --secure`: no password to set, the demo trusts its own simulator."""
    import contextlib

    from hmi.app.launch import start_demo_sim
    from hmi.config import load_config
    from hmi.paths import SECURE_DEMO_CONFIG

    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    with contextlib.ExitStack() as stack:
        stack.callback(os.environ.pop, PASSWORD_ENV, None)  # the demo's one-time password
        config = start_demo_sim(stack, load_config(SECURE_DEMO_CONFIG), seed=1, secure=True)
        conn = config.connection(OPCUA_CONNECTION)
        assert (conn.security_mode, conn.username) == ("SignAndEncrypt", "operator")
        assert list(conn.trust_dir.glob("*.der")), "the demo trusts its simulator's certificate"

        async def body() -> None:
            async with Station(config) as st:
                await until(lambda: st.good(DEMO_TAGS), 30, f"good {DEMO_TAGS} over secured UA")

        run(body())
