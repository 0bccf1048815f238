"""Connection settings in the plant config: ``[[connections]]``, one per driver.

Each connection names its driver (``opcua`` or ``modbus``); `Connection` is the
union pydantic picks from by that key. Each class also knows how to check a tag
address for its protocol (`check_address`), which `hmi.config` calls in its
cross-checks so a bad address is reported where the tag was written. The secure
OPC UA fields are described in docs/opcua-security.md, Modbus addresses in
docs/modbus.md.

`hmi.config` imports this module at its top, so it must not import `hmi.config`
at module level.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

NODE_ID_RE = re.compile(r"^(?:(?:ns=\d+|nsu=[^;]+);)?(?P<kind>[isgb])=(?P<ident>.*)$", re.S)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OpcUaConnection(_Strict):
    """An OPC UA server, read by one subscription."""

    name: str
    driver: Literal["opcua"]
    endpoint: str
    timeout_s: float = Field(default=4.0, gt=0)
    publishing_interval_ms: float = Field(default=100.0, gt=0)
    reconnect_min_s: float = Field(default=0.5, gt=0)
    reconnect_max_s: float = Field(default=10.0, gt=0)
    # Secure connections (docs/opcua-security.md). Fields are validated in this order,
    # so each validator below sees the ones before it.
    security_policy: Literal["None", "Basic256Sha256", "Aes128_Sha256_RsaOaep",
                             "Aes256_Sha256_RsaPss"] = "None"  # fmt: skip
    security_mode: Literal["None", "Sign", "SignAndEncrypt"] = Field(
        default="None", validate_default=True
    )
    username: str | None = None
    password: str | None = Field(default=None, validate_default=True)  # a secret REFERENCE
    trust_dir: Path | None = None  # default <data dir>/pki/trusted
    client_cert: Path | None = None  # default <data dir>/pki/own/cert.der (made on first use)
    client_key: Path | None = None  # default <data dir>/pki/own/private/key.pem
    crl_dir: Path | None = None  # default <trust_dir>/crl: revocation lists of trusted CAs
    check_hostname: bool = True  # the server certificate must name the endpoint's host
    # Log in with an X.509 user certificate instead of username/password.
    user_cert: Path | None = None
    user_key: Path | None = Field(default=None, validate_default=True)
    user_key_password: str | None = None  # a secret REFERENCE, for an encrypted user_key

    @field_validator("endpoint")
    @classmethod
    def _opc_tcp(cls, v: str) -> str:
        if not re.match(r"^opc\.tcp://[^/:\s]+(:\d+)?(/.*)?$", v):
            raise ValueError(f"'{v}' is not an opc.tcp://host:port/path endpoint")
        return v

    @field_validator("security_mode")
    @classmethod
    def _mode_fits_policy(cls, v: str, info: ValidationInfo) -> str:
        policy = info.data.get("security_policy", "None")
        if policy == "None" and v != "None":
            raise ValueError(f"security_mode '{v}' needs a security_policy (e.g. Basic256Sha256)")
        if policy != "None" and v == "None":
            raise ValueError(
                f"security_policy '{policy}' needs security_mode Sign or SignAndEncrypt"
            )
        return v

    @field_validator("username")
    @classmethod
    def _username(cls, v: str | None, info: ValidationInfo) -> str | None:
        if v is None:
            return v
        if not v.strip():
            raise ValueError("username is empty (leave it out for an anonymous session)")
        if info.data.get("security_policy", "None") == "None":
            # Without a policy nobody checks the server's certificate: the password
            # would go to whoever answers at that address.
            raise ValueError("a username needs a security_policy (the server must be trusted)")
        return v

    @field_validator("password")
    @classmethod
    def _secret_reference(cls, v: str | None, info: ValidationInfo) -> str | None:
        from hmi.secrets import reference_problem  # pure, no I/O

        if v is None:
            if info.data.get("username"):
                raise ValueError('username needs a password reference, e.g. "env:PLC1_PASSWORD"')
            return v
        why = reference_problem(v)
        if why:
            raise ValueError(why)
        if not info.data.get("username"):
            raise ValueError("password given without a username")
        return v

    @field_validator("user_key")
    @classmethod
    def _user_certificate(cls, v: Path | None, info: ValidationInfo) -> Path | None:
        cert = info.data.get("user_cert")
        if (cert is None) != (v is None):
            raise ValueError("user_cert and user_key go together (a certificate and its key)")
        if cert is None:
            return v
        if info.data.get("username"):
            raise ValueError("log in with username/password or with user_cert/user_key, not both")
        if info.data.get("security_policy", "None") == "None":
            raise ValueError(
                "a user certificate needs a security_policy (the server must be trusted)"
            )
        return v

    @field_validator("user_key_password")
    @classmethod
    def _key_password_reference(cls, v: str | None, info: ValidationInfo) -> str | None:
        from hmi.secrets import reference_problem  # pure, no I/O

        if v is None:
            return v
        why = reference_problem(v)
        if why:
            raise ValueError(why)
        if info.data.get("user_key") is None:
            raise ValueError("user_key_password given without a user_key")
        return v

    def check_address(self, address: str, type_name: str = "float64") -> str | None:
        """Why `address` is not a usable NodeId, or None (the type is the server's to check)."""
        m = NODE_ID_RE.match(address)
        if not m:
            return f"'{address}' is not a NodeId (e.g. ns=2;s=Line.Motor.Speed or ns=2;i=1001)"
        if not m["ident"]:
            return f"NodeId '{address}' is empty"
        if m["kind"] == "i" and not m["ident"].isdigit():
            return f"NodeId '{address}': i= needs a number"
        return None


class ModbusConnection(_Strict):
    """A Modbus TCP device (or one unit behind a gateway), polled in block reads.

    Tag addresses are parsed by hmi.drivers.modbus_address (syntax in docs/modbus.md).
    `max_in_flight` > 1 opens that many TCP connections to read blocks in parallel.
    """

    name: str
    driver: Literal["modbus"]
    host: str
    port: int = Field(default=502, ge=1, le=65535)
    unit_id: int = Field(default=1, ge=0, le=255)
    timeout_s: float = Field(default=2.0, gt=0)
    poll_ms: float = Field(default=1000.0, ge=10)
    max_gap: int = Field(default=16, ge=0, le=124)  # unused registers a block may bridge
    max_block_registers: int = Field(default=125, ge=1, le=125)
    max_block_bits: int = Field(default=2000, ge=1, le=2000)
    max_in_flight: int = Field(default=1, ge=1, le=16)
    word_order: Literal["ABCD", "CDAB", "BADC", "DCBA"] = "ABCD"
    read_only: bool = False
    reconnect_min_s: float = Field(default=0.5, gt=0)
    reconnect_max_s: float = Field(default=10.0, gt=0)

    @field_validator("host")
    @classmethod
    def _host(cls, v: str) -> str:
        if not v.strip() or any(c.isspace() for c in v):
            raise ValueError(f"'{v}' is not a host name or IP address")
        return v

    def check_address(self, address: str, type_name: str = "float64") -> str | None:
        """Why a tag of `type_name` cannot live at `address`, or None."""
        from hmi.drivers.modbus_address import parse_address, type_problem  # pure, no I/O

        try:
            return type_problem(parse_address(address), type_name)
        except ValueError as exc:
            return str(exc)


Connection = Annotated[OpcUaConnection | ModbusConnection, Field(discriminator="driver")]
