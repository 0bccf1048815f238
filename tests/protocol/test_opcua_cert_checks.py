"""Is a trusted server certificate still good, and is it this server's?

Revocation lists (the server's certificate, or the CA above it), the host name the
station dials, the ApplicationUri the server announces, and key usage. Real asyncua
servers on 127.0.0.1 (SignAndEncrypt, username/password) present certificates made
here from one small plant PKI (root CA → line CA → server); the client is the real
driver in a real Runtime, and a refusal is what the connection shows.
"""

from __future__ import annotations

import asyncio
import ipaddress
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from asyncua import ua
from asyncua.crypto import cert_gen
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from hmi.config import ConfigError, load_config
from hmi.drivers.base import ConnectionState
from hmi.drivers.opcua_pki import Pki, SecurityFailure, load_user_certificate, thumbprint
from hmi.drivers.opcua_server_checks import check_server_trusted, host_matches
from hmi.sim.security import LOOPBACK, ensure_server_certificate
from hmi.sim.security import SERVER_URI as SIM_URI
from tests.protocol.test_opcua_driver import Harness, plant, run, until
from tests.protocol.test_opcua_secure import (
    PASSWORD,
    PASSWORD_ENV,
    SERVER_URI,
    USER,
    SecureTestServer,
    disconnected_detail,
    tags,
)

pytestmark = pytest.mark.protocol

LOCAL = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
APP_USAGE = dict(digital_signature=True, content_commitment=True, key_encipherment=True,
                 data_encipherment=True, key_cert_sign=False, crl_sign=False)  # fmt: skip
CA_USAGE = dict(digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_cert_sign=True, crl_sign=True)  # fmt: skip
DER = serialization.Encoding.DER


# --------------------------------------------------------------------------- a small plant PKI


@dataclass(frozen=True)
class Authority:
    cert: x509.Certificate
    key: rsa.RSAPrivateKey

    def issue(
        self,
        cn: str,
        key: rsa.RSAPrivateKey,
        *,
        sans: list[x509.GeneralName] | None = None,
        usage: dict[str, bool] = APP_USAGE,
        ca: bool = False,
    ) -> x509.Certificate:
        return _certificate(cn, key, self.cert.subject, self.key, sans, usage, ca)

    def crl(self, *revoked: x509.Certificate, signer: rsa.RSAPrivateKey | None = None) -> bytes:
        """A DER CRL of this CA listing `revoked` (signed by `signer` to forge one)."""
        now = datetime.now(UTC)
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.cert.subject)
            .last_update(now - timedelta(hours=1))
            .next_update(now + timedelta(days=7))
        )
        for cert in revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(cert.serial_number)
                .revocation_date(now - timedelta(minutes=5))
                .build()
            )
        return builder.sign(signer or self.key, hashes.SHA256()).public_bytes(DER)


def _certificate(
    cn: str,
    key: rsa.RSAPrivateKey,
    issuer: x509.Name | None,
    issuer_key: rsa.RSAPrivateKey,
    sans: list[x509.GeneralName] | None,
    usage: dict[str, bool],
    ca: bool,
) -> x509.Certificate:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer or subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(key_agreement=False, encipher_only=False, decipher_only=False, **usage),
            critical=True,
        )
    )
    if sans is not None:
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    if not ca:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
    return builder.sign(issuer_key, hashes.SHA256())


@dataclass(frozen=True)
class PlantPki:
    root: Authority
    line: Authority  # issued by root
    server_key: rsa.RSAPrivateKey

    def server_cert(self, **kw: Any) -> x509.Certificate:
        kw.setdefault("sans", [x509.UniformResourceIdentifier(SERVER_URI), *LOCAL])
        return self.line.issue("PLC7", self.server_key, **kw)


@pytest.fixture(scope="module")
def pki() -> PlantPki:
    """Three RSA keys for the module; every server certificate reuses the server key."""
    root_key, line_key = cert_gen.generate_private_key(), cert_gen.generate_private_key()
    root = Authority(_certificate("Plant Root CA", root_key, None, root_key, None, CA_USAGE,
                                  ca=True), root_key)  # fmt: skip
    line = Authority(root.issue("Line 1 CA", line_key, usage=CA_USAGE, ca=True), line_key)
    return PlantPki(root, line, cert_gen.generate_private_key())


