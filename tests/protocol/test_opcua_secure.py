"""Secure connections: OPC UA with certificates and users, secrets, read-only Modbus.

A real asyncua server on 127.0.0.1 that REQUIRES SignAndEncrypt (Basic256Sha256,
Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss) and a username/password; the client
under test is the real driver inside a real Runtime. RSA keys are made once per
session (the client's own certificate once per test session folder), so each
test costs a connection, not a key generation.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import shutil
import socket
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from asyncua import Server, ua
from asyncua.crypto import cert_gen
from asyncua.crypto.permission_rules import User, UserRole
from asyncua.crypto.truststore import TrustStore
from asyncua.crypto.validator import CertificateValidator, CertificateValidatorOptions
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID

from hmi.config import ConfigError, PlantConfig, load_config
from hmi.drivers.base import ConnectionState
from hmi.drivers.opcua_pki import (
    Pki,
    SecurityFailure,
    application_uri,
    ensure_client_certificate,
    load_certificate_file,
    thumbprint,
)
from hmi.drivers.opcua_server_checks import check_server_trusted
from hmi.runtime.security import Security
from hmi.secrets import SecretError, resolve_secret
from hmi.store.audit import AuditEntry
from hmi.tagvalue import Quality
from tests.protocol.conftest import NS_URI, VARIABLES, OpcTestServer
from tests.protocol.modbus_servers import PymodbusServer
from tests.protocol.test_opcua_driver import Harness, plant, run, until

pytestmark = pytest.mark.protocol

USER, PASSWORD = "operator", "correct horse battery"
PASSWORD_ENV = "PRO4_TEST_UA_PASSWORD"
SERVER_URI = "urn:pro4:test-secure-server"
SECURE_POLICIES = [
    ua.SecurityPolicyType.Basic256Sha256_SignAndEncrypt,
    ua.SecurityPolicyType.Aes128Sha256RsaOaep_SignAndEncrypt,
    ua.SecurityPolicyType.Aes256Sha256RsaPss_SignAndEncrypt,
]


# --------------------------------------------------------------------------- the secure server


class PasswordUsers:
    """An asyncua user manager that knows one user (and any user certificates in
    `certificates`, by thumbprint) and records every login attempt."""

    def __init__(self, users: dict[str, str]):
        self.users = users
        self.certificates: set[str] = set()
        self.attempts: list[str | None] = []  # user name, or user certificate thumbprint

    def get_user(self, iserver: Any, username=None, password=None, certificate=None):
        if username is None and certificate is not None:  # an X.509 user token (as DER)
            if not isinstance(certificate, x509.Certificate):
                certificate = x509.load_der_x509_certificate(certificate)
            self.attempts.append(thumbprint(certificate))
            return User(role=UserRole.User) if self.attempts[-1] in self.certificates else None
        self.attempts.append(username)
        if username in self.users and password == self.users[username]:
            return User(role=UserRole.User)
        return None


class SecureTestServer(OpcTestServer):
    """The protocol-test server, but SignAndEncrypt only and username/password only
    (or the user identity `tokens` given, e.g. X.509 user certificates).

    With `client_trust`, it also checks client certificates against that folder, as
    production servers do (asyncua's own default accepts any client).
    """

    def __init__(
        self,
        cert: Path,
        key: Path,
        client_trust: Path | None = None,
        tokens: tuple[type, ...] = (ua.UserNameIdentityToken,),
    ):
        super().__init__()
        self.cert, self.key = cert, key
        self.client_trust = client_trust
        self.tokens = list(tokens)
        self.users = PasswordUsers({USER: PASSWORD})

    async def _start(self) -> None:
        server = Server(user_manager=self.users)
        await server.init()
        await server.set_application_uri(SERVER_URI)
        server.set_endpoint(self.endpoint)
        server.set_security_policy(SECURE_POLICIES)
        server.set_identity_tokens(self.tokens)
        await server.load_certificate(str(self.cert))
        await server.load_private_key(str(self.key))
        self.ns_index = await server.register_namespace(NS_URI)
        folder = await server.nodes.objects.add_folder(ua.NodeId("Test", self.ns_index), "Test")
        for name, (value, vtype, writable) in VARIABLES.items():
            var = await folder.add_variable(
                ua.NodeId(name, self.ns_index), name, ua.Variant(value, vtype)
            )
            if writable:
                await var.set_writable()
        if self.client_trust is not None:
            store = TrustStore([self.client_trust], [])
            await store.load()
            options = CertificateValidatorOptions.TRUSTED_VALIDATION
            server.set_certificate_validator(
                CertificateValidator(options | CertificateValidatorOptions.PEER_CLIENT, store)
            )
        await server.start()
        self.port = server.bserver.port  # type: ignore[union-attr]
        self._server = server


def make_server_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed server certificate for SERVER_URI, as a UA server would have: it names
    the address the tests dial (127.0.0.1), or the station's host name check refuses it."""
    key = cert_gen.generate_private_key()
    cert = cert_gen.generate_self_signed_app_certificate(
        key,
        "Pro4 Test Server",
        {},
        [
            x509.UniformResourceIdentifier(SERVER_URI),
            x509.DNSName(socket.gethostname()),
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        ],
        [ExtendedKeyUsageOID.SERVER_AUTH],
    )
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / "server.der", folder / "server.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    key_path.write_bytes(cert_gen.dump_private_key_as_pem(key))
    return cert_path, key_path


@pytest.fixture(scope="session")
def server_pki(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The test server's certificate and key: one RSA key per session."""
    return make_server_certificate(tmp_path_factory.mktemp("server-pki"))


@pytest.fixture(scope="module")
def secure_server(server_pki: tuple[Path, Path]) -> Iterator[SecureTestServer]:
    server = SecureTestServer(*server_pki)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def own_pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The station's own certificate folder, shared by the module: one key generation."""
    return tmp_path_factory.mktemp("own-pki")


@dataclass
class Station:
    """One test's view of the station: its trust folder and secured connection settings."""

    trust_dir: Path
    own: Path

    def conn(self, **kw: Any) -> dict[str, Any]:
        settings: dict[str, Any] = {
            "security_policy": "Basic256Sha256",
            "security_mode": "SignAndEncrypt",
            "username": USER,
            "password": f"env:{PASSWORD_ENV}",
            "trust_dir": str(self.trust_dir),
            "client_cert": str(self.own / "cert.der"),
            "client_key": str(self.own / "private" / "key.pem"),
        }
        settings.update(kw)
        return settings


@pytest.fixture
def station(tmp_path: Path, own_pki: Path, monkeypatch: pytest.MonkeyPatch) -> Station:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    return Station(trust_dir=tmp_path / "trusted", own=own_pki)


def trust(server: SecureTestServer, station: Station) -> None:
    """What the integrator does: copy the server's certificate into the trust folder."""
    station.trust_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(server.cert, station.trust_dir / "plc1.der")


def tags(srv: OpcTestServer) -> list[dict]:
    return [
        {"name": "T.Double", "address": srv.ns("Test.Double"), "writable": True},
        {"name": "T.Int16", "address": srv.ns("Test.Int16"), "type": "int16", "writable": True},
    ]


def disconnected_detail(h: Harness) -> str:
    for state, detail in reversed(h.rec.states):
        if state is ConnectionState.DISCONNECTED and detail:
            return detail
    return ""


# --------------------------------------------------------------------------- OPC UA


def test_secured_session_reads_good_and_writes(
    secure_server: SecureTestServer, station: Station
) -> None:
    trust(secure_server, station)
    config = plant(secure_server.endpoint, tags(secure_server), **station.conn())

    async def body() -> None:
        await secure_server.write("Test.Double", 2.5)
        async with Harness(config) as h:
            await h.connected_and_good(["T.Double", "T.Int16"], timeout=20)
            assert h.tv("T.Double").value == 2.5
            assert USER in secure_server.users.attempts  # it logged in as the user
            channel = h.rt.drivers["ua"]._client.security_policy  # type: ignore[union-attr]
            assert channel.URI.endswith("#Basic256Sha256")
            assert channel.Mode is ua.MessageSecurityMode.SignAndEncrypt
            result = await h.rt.commands.write("T.Int16", 321)
            assert result.ok, result.error
            assert (await secure_server.read("Test.Int16")).Value == 321
            await until(lambda: h.tv("T.Int16").value == 321, 5, "write echoed")

    run(body())


@pytest.mark.parametrize("policy", ["Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss"])
def test_newer_policies_connect(
    secure_server: SecureTestServer, station: Station, policy: str
) -> None:
    trust(secure_server, station)
    config = plant(
        secure_server.endpoint, tags(secure_server)[:1], **station.conn(security_policy=policy)
    )

    async def body() -> None:
        async with Harness(config) as h:
            await h.connected_and_good(["T.Double"], timeout=20)

    run(body())


def test_wrong_password_names_the_rejected_user_and_retries_with_backoff(
    secure_server: SecureTestServer, station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    trust(secure_server, station)
    monkeypatch.setenv(PASSWORD_ENV, "wrong password")
    config = plant(secure_server.endpoint, tags(secure_server), **station.conn())
    expected = f"user '{USER}' rejected: BadUserAccessDenied"

    async def body() -> None:
        before = len(secure_server.users.attempts)
        async with Harness(config) as h:
            await until(lambda: expected in h.rec.details(), 15, "user rejection shown")
            assert h.state is ConnectionState.DISCONNECTED
            assert h.all_quality(Quality.DISCONNECTED)
            assert h.tv("T.Double").reason == expected
            # It keeps trying (no crash, no give-up), but at the backoff's pace, not a storm.
            await until(
                lambda: len(secure_server.users.attempts) - before >= 3, 15, "three attempts"
            )
            task = h.rt.drivers["ua"]._task
            assert task is not None and not task.done()
            t0 = asyncio.get_running_loop().time()
            n0 = len(secure_server.users.attempts)
            await asyncio.sleep(1.0)  # observe the retry rate over a fixed window
            rate = (len(secure_server.users.attempts) - n0) / (
                asyncio.get_running_loop().time() - t0
            )
            assert rate <= 5, f"{rate:.1f} logins/s: reconnect storm"

    run(body())


def test_untrusted_server_is_refused_with_thumbprint_and_how_to_trust_it(
    secure_server: SecureTestServer, station: Station
) -> None:
    config = plant(secure_server.endpoint, tags(secure_server)[:1], **station.conn())
    server_print = thumbprint(load_certificate_file(secure_server.cert))

    async def body() -> None:
        before = len(secure_server.users.attempts)
        async with Harness(config) as h:
            await until(lambda: "not trusted" in h.rec.details(), 15, "refusal shown")
            detail = disconnected_detail(h)
            assert server_print in detail and str(station.trust_dir) in detail, detail
            assert h.state is ConnectionState.DISCONNECTED
            # Refused before any session: the password never went to the unknown server.
            assert len(secure_server.users.attempts) == before
            rejected = list((station.trust_dir / "rejected").glob("*.der"))
            assert len(rejected) == 1 and str(rejected[0]) in detail
            assert thumbprint(load_certificate_file(rejected[0])) == server_print

            # Following the message's advice is all it takes.
            shutil.copy(rejected[0], station.trust_dir)
            await h.connected_and_good(["T.Double"], timeout=20)

    run(body())


def test_a_server_that_refuses_our_certificate_says_which_one_to_trust(
    server_pki: tuple[Path, Path], station: Station, tmp_path: Path
) -> None:
    clients = tmp_path / "server-trusts"  # the server trusts only its own certificate
    clients.mkdir()
    shutil.copy(server_pki[0], clients)
    server = SecureTestServer(*server_pki, client_trust=clients)
    server.start()
    trust(server, station)
    config = plant(server.endpoint, tags(server)[:1], **station.conn())

    async def body() -> None:
        async with Harness(config) as h:
            await until(lambda: "refused this station" in h.rec.details(), 15, "refusal shown")
            detail = disconnected_detail(h)
            own = h.rt.drivers["ua"].security.own
            assert own is not None
            assert "BadCertificateUntrusted" in detail
            assert str(own.cert_path) in detail and own.thumbprint in detail

    try:
        run(body())
    finally:
        server.stop()


def test_client_certificate_is_made_once_and_reused(
    secure_server: SecureTestServer, station: Station, tmp_path: Path
) -> None:
    trust(secure_server, station)
    own = tmp_path / "own"
    config = plant(
        secure_server.endpoint,
        tags(secure_server)[:1],
        **station.conn(client_cert=str(own / "c.der"), client_key=str(own / "k" / "key.pem")),
    )

    async def connect_once() -> tuple[str, bool]:
        async with Harness(config) as h:
            await h.connected_and_good(["T.Double"], timeout=20)
            made = h.rt.drivers["ua"].security.own
            assert made is not None
            return made.thumbprint, made.created

    first, created = run(connect_once())
    assert created
    cert = load_certificate_file(own / "c.der")
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert application_uri() in san.get_values_for_type(x509.UniformResourceIdentifier)
    if os.name == "posix":
        assert stat.S_IMODE((own / "k" / "key.pem").stat().st_mode) == 0o600
    key_bytes = (own / "k" / "key.pem").read_bytes()

    second, created = run(connect_once())  # a second driver, as after a station restart
    assert (second, created) == (first, False)
    assert (own / "k" / "key.pem").read_bytes() == key_bytes


def test_a_certificate_for_another_host_is_renewed_with_the_same_key(tmp_path: Path) -> None:
    cert_path, key_path = tmp_path / "cert.der", tmp_path / "key.pem"
    made = ensure_client_certificate(cert_path, key_path, "urn:pro4-hmi:old-host", "old-host")
    key_bytes = key_path.read_bytes()
    renewed = ensure_client_certificate(cert_path, key_path, "urn:pro4-hmi:new-host", "new-host")
    assert renewed.created and renewed.thumbprint != made.thumbprint
    assert key_path.read_bytes() == key_bytes  # servers that know the key still do


def make_ca(name: str) -> tuple[x509.Certificate, Any]:
    key = cert_gen.generate_private_key()
    cert = cert_gen.generate_self_signed_app_certificate(key, name, {}, [], [])  # [] = a CA
    return cert, key


def test_a_server_certificate_issued_by_a_trusted_ca_is_trusted(tmp_path: Path) -> None:
    ca, ca_key = make_ca("Plant CA")
    impostor, _ = make_ca("Plant CA")  # same name, other key: must not pass for it
    csr = cert_gen.generate_app_certificate_signing_request(
        cert_gen.generate_private_key(),
        "PLC7",
        {},
        [x509.UniformResourceIdentifier("urn:plc7")],
        [ExtendedKeyUsageOID.SERVER_AUTH],
    )
    server_cert = cert_gen.sign_certificate_request(csr, ca, ca_key)

    def pki_trusting(ca_cert: x509.Certificate, folder: Path) -> Pki:
        folder.mkdir()
        (folder / "ca.der").write_bytes(ca_cert.public_bytes(serialization.Encoding.DER))
        return Pki(trust_dir=folder, cert=tmp_path / "c.der", key=tmp_path / "k.pem")

    asyncio.run(check_server_trusted(server_cert, pki_trusting(ca, tmp_path / "good")))
    with pytest.raises(SecurityFailure, match=thumbprint(server_cert)):
        asyncio.run(check_server_trusted(server_cert, pki_trusting(impostor, tmp_path / "bad")))


def test_a_mode_the_server_does_not_offer_is_named(
    secure_server: SecureTestServer, station: Station
) -> None:
    trust(secure_server, station)
    config = plant(
        secure_server.endpoint, tags(secure_server)[:1], **station.conn(security_mode="Sign")
    )

    async def body() -> None:
        async with Harness(config) as h:
            await until(lambda: "offers no" in h.rec.details(), 15, "no such endpoint")
            detail = disconnected_detail(h)
            assert "Basic256Sha256/Sign endpoint" in detail
            assert "Basic256Sha256/SignAndEncrypt" in detail  # what it does offer

    run(body())


def test_an_unsecured_connection_to_a_secure_only_server_says_what_to_set(
    secure_server: SecureTestServer, station: Station
) -> None:
    config = plant(
        secure_server.endpoint,
        tags(secure_server)[:1],
        **station.conn(security_policy="None", security_mode="None", username=None, password=None),
    )

    async def body() -> None:
        async with Harness(config) as h:
            await until(lambda: "no unsecured endpoint" in h.rec.details(), 15, "told")
            assert "set security_policy" in disconnected_detail(h)

    run(body())


def test_a_missing_password_variable_is_a_clear_connection_detail(
    secure_server: SecureTestServer, station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    trust(secure_server, station)
    monkeypatch.delenv(PASSWORD_ENV)
    config = plant(secure_server.endpoint, tags(secure_server)[:1], **station.conn())

    async def body() -> None:
        async with Harness(config) as h:
            await until(lambda: PASSWORD_ENV in h.rec.details(), 15, "missing variable named")
            assert disconnected_detail(h) == (
                f"password for user '{USER}': environment variable {PASSWORD_ENV} is not set "
                f"(from 'env:{PASSWORD_ENV}')"
            )

    run(body())


# --------------------------------------------------------------------------- config and secrets


PLANT = """\
[plant]
name = "p"
title = "P"

[[connections]]
name = "plc1"
driver = "opcua"
endpoint = "opc.tcp://127.0.0.1:4840"
{extra}
"""


SECURED = 'security_policy = "Basic256Sha256"\nsecurity_mode = "SignAndEncrypt"\n'


def config_problems(tmp_path: Path, extra: str) -> str:
    path = tmp_path / "plant.toml"
    path.write_text(PLANT.format(extra=extra), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    return str(err.value)


def test_a_literal_password_in_the_config_is_refused_without_echoing_it(tmp_path: Path) -> None:
    extra = SECURED + 'username = "op"\npassword = "hunter2-secret"'
    problems = config_problems(tmp_path, extra)
    assert problems.startswith("plant.toml:12: connections[0].password: a secret must not be")
    assert "env:PLC1_PASSWORD" in problems
    assert "hunter2" not in problems


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('security_mode = "Sign"', "plant.toml:9: connections[0].security_mode: security_mode"),
        (
            'security_policy = "Basic256Sha256"',
            "connections[0].security_mode: security_policy 'Basic256Sha256' needs security_mode",
        ),
        (
            'username = "op"\npassword = "env:OP_PASSWORD"',
            "plant.toml:9: connections[0].username: a username needs a security_policy",
        ),
        (
            SECURED + 'username = "op"',
            "plant.toml:5: connections[0].password: username needs a password reference",
        ),
        ('security_policy = "Basic128Rsa15"', "plant.toml:9: connections[0].security_policy:"),
        (
            SECURED + 'username = "op"\npassword = "env:bad name"',
            "plant.toml:12: connections[0].password: malformed secret reference",
        ),
    ],
)
def test_inconsistent_security_settings_are_config_errors(
    tmp_path: Path, extra: str, expected: str
) -> None:
    assert expected in config_problems(tmp_path, extra)


def test_a_secured_connection_config_loads(tmp_path: Path) -> None:
    path = tmp_path / "plant.toml"
    extra = (
        'security_policy = "Aes256_Sha256_RsaPss"\nsecurity_mode = "Sign"\n'
        'username = "op"\npassword = "keyring:pro4-hmi/op"\ntrust_dir = "pki/trusted"'
    )
    path.write_text(PLANT.format(extra=extra), encoding="utf-8")
    conn = load_config(path).connection("plc1")
    assert (conn.security_policy, conn.security_mode, conn.password) == (
        "Aes256_Sha256_RsaPss",
        "Sign",
        "keyring:pro4-hmi/op",
    )
    pki = Pki.for_connection(conn, root=tmp_path / "data")
    assert pki.trust_dir == Path("pki/trusted")
    assert pki.cert == tmp_path / "data" / "own" / "cert.der"


def test_env_references_resolve_and_a_missing_variable_says_which() -> None:
    assert resolve_secret("env:PLC1_PASSWORD", {"PLC1_PASSWORD": "s3cret"}) == "s3cret"
    with pytest.raises(SecretError, match="environment variable PLC1_PASSWORD is not set"):
        resolve_secret("env:PLC1_PASSWORD", {})
    with pytest.raises(SecretError, match="must not be written in the config"):
        resolve_secret("s3cret", {})


def test_keyring_references_use_the_optional_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # not installed
    with pytest.raises(SecretError, match="pip install keyring"):
        resolve_secret("keyring:pro4-hmi/plc1")

    class FakeKeyring:  # stands in for the OS keyring, which a test machine lacks
        @staticmethod
        def get_password(service: str, user: str) -> str | None:
            return "from-keyring" if (service, user) == ("pro4-hmi", "plc1") else None

    monkeypatch.setitem(sys.modules, "keyring", FakeKeyring)
    assert resolve_secret("keyring:pro4-hmi/plc1") == "from-keyring"
    with pytest.raises(SecretError, match="keyring set pro4-hmi other"):
        resolve_secret("keyring:pro4-hmi/other")


# --------------------------------------------------------------------------- read-only Modbus


class ListAudit:
    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    def append(self, entry: AuditEntry) -> None:
        self.entries.append(entry)


def test_a_write_to_a_read_only_modbus_connection_never_leaves_the_station() -> None:
    async def body() -> None:
        async with PymodbusServer() as device:
            await device.write("hr", 10, [7])
            conn = dict(name="mb", driver="modbus", host="127.0.0.1", port=device.port,
                        poll_ms=50, timeout_s=1.0, read_only=True)  # fmt: skip
            tag = dict(name="M.SP", connection="mb", address="hr:10", type="int16",
                       writable=True)  # fmt: skip
            config = PlantConfig.model_validate(
                {"plant": {"name": "t", "title": "T"}, "connections": [conn], "tags": [tag]}
            )
            h = Harness(config)
            audit = ListAudit()
            h.rt.commands.use_security(Security(config.security, audit=audit))
            async with h:
                await until(lambda: h.tv("M.SP").value == 7, 10, "device read")
                result = await h.rt.commands.write("M.SP", 99)
            assert not result.ok
            assert result.error == "connection 'mb' is read-only: no write leaves the station"
            assert await device.read("hr", 10) == [7]
            assert not {6, 16} & set(device.requests)  # no write function code arrived
            assert [(e.action, e.result, e.target) for e in audit.entries] == [
                ("write", "denied", "M.SP")
            ]
            assert audit.entries[0].detail == result.error

    run(body())
