"""The simulator's secured OPC UA endpoint (`hmi sim --secure`) and the demo config for it.

A real plant's OPC UA server offers signed and encrypted channels and asks for a
user; the demo can run that way too, so an integrator can rehearse trusting a
server before meeting a PLC. Secured, the simulator offers ONLY Basic256Sha256
with SignAndEncrypt (no unsecured endpoint to fall back to) and accepts one
user, `operator`, whose password it reads from the environment variable
HMI_SIM_PASSWORD — the same variable the secure demo config names, so both
sides agree without a password written anywhere.

The server certificate is made on first use into a folder (default
``<data dir>/sim``) and reused afterwards, so a station that trusted it once
keeps trusting it. Client certificates are not checked: the simulator is a
demo, identified by its own certificate and guarded by the password.

`resources/demo/plant-secure.toml` is GENERATED from `plant.toml` by
`secure_variant_text` (``python -m hmi.sim.security`` rewrites it): a copy made
by a function and checked byte for byte by a test cannot drift from the plant.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import re
import shutil
import socket
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from asyncua import Server, ua
from asyncua.crypto import cert_gen
from asyncua.crypto.permission_rules import User, UserRole
from asyncua.server.user_managers import UserManager
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID
from platformdirs import user_data_dir

from hmi.config import PlantConfig
from hmi.drivers.opcua_pki import (
    APP_NAME,
    CERT_DAYS,
    load_certificate_file,
    load_rsa_key,
    thumbprint,
    write_atomic,
)
from hmi.paths import DEMO_CONFIG, SECURE_DEMO_CONFIG
from hmi.sim import OPCUA_CONNECTION

SIM_USER = "operator"
PASSWORD_ENV = "HMI_SIM_PASSWORD"
SERVER_URI = "urn:pro4:bicycle-factory:sim-server"
POLICY = ua.SecurityPolicyType.Basic256Sha256_SignAndEncrypt
CERT_FILE = "server-cert.der"
KEY_FILE = Path("private") / "server-key.pem"
#: the addresses a station on this machine dials: the certificate must name them all,
#: or the station's host name check refuses the simulator
LOOPBACK = (ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1"))

#: what the secure variant changes in the `sim` connection, and nothing else
SECURE_FIELDS: dict[str, str] = {
    "security_policy": "Basic256Sha256",
    "security_mode": "SignAndEncrypt",
    "username": SIM_USER,
    "password": f"env:{PASSWORD_ENV}",
}


class SimSecurityError(Exception):
    """The simulator cannot serve securely; the message says what to do."""


def default_sim_dir() -> Path:
    """`<user data dir>/sim`: the simulator's certificate, beside the station's pki/."""
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "sim"


def sim_certificate_path(folder: Path | None = None) -> Path:
    """Where the simulator's server certificate (DER) is, or will be made."""
    return (folder or default_sim_dir()) / CERT_FILE


def sim_password(environ: Mapping[str, str] | None = None) -> str:
    """The demo user's password from HMI_SIM_PASSWORD; SimSecurityError when unset or empty."""
    value = (os.environ if environ is None else environ).get(PASSWORD_ENV, "")
    if not value:
        raise SimSecurityError(
            f"a secured simulator needs a password for user '{SIM_USER}': set the environment "
            f"variable {PASSWORD_ENV} (the secure demo config reads the same variable)"
        )
    return value


# --------------------------------------------------------------------------- certificate


@dataclass(frozen=True)
class ServerCertificate:
    """The simulator's certificate as found or made on disk."""

    cert_path: Path
    key_path: Path
    thumbprint: str
    created: bool


def _bind_names(bind: str | None) -> list[x509.GeneralName]:
    """The address the simulator serves on, as a certificate name (none for a wildcard):
    stations check the endpoint's host against the certificate's names."""
    if not bind:
        return []
    try:
        ip = ipaddress.ip_address(bind)
    except ValueError:
        return [x509.DNSName(bind)]
    return [] if ip.is_unspecified else [x509.IPAddress(ip)]


