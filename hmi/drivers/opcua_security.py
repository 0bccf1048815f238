"""Secure OPC UA for one connection: client certificate, trust list, policy, user identity.

The driver calls `ClientSecurity.apply(client)` on every fresh asyncua `Client`
before `connect()`, and `ClientSecurity.describe(exc)` to turn a security
failure into the one line an operator or integrator reads next to the
connection. Everything else here is a pure helper.

Trust is explicit, as in every UA client: the station connects securely only
to a server whose certificate (or the CA that issued it) sits in the trust
folder. An unknown server is refused; its certificate is saved under
``<trust_dir>/rejected/`` and the message names its SHA-1 thumbprint and the
copy to make, so trusting it is one deliberate file operation.

A trusted certificate must also still be good and be the server's: not listed
(itself, or a CA above it) in a revocation list of the connection's CRL folder,
within its validity dates, allowed for an OPC UA application by its key usage,
issued for the ApplicationUri the server announces, and naming the host the
station dials (OPC UA Part 4 and 6; the host check can be relaxed per connection
for a lab device). Each refusal names what was expected and what was found.

The station's own application certificate is made on first use (asyncua's
`cert_gen`), stored in the data directory and reused afterwards, so servers
that trusted it keep trusting it.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
import re
import socket
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from asyncua import ua
from asyncua.common.utils import ServiceError
from asyncua.crypto import cert_gen, uacrypto
from asyncua.crypto.security_policies import (
    SecurityPolicy,
    SecurityPolicyAes128Sha256RsaOaep,
    SecurityPolicyAes256Sha256RsaPss,
    SecurityPolicyBasic256Sha256,
)
from asyncua.crypto.truststore import TrustStore
from asyncua.crypto.validator import CertificateValidator, CertificateValidatorOptions
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from platformdirs import user_data_dir

from hmi.config import OpcUaConnection
from hmi.secrets import SecretError, resolve_secret

if TYPE_CHECKING:
    from asyncua import Client

log = logging.getLogger(__name__)

APP_NAME = "pro4-hmi"  # same folder as the store's default database (hmi.store.database)
CERT_DAYS = 5 * 365  # a new certificate means re-trusting it on every server: not yearly

#: config name → asyncua policy class (the policies asyncua 2.1 implements and OPC UA
#: still recommends; Basic128Rsa15 and Basic256 are deprecated and not offered).
POLICIES: dict[str, type[SecurityPolicy]] = {
    "Basic256Sha256": SecurityPolicyBasic256Sha256,
    "Aes128_Sha256_RsaOaep": SecurityPolicyAes128Sha256RsaOaep,
    "Aes256_Sha256_RsaPss": SecurityPolicyAes256Sha256RsaPss,
}
MODES: dict[str, ua.MessageSecurityMode] = {
    "None": ua.MessageSecurityMode.None_,
    "Sign": ua.MessageSecurityMode.Sign,
    "SignAndEncrypt": ua.MessageSecurityMode.SignAndEncrypt,
}

_USER_REJECTED = frozenset(
    {
        ua.StatusCodes.BadUserAccessDenied,
        ua.StatusCodes.BadIdentityTokenRejected,
        ua.StatusCodes.BadIdentityTokenInvalid,
        ua.StatusCodes.BadUserSignatureInvalid,
    }
)
_CERT_EXTENSIONS = (".der", ".pem", ".crt", ".cer")
_CRL_EXTENSIONS = (".crl", ".der", ".pem")
_MAX_CHAIN = 8  # CA levels followed above a server certificate (plants use one or two)

#: KeyUsage bits an OPC UA application certificate must carry for the RSA channel:
#: signing (digitalSignature) and encrypting the channel's keys (keyEncipherment).
REQUIRED_KEY_USAGE = {
    "digital_signature": "digitalSignature",
    "key_encipherment": "keyEncipherment",
}
_KEY_USAGE_NAMES = {
    **REQUIRED_KEY_USAGE,
    "content_commitment": "nonRepudiation",
    "data_encipherment": "dataEncipherment",
    "key_agreement": "keyAgreement",
    "key_cert_sign": "keyCertSign",
    "crl_sign": "cRLSign",
}  # encipher_only/decipher_only are left out: cryptography raises unless keyAgreement

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
            _write_atomic(key_path, cert_gen.dump_private_key_as_pem(key), private=True)
        cert = cert_gen.generate_self_signed_app_certificate(
            key,
            f"Pro4 HMI@{host}",
            {},
            [x509.UniformResourceIdentifier(app_uri), x509.DNSName(host)],
            [ExtendedKeyUsageOID.CLIENT_AUTH],
            days=CERT_DAYS,
        )
        _write_atomic(cert_path, cert.public_bytes(serialization.Encoding.DER))
        made = ClientCertificate(cert_path, key_path, thumbprint(cert), created=True)
        log.warning(
            "made this station's OPC UA certificate %s (thumbprint %s): "
            "servers must trust it before a secure session works",
            cert_path,
            made.thumbprint,
        )
        return made


def _load_key(path: Path) -> rsa.RSAPrivateKey | None:
    if not path.is_file():
        return None
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise SecurityFailure(
            f"cannot read this station's private key {path}: {exc} "
            "(restore it, or delete it to make a new certificate that servers must re-trust)"
        ) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SecurityFailure(f"{path} is not an RSA private key")
    return key


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


def _write_atomic(path: Path, data: bytes, *, private: bool = False) -> None:
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


# --------------------------------------------------------------------------- trust


def trusted_certificates(trust_dir: Path) -> list[x509.Certificate]:
    """Every readable certificate directly in `trust_dir` (DER or PEM); makes the folder
    when missing, so the integrator finds where trust goes."""
    out: list[x509.Certificate] = []
    trust_dir.mkdir(parents=True, exist_ok=True)
    for path in sorted(trust_dir.iterdir()):
        if path.is_file() and path.suffix.lower() in _CERT_EXTENSIONS:
            try:
                out.append(load_certificate_file(path))
            except ValueError:
                log.warning("ignoring %s in the trust list: not a certificate", path)
    return out


async def check_server_trusted(cert: x509.Certificate, pki: Pki) -> None:
    """Return if `cert` is trusted (itself or its issuing CA), not revoked and valid now.

    An untrusted certificate is saved into `<trust_dir>/rejected/` so the integrator
    can inspect it and move it into the trust folder.
    """
    trusted = await asyncio.to_thread(trusted_certificates, pki.trust_dir)
    print_ = thumbprint(cert)
    ok = any(thumbprint(t) == print_ for t in trusted)
    if not ok and any(t.subject == cert.issuer and t.subject != cert.subject for t in trusted):
        store = TrustStore([pki.trust_dir], [])  # CA-issued server certificate: check the chain
        await store.load_trust()
        ok = store.is_trusted(cert)
    if not ok:
        saved = await asyncio.to_thread(save_rejected, cert, pki.rejected_dir)
        raise SecurityFailure(
            f"server certificate not trusted: thumbprint {print_} ({common_name(cert)}) — "
            f"copy {saved} into {pki.trust_dir} to trust it"
        )
    crls = await asyncio.to_thread(load_crls, pki.crls)
    check_not_revoked(issuer_chain(cert, trusted), crls, trusted)
    now = datetime.now(UTC)
    if now >= cert.not_valid_after_utc:
        raise SecurityFailure(
            f"server certificate {print_} expired on {cert.not_valid_after_utc:%Y-%m-%d}: "
            "the server needs a new certificate (then trust that one)"
        )
    if now < cert.not_valid_before_utc:
        raise SecurityFailure(
            f"server certificate {print_} is valid only from "
            f"{cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC: check both clocks"
        )


# --------------------------------------------------------------------------- revocation
#
# asyncua's TrustStore also reads CRL folders, but it matches a revoked serial number
# whatever CA issued it (serials are unique only per CA) and cannot say which file
# revoked the certificate; cryptography's CRL lookup by issuer and serial does both.


def load_crls(crl_dir: Path) -> list[tuple[Path, x509.CertificateRevocationList]]:
    """Every CRL file directly in `crl_dir` (DER or PEM), made when missing so the
    integrator finds where CRLs go. An unreadable file refuses: a revocation list
    that cannot be read cannot be honoured, and silently skipping it would trust
    what it revokes."""
    crl_dir.mkdir(parents=True, exist_ok=True)
    out: list[tuple[Path, x509.CertificateRevocationList]] = []
    for path in sorted(crl_dir.iterdir()):
        if not (path.is_file() and path.suffix.lower() in _CRL_EXTENSIONS):
            continue
        data = path.read_bytes()
        try:
            if data.lstrip().startswith(b"-----BEGIN"):
                crl = x509.load_pem_x509_crl(data)
            else:
                crl = x509.load_der_x509_crl(data)
        except ValueError as exc:
            raise SecurityFailure(
                f"cannot read certificate revocation list {path}: {exc} "
                "(replace it with the CA's current CRL, or remove it)"
            ) from None
        out.append((path, crl))
    return out


def issuer_chain(cert: x509.Certificate, trusted: list[x509.Certificate]) -> list[x509.Certificate]:
    """`cert`, then each trusted CA certificate that signed the one before, up to a root."""
    chain = [cert]
    while len(chain) < _MAX_CHAIN and chain[-1].issuer != chain[-1].subject:
        child = chain[-1]
        parent = next(
            (t for t in trusted if t.subject == child.issuer and _issued_by(child, t)), None
        )
        if parent is None or parent in chain:
            break
        chain.append(parent)
    return chain


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def check_not_revoked(
    chain: list[x509.Certificate],
    crls: list[tuple[Path, x509.CertificateRevocationList]],
    trusted: list[x509.Certificate],
) -> None:
    """SecurityFailure if any certificate of `chain` (server first) is in a CRL of its issuer.

    A CRL whose issuer is a trusted certificate must carry that certificate's
    signature; one that does not is refused rather than believed or ignored.
    """
    server = chain[0]
    for member in chain:
        for path, crl in crls:
            if crl.issuer != member.issuer:
                continue
            entry = crl.get_revoked_certificate_by_serial_number(member.serial_number)
            if entry is None:
                continue
            _check_crl_signature(path, crl, trusted)
            when = f"revoked {entry.revocation_date_utc:%Y-%m-%d}"
            if member is server:
                raise SecurityFailure(
                    f"server certificate revoked: thumbprint {thumbprint(server)} "
                    f"({common_name(server)}) is listed in {path} ({when}) — "
                    "the server needs a new certificate"
                )
            raise SecurityFailure(
                f"server certificate revoked: thumbprint {thumbprint(server)} "
                f"({common_name(server)}) was issued by CA '{common_name(member)}' "
                f"(thumbprint {thumbprint(member)}), which is listed in {path} ({when}) — "
                "the server needs a certificate from a CA that is not revoked"
            )


def _check_crl_signature(
    path: Path, crl: x509.CertificateRevocationList, trusted: list[x509.Certificate]
) -> None:
    issuers = [t for t in trusted if t.subject == crl.issuer]
    if issuers and not any(crl.is_signature_valid(t.public_key()) for t in issuers):
        raise SecurityFailure(
            f"certificate revocation list {path} names issuer "
            f"'{crl.issuer.rfc4514_string()}' but that trusted certificate did not sign it: "
            "replace it with the CA's own CRL"
        )


# --------------------------------------------------------------------------- is it the server's


def check_key_usage(cert: x509.Certificate) -> None:
    """SecurityFailure unless `cert` allows what an OPC UA application certificate must do.

    Not asyncua's KEY_USAGE check: that one also demands nonRepudiation and
    dataEncipherment, which PLC certificates that work with every UA stack often lack.
    """
    try:
        usage: x509.KeyUsage | None = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    allowed = [name for attr, name in _KEY_USAGE_NAMES.items() if usage and getattr(usage, attr)]
    missing = [name for name in REQUIRED_KEY_USAGE.values() if name not in allowed]
    if missing:
        has = f"it allows only {', '.join(allowed)}" if allowed else "it has no key usage"
        raise SecurityFailure(
            f"server certificate {thumbprint(cert)} ({common_name(cert)}) is not usable for "
            f"OPC UA: its key usage lacks {' and '.join(missing)} ({has}) — the server needs "
            "an application certificate with digitalSignature and keyEncipherment"
        )


def _san(cert: x509.Certificate) -> x509.SubjectAlternativeName | None:
    try:
        return cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return None


async def check_server_identity(
    cert: x509.Certificate,
    server: ua.ApplicationDescription,
    endpoint_url: str,
    *,
    check_hostname: bool = True,
) -> None:
    """SecurityFailure unless `cert` is issued to the server that announced it.

    Its SubjectAltName URI must be the ApplicationUri the server announces (checked
    by asyncua's validator) and, with `check_hostname`, its DNS/IP names must
    include the host of `endpoint_url`, the address the station dials.
    """
    san = _san(cert)
    try:
        await CertificateValidator(CertificateValidatorOptions.URI).validate(cert, server)
    except ServiceError:
        uris = san.get_values_for_type(x509.UniformResourceIdentifier) if san else []
        raise SecurityFailure(
            f"server certificate {thumbprint(cert)} ({common_name(cert)}) is not the "
            f"server's: the server announces ApplicationUri '{server.ApplicationUri}', the "
            f"certificate is for {_listing(uris, 'no ApplicationUri')} — the server needs a "
            "certificate issued for its own ApplicationUri"
        ) from None
    host = (urlsplit(endpoint_url).hostname or "").rstrip(".")
    names = host_names(cert)
    if host_matches(host, san):
        return
    if not check_hostname:
        log.info(
            "server certificate %s names %s, not host %s: accepted (check_hostname = false)",
            thumbprint(cert),
            _listing(names, "no host"),
            host,
        )
        return
    raise SecurityFailure(
        f"server certificate {thumbprint(cert)} ({common_name(cert)}) does not name host "
        f"'{host}' of {endpoint_url}: it names {_listing(names, 'no host at all')} — connect "
        f"by one of those names, have the server's certificate issued for '{host}', or set "
        "check_hostname = false for this connection (a lab device only)"
    )


def host_names(cert: x509.Certificate) -> list[str]:
    """The DNS names and IP addresses a certificate's SubjectAltName lists."""
    san = _san(cert)
    if san is None:
        return []
    return [*san.get_values_for_type(x509.DNSName)] + [
        str(ip) for ip in san.get_values_for_type(x509.IPAddress)
    ]


def host_matches(host: str, san: x509.SubjectAlternativeName | None) -> bool:
    """Whether `host` (a name or an IP address) is one of the SubjectAltName's hosts.

    Names compare without case; `*.plant.local` covers exactly one leftmost label.
    An IP address matches an IP entry, or a DNS entry spelling it (some devices do).
    """
    if san is None or not host:
        return False
    host = host.lower()
    dns = [name.lower().rstrip(".") for name in san.get_values_for_type(x509.DNSName)]
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return any(_dns_match(host, name) for name in dns)
    return ip in san.get_values_for_type(x509.IPAddress) or host in dns


def _dns_match(host: str, pattern: str) -> bool:
    if pattern.startswith("*."):
        label, _, rest = host.partition(".")
        return bool(label) and rest == pattern[2:]
    return host == pattern


def _listing(values: list[str], none: str) -> str:
    return ", ".join(f"'{v}'" for v in values) if values else none


def save_rejected(cert: x509.Certificate, rejected_dir: Path) -> Path:
    """Write `cert` as `<CN> [<sha1>].der` (the UA convention); return its path."""
    name = re.sub(r"[^\w.@-]+", "_", common_name(cert))[:64] or "server"
    path = rejected_dir / f"{name} [{thumbprint(cert).replace(':', '')}].der"
    if not path.exists():
        _write_atomic(path, cert.public_bytes(serialization.Encoding.DER))
    return path


# --------------------------------------------------------------------------- endpoints


def pick_endpoint(
    endpoints: list[ua.EndpointDescription], policy: str, mode: str
) -> ua.EndpointDescription:
    """The server's endpoint for `policy`/`mode`; SecurityFailure listing what it offers."""
    uri, want = POLICIES[policy].URI, MODES[mode]
    for ep in endpoints:
        if ep.SecurityPolicyUri == uri and ep.SecurityMode == want:
            return ep
    offers = sorted(
        {
            f"{ep.SecurityPolicyUri.rsplit('#', 1)[-1]}/{ep.SecurityMode.name.rstrip('_')}"
            for ep in endpoints
        }
    )
    raise SecurityFailure(
        f"the server offers no {policy}/{mode} endpoint (it offers: {', '.join(offers) or 'none'})"
    )


def endpoint_certificate(ep: ua.EndpointDescription) -> x509.Certificate:
    """The server's own certificate from an endpoint (the first of a chain)."""
    if not ep.ServerCertificate:
        raise SecurityFailure("the server sent no certificate with its secure endpoint")
    return uacrypto.x509_from_der(ep.ServerCertificate)


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


# --------------------------------------------------------------------------- one connection


class ClientSecurity:
    """What one connection applies to every new asyncua Client, and how it explains failure."""

    def __init__(self, conn: OpcUaConnection, pki: Pki | None = None):
        self.conn = conn
        self.pki = pki or Pki.for_connection(conn)
        self.app_uri = application_uri()
        self.own: ClientCertificate | None = None  # known after the first secure attempt
        self.user: UserCertificate | None = None  # the X.509 user identity, once loaded

    @property
    def secure(self) -> bool:
        return self.conn.security_policy != "None"

    async def apply(self, client: Client, timeout: float) -> None:
        """Identity and channel security, before `client.connect()`; raises SecurityFailure."""
        client.application_uri = self.app_uri
        client.product_uri = f"urn:{APP_NAME}"
        client.name = client.description = "Pro4 HMI"  # what the server's session list shows
        if self.conn.username:
            client.set_user(self.conn.username)
            client.set_password(self._password())
        if self.conn.user_cert is not None and self.conn.user_key is not None:
            await self._load_user_certificate(client, self.conn.user_cert, self.conn.user_key)
        if not self.secure:
            return
        own = self.own = await asyncio.to_thread(
            ensure_client_certificate, self.pki.cert, self.pki.key, self.app_uri
        )
        endpoints = await asyncio.wait_for(client.connect_and_get_server_endpoints(), timeout)
        ep = pick_endpoint(endpoints, self.conn.security_policy, self.conn.security_mode)
        server_cert = endpoint_certificate(ep)
        await check_server_trusted(server_cert, self.pki)
        check_key_usage(server_cert)
        await check_server_identity(
            server_cert, ep.Server, self.conn.endpoint, check_hostname=self.conn.check_hostname
        )
        # The validated certificate is pinned: asyncua refuses a session whose
        # certificate differs from it ("Server certificate mismatch").
        await client.set_security(
            POLICIES[self.conn.security_policy],
            uacrypto.CertProperties(own.cert_path, extension="der"),
            uacrypto.CertProperties(own.key_path, extension="pem"),
            server_certificate=uacrypto.CertProperties(
                server_cert.public_bytes(serialization.Encoding.DER), extension="der"
            ),
            mode=MODES[self.conn.security_mode],
        )

    async def _load_user_certificate(self, client: Client, cert: Path, key: Path) -> None:
        """Log in as the user of the configured certificate (asyncua signs the token)."""
        password = None
        if self.conn.user_key_password is not None:
            try:
                password = resolve_secret(self.conn.user_key_password)
            except SecretError as exc:
                raise SecurityFailure(
                    f"password for user key {self.conn.user_key}: {exc}"
                ) from None
        user = self.user = await asyncio.to_thread(
            load_user_certificate, cert.expanduser(), key.expanduser(), password
        )
        await client.load_client_certificate(str(user.cert_path), extension=user.cert_format)
        await client.load_private_key(user.key_path, password, extension=user.key_format)

    def _password(self) -> str:
        ref = self.conn.password
        if ref is None:  # the config validator requires one with a username
            raise SecurityFailure(f"user '{self.conn.username}' has no password reference")
        try:
            return resolve_secret(ref)
        except SecretError as exc:
            raise SecurityFailure(f"password for user '{self.conn.username}': {exc}") from None

    def describe(self, exc: BaseException) -> str | None:
        """The operator's line for a security failure, or None when `exc` is something else."""
        if isinstance(exc, SecurityFailure):
            return str(exc)
        if not isinstance(exc, ua.UaStatusCodeError):
            # asyncua's only signal that the server has no endpoint for our (None) policy
            if not self.secure and "No matching endpoints" in str(exc):
                return (
                    "the server offers no unsecured endpoint: set security_policy and "
                    "security_mode for this connection (docs/opcua-security.md)"
                )
            return None
        code = exc.code
        name = ua.StatusCode(code).name
        if code in _USER_REJECTED:
            if self.user is not None:
                return (
                    f"user certificate {self.user.thumbprint} ({self.user.name}) rejected: "
                    f"{name} (the server must trust it and map it to a user)"
                )
            if self.conn.username:
                return f"user '{self.conn.username}' rejected: {name}"
            return f"anonymous session rejected: {name} (the server needs a username)"
        if code == ua.StatusCodes.BadSecurityChecksFailed or name.startswith("BadCertificate"):
            if not self.secure:
                return None
            which = f" (thumbprint {self.own.thumbprint})" if self.own else ""
            return (
                f"the server refused this station's certificate ({name}): "
                f"trust {self.pki.cert}{which} on the server"
            )
        if code == ua.StatusCodes.BadSecurityPolicyRejected:
            return f"the server rejected security policy {self.conn.security_policy} ({name})"
        return None