@dataclass
class Station:
    trust_dir: Path
    own: Path

    @property
    def crl_dir(self) -> Path:
        return self.trust_dir / "crl"

    def trust(self, *certs: x509.Certificate) -> None:
        self.trust_dir.mkdir(parents=True, exist_ok=True)
        for cert in certs:
            (self.trust_dir / f"{thumbprint(cert).replace(':', '')}.der").write_bytes(
                cert.public_bytes(DER)
            )

    def add_crl(self, name: str, data: bytes) -> Path:
        self.crl_dir.mkdir(parents=True, exist_ok=True)
        path = self.crl_dir / name
        path.write_bytes(data)
        return path

    def conn(self, **kw: Any) -> dict[str, Any]:
        """The secured connection's settings; username/password unless `kw` says otherwise."""
        return {
            "security_policy": "Basic256Sha256",
            "security_mode": "SignAndEncrypt",
            "username": USER,
            "password": f"env:{PASSWORD_ENV}",
            "trust_dir": str(self.trust_dir),
            "client_cert": str(self.own / "cert.der"),
            "client_key": str(self.own / "private" / "key.pem"),
            **kw,
        }

    def pki(self) -> Pki:
        return Pki(self.trust_dir, self.own / "cert.der", self.own / "private" / "key.pem")


@pytest.fixture(scope="module")
def own_pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("own-pki")  # the station's key: made once for the module


@pytest.fixture
def station(tmp_path: Path, own_pki: Path, monkeypatch: pytest.MonkeyPatch) -> Station:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    return Station(trust_dir=tmp_path / "trusted", own=own_pki)


@pytest.fixture
def serve(tmp_path: Path, pki: PlantPki) -> Iterator[Any]:
    """`serve(cert)`: a started secure test server presenting `cert` (stopped after)."""
    servers: list[SecureTestServer] = []

    def start(cert: x509.Certificate, **kw: Any) -> SecureTestServer:
        folder = tmp_path / f"server{len(servers)}"
        folder.mkdir()
        (folder / "server.der").write_bytes(cert.public_bytes(DER))
        (folder / "server.pem").write_bytes(cert_gen.dump_private_key_as_pem(pki.server_key))
        server = SecureTestServer(folder / "server.der", folder / "server.pem", **kw)
        servers.append(server.start())
        return server

    yield start
    for server in servers:
        server.stop()


def refused(server: SecureTestServer, config: Any, expect: str) -> str:
    """The connection's detail once it shows `expect`; the password never went out."""

    async def body() -> str:
        before = len(server.users.attempts)
        async with Harness(config) as h:
            await until(lambda: expect in h.rec.details(), 20, f"'{expect}' shown")
            assert h.state is ConnectionState.DISCONNECTED
            assert len(server.users.attempts) == before  # refused before any session
            return disconnected_detail(h)

    return run(body())


def connects(config: Any) -> None:
    async def body() -> None:
        async with Harness(config) as h:
            await h.connected_and_good(["T.Double"], timeout=20)

    run(body())


# --------------------------------------------------------------------------- revocation


def test_a_server_certificate_in_its_cas_crl_is_refused_naming_the_crl(
    pki: PlantPki, station: Station, serve: Any
) -> None:
    cert = pki.server_cert()
    server = serve(cert)
    station.trust(pki.root.cert, pki.line.cert)
    crl = station.add_crl("line1.crl", pki.line.crl(cert))
    config = plant(server.endpoint, tags(server)[:1], **station.conn())

    detail = refused(server, config, "revoked")
    assert detail.startswith(f"server certificate revoked: thumbprint {thumbprint(cert)} (PLC7)")
    assert f"is listed in {crl}" in detail


def test_a_server_certificate_whose_ca_is_revoked_is_refused(
    pki: PlantPki, station: Station, serve: Any
) -> None:
    cert = pki.server_cert()
    server = serve(cert)
    station.trust(pki.root.cert, pki.line.cert)
    station.add_crl("line1.crl", pki.line.crl())  # the line CA revokes nothing
    crl = station.add_crl("root.pem", _pem_crl(pki.root.crl(pki.line.cert)))  # PEM works too
    config = plant(server.endpoint, tags(server)[:1], **station.conn())

    detail = refused(server, config, "revoked")
    assert thumbprint(cert) in detail
    assert f"issued by CA 'Line 1 CA' (thumbprint {thumbprint(pki.line.cert)})" in detail
    assert f"which is listed in {crl}" in detail