def ensure_server_certificate(
    folder: Path, host: str | None = None, bind: str | None = None
) -> ServerCertificate:
    """Reuse the simulator's certificate in `folder`, or make it (key 0600) when missing,
    expired, not matching its key or not naming `bind` (the address it serves on).
    Blocking (RSA key generation): run it off the loop.

    One simulator per folder: two starting together on an empty folder may each make one.
    """
    host = host or socket.gethostname()
    extra = _bind_names(bind)
    cert_path, key_path = folder / CERT_FILE, folder / KEY_FILE
    key = _load_key(key_path)
    if key is not None and cert_path.is_file():
        try:
            cert = load_certificate_file(cert_path)
        except ValueError:
            cert = None
        if cert is not None and _usable(cert, key, extra):
            return ServerCertificate(cert_path, key_path, thumbprint(cert), created=False)
    if key is None:
        key = cert_gen.generate_private_key()
        write_atomic(key_path, cert_gen.dump_private_key_as_pem(key), private=True)
    names: list[x509.GeneralName] = [x509.UniformResourceIdentifier(SERVER_URI)]
    names += [x509.DNSName(h) for h in dict.fromkeys([host, "localhost"])]
    names += [x509.IPAddress(ip) for ip in LOOPBACK]
    names += [n for n in extra if n not in names]
    cert = cert_gen.generate_self_signed_app_certificate(
        key,
        f"Pro4 bicycle factory simulator@{host}",
        {},
        names,
        [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH],
        days=CERT_DAYS,
    )
    write_atomic(cert_path, cert.public_bytes(serialization.Encoding.DER))
    return ServerCertificate(cert_path, key_path, thumbprint(cert), created=True)


def _load_key(path: Path) -> rsa.RSAPrivateKey | None:
    try:
        return load_rsa_key(path)
    except ValueError as exc:
        raise SimSecurityError(
            f"cannot read the simulator's key {path}: {exc} (delete it to make a new "
            "certificate, which stations must then trust again)"
        ) from None


def _usable(cert: x509.Certificate, key: rsa.RSAPrivateKey, extra: list[x509.GeneralName]) -> bool:
    """Valid now, matches the key, and names the simulator's URI, loopback addresses and
    `extra` (a certificate made before stations checked host names, or for another bind
    address, is renewed with the same key)."""
    now = datetime.now(UTC)
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return False
    return (
        all(n in san for n in extra)
        and cert.not_valid_before_utc <= now < cert.not_valid_after_utc
        and cert.public_key().public_numbers() == key.public_key().public_numbers()
        and SERVER_URI in san.get_values_for_type(x509.UniformResourceIdentifier)
        and set(LOOPBACK) <= set(san.get_values_for_type(x509.IPAddress))
        and "localhost" in san.get_values_for_type(x509.DNSName)
    )


# --------------------------------------------------------------------------- the server side


class SimUsers(UserManager):
    """asyncua user manager with the one demo user; everyone else is refused."""

    def __init__(self, password: str):
        self._password = password.encode()

    def get_user(
        self, iserver: Any, username: str | None = None, password: str | None = None,
        certificate: Any = None,
    ) -> User | None:  # fmt: skip
        given = (password or "").encode()
        if username == SIM_USER and hmac.compare_digest(given, self._password):
            return User(role=UserRole.User)  # reads and writes values, cannot edit the space
        return None


@dataclass(frozen=True)
class SimSecurity:
    """What a secured SimServer applies to its asyncua Server before starting it."""

    password: str
    certificate: ServerCertificate

    @classmethod
    def prepare(cls, folder: Path | None = None, bind: str | None = None) -> SimSecurity:
        """Password first (fails fast, before any key is made), then the certificate
        (naming `bind`, the address served on). Blocking: run it in a worker thread."""
        password = sim_password()
        certificate = ensure_server_certificate(folder or default_sim_dir(), bind=bind)
        return cls(password, certificate)

    async def apply(self, server: Server) -> None:
        """Basic256Sha256/SignAndEncrypt only, username tokens only, this certificate."""
        await server.set_application_uri(SERVER_URI)
        server.set_security_policy([POLICY])
        server.set_identity_tokens([ua.UserNameIdentityToken])
        server.iserver.set_user_manager(SimUsers(self.password))
        await server.load_certificate(str(self.certificate.cert_path), format="der")
        await server.load_private_key(str(self.certificate.key_path), format="pem")


