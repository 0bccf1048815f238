"""Secret references: how a plant config names a password without containing it.

A plant config is copied, mailed, diffed and committed; a password written in
it is a password leaked. So the config holds only a *reference*, resolved on
the station when the secret is needed:

- ``env:NAME`` — the environment variable NAME (set by the service manager,
  a container, or an ``.env`` file the station's account alone can read);
- ``keyring:SERVICE/USER`` — the OS keyring (Windows Credential Manager,
  macOS Keychain, Secret Service), through the optional ``keyring`` package.

Resolution errors say what is missing and how to provide it; they never echo a
secret.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Mapping

_ENV_RE = re.compile(r"^env:(?P<name>[A-Za-z_][A-Za-z0-9_]*)$")
_KEYRING_RE = re.compile(r"^keyring:(?P<service>[^/\s]+)/(?P<user>\S+)$")

EXAMPLES = '"env:PLC1_PASSWORD" or "keyring:pro4-hmi/plc1"'


class SecretError(ValueError):
    """A secret reference that is malformed or cannot be resolved on this station."""


def reference_problem(text: str) -> str | None:
    """Why `text` is not a secret reference (it may be a literal secret), or None."""
    if _ENV_RE.match(text) or _KEYRING_RE.match(text):
        return None
    if text.startswith(("env:", "keyring:")):
        scheme = text.split(":", 1)[0]
        form = "env:NAME (letters, digits, _)" if scheme == "env" else "keyring:SERVICE/USER"
        return f"malformed secret reference: expected {form}"
    # Never repeat the value: it may be the password itself.
    return (
        "a secret must not be written in the config: give a reference such as "
        f"{EXAMPLES} (see docs/opcua-security.md)"
    )


def resolve_secret(reference: str, environ: Mapping[str, str] | None = None) -> str:
    """The secret `reference` names; SecretError saying what is missing otherwise."""
    env = os.environ if environ is None else environ
    m = _ENV_RE.match(reference)
    if m:
        name = m["name"]
        value = env.get(name)
        if value is None:
            raise SecretError(f"environment variable {name} is not set (from '{reference}')")
        return value
    m = _KEYRING_RE.match(reference)
    if m:
        return _from_keyring(m["service"], m["user"], reference)
    raise SecretError(reference_problem(reference) or f"cannot resolve '{reference}'")


def _from_keyring(service: str, user: str, reference: str) -> str:
    try:
        keyring = importlib.import_module("keyring")
    except ImportError:
        raise SecretError(
            f"'{reference}' needs the optional 'keyring' package: pip install keyring "
            "(or use an env: reference)"
        ) from None
    try:
        value = keyring.get_password(service, user)
    except Exception as exc:  # no backend, locked keyring, D-Bus down…
        raise SecretError(f"OS keyring unavailable for '{reference}': {exc}") from None
    if value is None:
        raise SecretError(
            f"no secret for user '{user}' in keyring service '{service}' "
            f"(store it with: keyring set {service} {user})"
        )
    return value