def test_crls_that_revoke_other_certificates_let_the_server_in(
    pki: PlantPki, station: Station, serve: Any
) -> None:
    cert, other = pki.server_cert(), pki.server_cert()  # same names, another serial
    server = serve(cert)
    station.trust(pki.root.cert, pki.line.cert)
    station.add_crl("line1.der", pki.line.crl(other))
    station.add_crl("root.der", pki.root.crl())
    connects(plant(server.endpoint, tags(server)[:1], **station.conn()))


def test_the_crl_folder_is_configurable(tmp_path: Path, pki: PlantPki, station: Station) -> None:
    cert = pki.server_cert()
    station.trust(pki.root.cert, pki.line.cert)
    elsewhere = tmp_path / "plant-crls"
    elsewhere.mkdir()
    (elsewhere / "line1.crl").write_bytes(pki.line.crl(cert))
    asyncio.run(check_server_trusted(cert, station.pki()))  # default folder: nothing revoked
    moved = Pki(station.trust_dir, station.own / "c.der", station.own / "k.pem", elsewhere)
    with pytest.raises(SecurityFailure, match=r"line1\.crl"):
        asyncio.run(check_server_trusted(cert, moved))


def test_a_forged_or_unreadable_crl_is_refused_not_ignored(pki: PlantPki, station: Station) -> None:
    cert = pki.server_cert()
    station.trust(pki.root.cert, pki.line.cert)
    forged = station.add_crl("line1.crl", pki.line.crl(cert, signer=pki.server_key))
    with pytest.raises(SecurityFailure, match="did not sign it") as err:
        asyncio.run(check_server_trusted(cert, station.pki()))
    assert str(forged) in str(err.value)

    forged.unlink()
    broken = station.add_crl("garbage.crl", b"not a CRL")
    with pytest.raises(SecurityFailure, match="cannot read certificate revocation list") as err:
        asyncio.run(check_server_trusted(cert, station.pki()))
    assert str(broken) in str(err.value)


def _pem_crl(der: bytes) -> bytes:
    return x509.load_der_x509_crl(der).public_bytes(serialization.Encoding.PEM)


# --------------------------------------------------------------------------- identity


def test_a_certificate_not_naming_the_dialled_host_is_refused_unless_relaxed(
    pki: PlantPki, station: Station, serve: Any
) -> None:
    sans = [x509.UniformResourceIdentifier(SERVER_URI), x509.DNSName("plc7.plant.local")]
    cert = pki.server_cert(sans=sans)
    server = serve(cert)
    station.trust(pki.root.cert, pki.line.cert)

    detail = refused(
        server, plant(server.endpoint, tags(server)[:1], **station.conn()), "does not name host"
    )
    assert f"server certificate {thumbprint(cert)} (PLC7) does not name host '127.0.0.1'" in detail
    assert "it names 'plc7.plant.local'" in detail
    assert "set check_hostname = false" in detail

    relaxed = station.conn(check_hostname=False)  # a lab device reached by its IP
    connects(plant(server.endpoint, tags(server)[:1], **relaxed))


def test_a_certificate_for_another_application_uri_is_refused(
    pki: PlantPki, station: Station, serve: Any
) -> None:
    cert = pki.server_cert(sans=[x509.UniformResourceIdentifier("urn:other:plc"), *LOCAL])
    server = serve(cert)
    station.trust(pki.root.cert, pki.line.cert)
    relaxed = station.conn(check_hostname=False)  # relaxing the host does not relax the URI

    detail = refused(server, plant(server.endpoint, tags(server)[:1], **relaxed), "not the server")
    assert f"announces ApplicationUri '{SERVER_URI}'" in detail
    assert "the certificate is for 'urn:other:plc'" in detail


def test_a_certificate_without_key_encipherment_is_refused(
    pki: PlantPki, station: Station, serve: Any
) -> None:
    cert = pki.server_cert(usage={**APP_USAGE, "key_encipherment": False})
    server = serve(cert)
    station.trust(pki.root.cert, pki.line.cert)

    detail = refused(
        server, plant(server.endpoint, tags(server)[:1], **station.conn()), "key usage"
    )
    assert f"server certificate {thumbprint(cert)} (PLC7) is not usable for OPC UA" in detail
    assert "lacks keyEncipherment" in detail
    assert "allows only digitalSignature, nonRepudiation, dataEncipherment" in detail


