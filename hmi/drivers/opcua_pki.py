"""This station's OPC UA identity and the PKI folders one connection uses.

The station's own application certificate is made on first use (asyncua's
`cert_gen`), stored in the data directory and reused afterwards, so servers
that trusted it keep trusting it. An X.509 user identity is read and checked
here too. `SecurityFailure` lives here, the lowest of the OPC UA security
modules, because every step (own certificate, server checks, policy) raises it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from asyncua.crypto import cert_gen
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from platformdirs import user_data_dir

from hmi.config_connections import OpcUaConnection

log = logging.getLogger(__name__)

APP_NAME = "pro4-hmi"  # same folder as the store's default database (hmi.store.database)
CERT_DAYS = 5 * 365  # a new certificate means re-trusting it on every server: not yearly

# Two connections starting together must not each make a different key for the one
# station certificate; a lock (not state) shared by every connection in the process.
_GENERATING = threading.Lock()


class SecurityFailure(Exception):
    """A secure connection cannot be made; the message is what the integrator must do."""


# --------------------------------------------------------------------------- where things live


def default_pki_root() -> Path:
    """`<user data dir>/pki`: own/ (this station's certificate), trusted/ (servers, CAs),
    trusted/crl/ (their revocation lists)."""
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "pki"


@dataclass(frozen=True)
class Pki:
    """The files one connection uses: its trust and CRL folders, the station's certificate."""

    trust_dir: Path
    cert: Path
    key: Path
    crl_dir: Path | None = None  # None: <trust_dir>/crl (see `crls`)

    @classmethod
    def for_connection(cls, conn: OpcUaConnection, root: Path | None = None) -> Pki:
        """The connection's paths, each defaulting into `root` (the data directory's pki/)."""
        root = root or default_pki_root()

        def pick(given: Path | None, default: Path) -> Path:
            return given.expanduser() if given is not None else default

        trust_dir = pick(conn.trust_dir, root / "trusted")
        return cls(
            trust_dir=trust_dir,
            cert=pick(conn.client_cert, root / "own" / "cert.der"),
            key=pick(conn.client_key, root / "own" / "private" / "key.pem"),
            crl_dir=pick(conn.crl_dir, trust_dir / "crl"),
        )

    @property
    def rejected_dir(self) -> Path:
        return self.trust_dir / "rejected"

    @property
    def crls(self) -> Path:
        """The folder of certificate revocation lists (CRLs) checked with the trust list."""
        return self.crl_dir if self.crl_dir is not None else self.trust_dir / "crl"


def application_uri(host: str | None = None) -> str:
    """This station's ApplicationUri: it must equal the URI in its certificate."""
    return f"urn:{APP_NAME}:{host or socket.gethostname()}"


# --------------------------------------------------------------------------- certificates


def thumbprint(cert: x509.Certificate) -> str:
    """SHA-1 thumbprint as UA tools show it: `AB:CD:…` (20 bytes)."""
    return cert.fingerprint(hashes.SHA1()).hex(":").upper()  # an identifier, not a signature


def common_name(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def load_certificate_file(path: Path) -> x509.Certificate:
    """A DER or PEM certificate file (by content, whatever its extension)."""
    data = path.read_bytes()
    if data.lstrip().startswith(b"-----BEGIN"):
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


@dataclass(frozen=True)
class ClientCertificate:
    """The station's application certificate as found or made on disk."""

    cert_path: Path
    key_path: Path
    thumbprint: str
    created: bool


def ensure_client_certificate(
    cert_path: Path, key_path: Path, app_uri: str, host: str | None = None
) -> ClientCertificate:
    """Reuse the station's certificate, or make it (key 0600) when missing or unusable.

    Blocking (RSA key generation, file I/O): run it in a worker thread. A key that
    exists is never replaced, so a renewed certificate keeps the key servers know.
    """
    host = host or socket.gethostname()
    with _GENERATING:
        key = _load_key(key_path)
        cert = _load_cert(cert_path)
        if key is not None and cert is not None and _usable(cert, key, app_uri):
            return ClientCertificate(cert_path, key_path, thumbprint(cert), created=False)
        if key is None:
            key = cert_gen.generate_private_key()
            write_atomic(key_path, cert_gen.dump_private_key_as_pem(key), private=True)
        cert = cert_gen.generate_self_signed_app_certificate(
            key,
            f"Pro4 HMI@{host}",
            {},
            [x509.UniformResourceIdentifier(app_uri), x509.DNSName(host)],
            [ExtendedKeyUsageOID.CLIENT_AUTH],
            days=CERT_DAYS,
        )
        write_atomic(cert_path, cert.public_bytes(serialization.Encoding.DER))
        made = ClientCertificate(cert_path, key_path, thumbprint(cert), created=True)
        log.warning(
            "made this station's OPC UA certificate %s (thumbprint %s): "
            "servers must trust it before a secure session works",
            cert_path,
            made.thumbprint,
        )
        return made


def load_rsa_key(path: Path) -> rsa.RSAPrivateKey | None:
    """The unencrypted RSA key in PEM file `path`; None when there is no file;
    ValueError saying why an existing file is not usable (callers say whose key)."""
    if not path.is_file():
        return None
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise ValueError(str(exc)) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("not an RSA private key")
    return key


def _load_key(path: Path) -> rsa.RSAPrivateKey | None:
    try:
        return load_rsa_key(path)
    except ValueError as exc:
        raise SecurityFailure(
            f"cannot read this station's private key {path}: {exc} "
            "(restore it, or delete it to make a new certificate that servers must re-trust)"
        ) from None


def _load_cert(path: Path) -> x509.Certificate | None:
    try:
        return load_certificate_file(path) if path.is_file() else None
    except ValueError:
        log.warning("unreadable client certificate %s: making a new one", path)
        return None


def _usable(cert: x509.Certificate, key: rsa.RSAPrivateKey, app_uri: str) -> bool:
    """Matches the key, carries the ApplicationUri, and is valid now."""
    now = datetime.now(UTC)
    if not cert.not_valid_before_utc <= now < cert.not_valid_after_utc:
        log.warning("client certificate outside its validity (%s): renewing", thumbprint(cert))
        return False
    if cert.public_key().public_numbers() != key.public_key().public_numbers():
        log.warning("client certificate does not match the key: renewing")
        return False
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return False
    if app_uri not in san.get_values_for_type(x509.UniformResourceIdentifier):
        log.warning("client certificate lacks ApplicationUri %s: renewing", app_uri)
        return False
    return True


def write_atomic(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if private:
        with contextlib.suppress(OSError):  # not on every OS
            path.parent.chmod(0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


# --------------------------------------------------------------------------- user certificate


@dataclass(frozen=True)
class UserCertificate:
    """An X.509 user identity read, checked and ready for asyncua's loaders."""

    cert_path: Path
    key_path: Path
    cert_format: str  # "pem" or "der", by content: asyncua goes by the file extension
    key_format: str
    thumbprint: str
    name: str


def load_user_certificate(
    cert_path: Path, key_path: Path, password: str | None = None
) -> UserCertificate:
    """Read the user's certificate and key, check they belong together and are valid now.

    Blocking (files, key decryption): run it in a worker thread.
    """
    try:
        cert_data, key_data = cert_path.read_bytes(), key_path.read_bytes()
    except OSError as exc:
        raise SecurityFailure(
            f"user certificate: cannot read {exc.filename}: {exc.strerror}"
        ) from None
    cert_format, key_format = _format(cert_data), _format(key_data)
    try:
        if cert_format == "pem":
            cert = x509.load_pem_x509_certificate(cert_data)
        else:
            cert = x509.load_der_x509_certificate(cert_data)
    except ValueError as exc:
        raise SecurityFailure(f"user certificate {cert_path} is not a certificate: {exc}") from None
    secret = password.encode() if password is not None else None
    try:
        if key_format == "pem":
            key = serialization.load_pem_private_key(key_data, password=secret)
        else:
            key = serialization.load_der_private_key(key_data, password=secret)
    except (ValueError, TypeError) as exc:
        hint = "set user_key_password" if password is None else "check user_key_password"
        raise SecurityFailure(f"cannot read user key {key_path}: {exc} ({hint})") from None
    if cert.public_key() != key.public_key():
        raise SecurityFailure(f"user key {key_path} is not the key of user certificate {cert_path}")
    now = datetime.now(UTC)
    if not cert.not_valid_before_utc <= now < cert.not_valid_after_utc:
        raise SecurityFailure(
            f"user certificate {cert_path} ({thumbprint(cert)}) is valid only "
            f"{cert.not_valid_before_utc:%Y-%m-%d} to {cert.not_valid_after_utc:%Y-%m-%d}"
        )
    return UserCertificate(
        cert_path, key_path, cert_format, key_format, thumbprint(cert), common_name(cert)
    )


def _format(data: bytes) -> str:
    return "pem" if data.lstrip().startswith(b"-----BEGIN") else "der"
