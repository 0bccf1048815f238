"""Secure OPC UA for one connection: policy, endpoint, and the order of the checks.

The driver calls `ClientSecurity.apply(client)` on every fresh asyncua `Client`
before `connect()`, and `ClientSecurity.describe(exc)` to turn a security
failure into the one line an operator or integrator reads next to the
connection. The station's identity is `opcua_pki`; whether to trust the server
is `opcua_server_checks`.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from asyncua import ua
from asyncua.crypto import uacrypto
from asyncua.crypto.security_policies import (
    SecurityPolicy,
    SecurityPolicyAes128Sha256RsaOaep,
    SecurityPolicyAes256Sha256RsaPss,
    SecurityPolicyBasic256Sha256,
)
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from hmi.config_connections import OpcUaConnection
from hmi.drivers.opcua_pki import (
    APP_NAME,
    ClientCertificate,
    Pki,
    SecurityFailure,
    UserCertificate,
    application_uri,
    ensure_client_certificate,
    load_user_certificate,
)
from hmi.drivers.opcua_server_checks import (
    check_key_usage,
    check_server_identity,
    check_server_trusted,
)
from hmi.secrets import SecretError, resolve_secret

if TYPE_CHECKING:
    from asyncua import Client

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