@pytest.mark.parametrize(
    ("host", "names", "ok"),
    [
        ("127.0.0.1", [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))], True),
        ("127.0.0.1", [x509.DNSName("127.0.0.1")], True),  # some devices spell IPs as DNS
        ("127.0.0.1", [x509.DNSName("localhost")], False),  # no resolving: what is dialled
        ("PLC7.Plant.Local", [x509.DNSName("plc7.plant.local")], True),
        ("plc7.plant.local", [x509.DNSName("*.plant.local")], True),
        ("a.plc7.plant.local", [x509.DNSName("*.plant.local")], False),
        ("plant.local", [x509.DNSName("*.plant.local")], False),
        ("10.0.1.20", [x509.IPAddress(ipaddress.ip_address("10.0.1.21"))], False),
    ],
)
def test_host_name_matching(host: str, names: list[x509.GeneralName], ok: bool) -> None:
    assert host_matches(host, x509.SubjectAlternativeName(names)) is ok


# --------------------------------------------------------------------------- config and the demo


def test_crl_dir_and_check_hostname_load_from_the_config(tmp_path: Path) -> None:
    path = tmp_path / "plant.toml"
    path.write_text(
        '[plant]\nname = "p"\ntitle = "P"\n\n[[connections]]\nname = "plc1"\ndriver = "opcua"\n'
        'endpoint = "opc.tcp://10.0.1.20:4840"\nsecurity_policy = "Basic256Sha256"\n'
        'security_mode = "SignAndEncrypt"\ntrust_dir = "pki/trusted"\n'
        'crl_dir = "pki/crl"\ncheck_hostname = false\n',
        encoding="utf-8",
    )
    conn = load_config(path).connection("plc1")
    assert conn.check_hostname is False
    assert Pki.for_connection(conn, root=tmp_path).crls == Path("pki/crl")
    default = conn.model_copy(update={"crl_dir": None, "check_hostname": True})
    assert Pki.for_connection(default, root=tmp_path).crls == Path("pki/trusted/crl")


def test_the_simulator_certificate_names_loopback_and_an_old_one_is_renewed(
    tmp_path: Path,
) -> None:
    made = ensure_server_certificate(tmp_path, host="simhost")
    san = _sans(made.cert_path)
    assert SIM_URI in san.get_values_for_type(x509.UniformResourceIdentifier)
    assert set(LOOPBACK) <= set(san.get_values_for_type(x509.IPAddress))
    assert host_matches("127.0.0.1", san) and host_matches("localhost", san)

    # A certificate made before stations checked host names (no IP entries): renewed,
    # with the same key, so the demo keeps connecting after an upgrade.
    key = serialization.load_pem_private_key(made.key_path.read_bytes(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    old = cert_gen.generate_self_signed_app_certificate(
        key, "old sim", {}, [x509.UniformResourceIdentifier(SIM_URI), x509.DNSName("localhost")],
        [ExtendedKeyUsageOID.SERVER_AUTH],
    )  # fmt: skip
    made.cert_path.write_bytes(old.public_bytes(DER))
    key_bytes = made.key_path.read_bytes()
    renewed = ensure_server_certificate(tmp_path, host="simhost")
    assert renewed.created and renewed.thumbprint != thumbprint(old)
    assert made.key_path.read_bytes() == key_bytes
    assert host_matches("127.0.0.1", _sans(renewed.cert_path))


def _sans(path: Path) -> x509.SubjectAlternativeName:
    cert = x509.load_der_x509_certificate(path.read_bytes())
    return cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value


def test_an_untrusted_server_is_still_refused_as_untrusted_before_other_checks(
    pki: PlantPki, station: Station, serve: Any
) -> None:
    """Trust comes first: an unknown server's bad host name is not the first thing to fix."""
    cert = pki.server_cert(sans=[x509.UniformResourceIdentifier(SERVER_URI)])
    server = serve(cert)
    detail = refused(server, plant(server.endpoint, tags(server)[:1], **station.conn()),
                     "not trusted")  # fmt: skip
    assert thumbprint(cert) in detail
    rejected = list((station.trust_dir / "rejected").glob("*.der"))
    shutil.copy(rejected[0], station.trust_dir)  # trusted now: the host check speaks
    detail = refused(server, plant(server.endpoint, tags(server)[:1], **station.conn()),
                     "does not name host")  # fmt: skip
    assert "it names no host at all" in detail


# --------------------------------------------------------------------------- X.509 user identity

KEY_PASSWORD_ENV = "PRO4_TEST_USER_KEY_PASSWORD"


@dataclass(frozen=True)
class UserFiles:
    cert: x509.Certificate
    cert_path: Path
    key_path: Path


@pytest.fixture(scope="module")
def user(tmp_path_factory: pytest.TempPathFactory, pki: PlantPki) -> UserFiles:
    """An operator's user certificate (PEM, as a plant CA hands it out) and its key,
    encrypted with a password the station reads from the environment."""
    folder = tmp_path_factory.mktemp("user")
    key = cert_gen.generate_private_key()
    cert = pki.line.issue("HMI line 1", key, sans=[x509.UniformResourceIdentifier("urn:hmi:l1")])
    (folder / "user.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "user.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"key password"),
        )
    )
    return UserFiles(cert, folder / "user.crt", folder / "user.key")


