"""Whether to trust an OPC UA server's certificate: trust list, revocation, identity.

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
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from asyncua import ua
from asyncua.common.utils import ServiceError
from asyncua.crypto.truststore import TrustStore
from asyncua.crypto.validator import CertificateValidator, CertificateValidatorOptions
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization

from hmi.drivers.opcua_pki import (
    Pki,
    SecurityFailure,
    common_name,
    load_certificate_file,
    thumbprint,
    write_atomic,
)

log = logging.getLogger(__name__)

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
        write_atomic(path, cert.public_bytes(serialization.Encoding.DER))
    return path