# --------------------------------------------------------------------------- the client side


def trust_simulator(config: PlantConfig, server_cert: Path, trust_dir: Path) -> PlantConfig:
    """FOR THE DEMO ONLY: trust the simulator's certificate without asking.

    Copies it into `trust_dir` (a folder of the demo's own, not the station's trust
    list) and points the `sim` connection there. A real plant is trusted by a
    person who compared thumbprints (docs/opcua-security.md).
    """
    trust_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(server_cert, trust_dir / server_cert.name)
    return config.with_connection(OPCUA_CONNECTION, trust_dir=trust_dir)


# --------------------------------------------------------------------------- the secure demo config

_HEADER = """\
# GENERATED from plant.toml by `python -m hmi.sim.security` — do not edit: edit
# plant.toml and run that command (tests/protocol/test_sim_secure.py checks it).
#
# The demo plant against the SECURED simulator: the same plant, only connection
# "sim" differs (Basic256Sha256 + SignAndEncrypt, user "operator", password from
# the environment variable HMI_SIM_PASSWORD). docs/demo-plant.md, "Running the
# demo secured":
#
#     export HMI_SIM_PASSWORD=...                          # both terminals
#     hmi sim --secure                                     # terminal 1
#     hmi runtime --config resources/demo/plant-secure.toml  # terminal 2
#
"""
_TABLE_RE = re.compile(r"^\s*\[")
_SIM_NAME_RE = re.compile(rf'^\s*name\s*=\s*"{re.escape(OPCUA_CONNECTION)}"\s*(#.*)?$')
_KEY_LINE_RE = re.compile(r"^\s*[A-Za-z0-9_\-]+\s*=")


def secure_variant_text(plant_text: str) -> str:
    """`plant_text` with the security keys added to its `sim` connection, and a header.

    ValueError if the text has no `sim` connection, already secures it, or the
    result would differ from the plant in anything but those keys.
    """
    lines = plant_text.splitlines(keepends=True)
    start = next(
        (i for i, line in enumerate(lines) if line.strip() == "[[connections]]"
         and _sim_table(lines, i)),
        None,
    )  # fmt: skip
    if start is None:
        raise ValueError(f"no [[connections]] table named '{OPCUA_CONNECTION}'")
    last_key = start
    for i in range(start + 1, len(lines)):
        if _TABLE_RE.match(lines[i]):
            break
        if _KEY_LINE_RE.match(lines[i]):
            last_key = i
    added = [
        f'{key} = "{value}"\n' for key, value in SECURE_FIELDS.items()
    ]  # the comments on them live in the header: the keys stay plain to read
    text = _HEADER + "".join(lines[: last_key + 1] + added + lines[last_key + 1 :])
    _check_only_security_differs(plant_text, text)
    return text


def _sim_table(lines: list[str], start: int) -> bool:
    for line in lines[start + 1 :]:
        if _TABLE_RE.match(line):
            return False
        if _SIM_NAME_RE.match(line):
            return True
    return False


def _check_only_security_differs(plant_text: str, variant_text: str) -> None:
    plant, variant = tomllib.loads(plant_text), tomllib.loads(variant_text)
    conns = [c for c in plant.get("connections", []) if c.get("name") == OPCUA_CONNECTION]
    if any(key in conns[0] for key in SECURE_FIELDS):
        raise ValueError(f"plant.toml's '{OPCUA_CONNECTION}' connection already sets security")
    for conn in plant["connections"]:
        if conn.get("name") == OPCUA_CONNECTION:
            conn.update(SECURE_FIELDS)
    if plant != variant:
        raise ValueError("the secure variant would differ from plant.toml beyond security")


def write_secure_variant(source: Path = DEMO_CONFIG, target: Path = SECURE_DEMO_CONFIG) -> bool:
    """Regenerate `target` from `source`; True if it changed."""
    text = secure_variant_text(source.read_text(encoding="utf-8"))
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        return False
    target.write_text(text, encoding="utf-8")
    return True


if __name__ == "__main__":
    changed = write_secure_variant()
    print(f"{SECURE_DEMO_CONFIG}: {'rewritten' if changed else 'up to date'}")
    sys.exit(0)