def x509_conn(station: Station, user: UserFiles) -> dict[str, Any]:
    return station.conn(
        username=None,
        password=None,
        user_cert=str(user.cert_path),
        user_key=str(user.key_path),
        user_key_password=f"env:{KEY_PASSWORD_ENV}",
    )


def test_the_station_logs_in_with_a_user_certificate(
    pki: PlantPki, station: Station, serve: Any, user: UserFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_PASSWORD_ENV, "key password")
    server = serve(pki.server_cert(), tokens=(ua.X509IdentityToken,))
    server.users.certificates.add(thumbprint(user.cert))
    station.trust(pki.root.cert, pki.line.cert)

    connects(plant(server.endpoint, tags(server)[:1], **x509_conn(station, user)))
    assert server.users.attempts == [thumbprint(user.cert)]  # as that user, nothing else


def test_a_user_certificate_the_server_refuses_is_named(
    pki: PlantPki, station: Station, serve: Any, user: UserFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_PASSWORD_ENV, "key password")
    server = serve(pki.server_cert(), tokens=(ua.X509IdentityToken,))  # knows no user
    station.trust(pki.root.cert, pki.line.cert)
    config = plant(server.endpoint, tags(server)[:1], **x509_conn(station, user))

    async def body() -> str:
        async with Harness(config) as h:
            await until(lambda: "rejected" in h.rec.details(), 20, "user refusal shown")
            return disconnected_detail(h)

    assert run(body()) == (
        f"user certificate {thumbprint(user.cert)} (HMI line 1) rejected: BadUserAccessDenied "
        "(the server must trust it and map it to a user)"
    )


def test_a_wrong_key_password_or_key_is_a_clear_detail(
    tmp_path: Path, pki: PlantPki, user: UserFiles
) -> None:
    with pytest.raises(SecurityFailure, match=r"cannot read user key .*check user_key_password"):
        load_user_certificate(user.cert_path, user.key_path, "wrong")
    with pytest.raises(SecurityFailure, match="set user_key_password"):
        load_user_certificate(user.cert_path, user.key_path, None)
    other = tmp_path / "other.pem"
    other.write_bytes(cert_gen.dump_private_key_as_pem(pki.server_key))
    with pytest.raises(SecurityFailure, match="is not the key of user certificate"):
        load_user_certificate(user.cert_path, other)
    loaded = load_user_certificate(user.cert_path, user.key_path, "key password")
    assert (loaded.cert_format, loaded.key_format) == ("pem", "pem")  # .crt/.key by content
    assert loaded.thumbprint == thumbprint(user.cert)


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ('user_cert = "u.crt"', "user_cert and user_key go together"),
        (
            'user_cert = "u.crt"\nuser_key = "u.key"\nusername = "op"\npassword = "env:OP_PW"',
            "not both",
        ),
        ('user_cert = "u.crt"\nuser_key = "u.key"\nuser_key_password = "s3cret"',
         "must not be written in the config"),
    ],
)  # fmt: skip
def test_user_certificate_settings_are_checked_at_load(
    tmp_path: Path, keys: str, expected: str
) -> None:
    path = tmp_path / "plant.toml"
    path.write_text(
        '[plant]\nname = "p"\ntitle = "P"\n\n[[connections]]\nname = "plc1"\n'
        'driver = "opcua"\nendpoint = "opc.tcp://127.0.0.1:4840"\n'
        f'security_policy = "Basic256Sha256"\nsecurity_mode = "SignAndEncrypt"\n{keys}\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=expected):
        load_config(path)


def test_a_user_certificate_needs_a_security_policy(tmp_path: Path) -> None:
    path = tmp_path / "plant.toml"
    path.write_text(
        '[plant]\nname = "p"\ntitle = "P"\n\n[[connections]]\nname = "plc1"\n'
        'driver = "opcua"\nendpoint = "opc.tcp://127.0.0.1:4840"\n'
        'user_cert = "u.crt"\nuser_key = "u.key"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="a user certificate needs a security_policy"):
        load_config(path)
