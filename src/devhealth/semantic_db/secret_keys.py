"""The Fernet keys that encrypt provider credentials: from DEVHEALTH_SECRET_KEY, else a local key file.

DEVHEALTH_SECRET_KEY holds one or more urlsafe-base64 Fernet keys separated by commas, newest first:
the first encrypts, all decrypt (MultiFernet), so a rotation is "prepend the new key, run
`devhealth admin rotate-key`, then drop the old one". With the embedded PostgreSQL and no variable,
a key is generated once under DEVHEALTH_HOME (`secret.key`, mode 0600). With a PostgreSQL server the
variable is required: a key generated on one machine would strand the credentials stored on the server.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from devhealth.errors import ConfigError
from devhealth.settings import devhealth_home, postgres_settings

VARIABLE = "DEVHEALTH_SECRET_KEY"
FERNET_KEY = re.compile(rb"[A-Za-z0-9_-]{43}=")
KEY_FILE = "secret.key"


def key_id(key: bytes) -> str:
    """A short public fingerprint of a key, stored beside each secret it encrypts."""
    return hashlib.sha256(key).hexdigest()[:16]


@dataclass(frozen=True)
class Keyring:
    keys: tuple[bytes, ...]
    source: str
    path: Path | None = None
    created: bool = False

    @property
    def primary_id(self) -> str:
        return key_id(self.keys[0])

    def fernet(self) -> MultiFernet:
        return MultiFernet([Fernet(key) for key in self.keys])

    def encrypt(self, secret: str) -> bytes:
        return self.fernet().encrypt(secret.encode("utf-8"))

    def decrypt(self, token: bytes, what: str) -> str:
        try:
            return self.fernet().decrypt(token).decode("utf-8")
        except InvalidToken:
            raise ConfigError(f"{what} cannot be decrypted with the keys in {self.source} "
                              f"(key ids {', '.join(key_id(k) for k in self.keys)})") from None

    def rotate(self, token: bytes) -> bytes:
        return self.fernet().rotate(token)

    def id_of(self, token: bytes) -> str:
        """Which of the keys decrypts `token`."""
        for key in self.keys:
            try:
                Fernet(key).decrypt(token)
            except InvalidToken:
                continue
            return key_id(key)
        raise ConfigError(f"a stored secret cannot be decrypted with the keys in {self.source}")


def parse_keys(text: str, source: str) -> tuple[bytes, ...]:
    """The Fernet keys in `text`; anything else raises `ConfigError` naming `source` and the key's position,
    never the key."""
    parts = [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]
    for position, part in enumerate(parts, start=1):
        if not part.isascii() or not part.isprintable():
            raise ConfigError(f"{source}: key {position} holds characters a Fernet key never has "
                              "(it is 44 url-safe base64 characters)")
    keys = tuple(part.encode("ascii") for part in parts)
    if not keys:
        raise ConfigError(f"{source} holds no key; generate one with "
                          "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'")
    for position, key in enumerate(keys, start=1):
        try:
            # base64 decoding stops at the first padding, so two keys pasted without a comma would pass
            # as the first one alone; a Fernet key is exactly 43 url-safe characters and one '='
            if not FERNET_KEY.fullmatch(key):
                raise ValueError("not 44 url-safe base64 characters")
            Fernet(key)
        except (ValueError, TypeError):
            raise ConfigError(f"{source}: key {position} is not a Fernet key (32 url-safe base64-encoded bytes)"
                              ) from None
    return keys


def _write_private(path: Path, keys: tuple[bytes, ...]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_suffix(".tmp")
    descriptor = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(b"\n".join(keys) + b"\n")
    os.chmod(staging, 0o600)
    os.replace(staging, path)


def load_keyring(environ: Mapping[str, str] | None = None, create: bool = True) -> Keyring:
    """The keys from DEVHEALTH_SECRET_KEY, else from (or, when `create`, into) DEVHEALTH_HOME/secret.key."""
    environ = os.environ if environ is None else environ
    value = environ.get(VARIABLE, "").strip()
    if value:
        return Keyring(parse_keys(value, VARIABLE), source=VARIABLE)
    settings = postgres_settings(environ)
    if not settings.is_embedded:
        raise ConfigError(f"{VARIABLE} is not set; a PostgreSQL server ({settings.source}) needs the key in "
                          f"{VARIABLE} to encrypt and read credentials")
    path = devhealth_home(environ) / KEY_FILE
    if path.exists():
        return Keyring(parse_keys(path.read_text(), str(path)), source=str(path), path=path)
    if not create:
        raise ConfigError(f"{VARIABLE} is not set and {path} does not exist")
    keys = (Fernet.generate_key(),)
    _write_private(path, keys)
    return Keyring(keys, source=str(path), path=path, created=True)


def add_new_key(keyring: Keyring) -> Keyring:
    """Put a fresh key first in the key file; only for the embedded key file (the variable is the operator's)."""
    if keyring.path is None:
        raise ConfigError(f"{VARIABLE} is set: put the new key first in it (NEW,OLD) and rerun rotate-key")
    keys = (Fernet.generate_key(), *keyring.keys)
    _write_private(keyring.path, keys)
    return Keyring(keys, source=keyring.source, path=keyring.path)


def keep_only_primary(keyring: Keyring) -> Keyring:
    """After every secret is re-encrypted, drop the older keys from the key file."""
    if keyring.path is None:
        return keyring
    keys = keyring.keys[:1]
    _write_private(keyring.path, keys)
    return Keyring(keys, source=keyring.source, path=keyring.path)


def write_key_file(path: Path, keys: tuple[bytes, ...]) -> None:
    """Write `keys` to a key file readable by its owner only (a restore installs a backup's keys with it)."""
    _write_private(path, keys)
