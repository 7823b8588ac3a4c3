"""The credentials' Fernet keys inside a backup, encrypted with a passphrase only the operator holds.

scrypt stretches the passphrase into a Fernet key, so the file is useless without the passphrase, and a
wrong passphrase is told apart from a damaged file (the backup's checksums have caught the latter already).
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from devhealth.errors import InputError

KEY_FILE = "secret.key.enc"
# scrypt's interactive-login cost: about 0.1 s and 32 MiB per attempt
_N, _R, _P = 2**15, 8, 1


def _fernet(passphrase: str, salt: bytes, n: int, r: int, p: int) -> Fernet:
    key = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(key))


def check_passphrase(passphrase: str) -> str:
    if not passphrase.strip():
        raise InputError("--key-passphrase-stdin: the passphrase read from stdin is empty")
    return passphrase


def write_encrypted_keys(folder: Path, keys: tuple[bytes, ...], passphrase: str) -> None:
    salt = os.urandom(16)
    token = _fernet(check_passphrase(passphrase), salt, _N, _R, _P).encrypt(b"\n".join(keys))
    (folder / KEY_FILE).write_text(json.dumps({
        "kdf": "scrypt", "n": _N, "r": _R, "p": _P,
        "salt": base64.b64encode(salt).decode(), "token": token.decode(),
    }))


def read_encrypted_keys(folder: Path, passphrase: str) -> tuple[bytes, ...]:
    sealed = json.loads((folder / KEY_FILE).read_text())
    fernet = _fernet(check_passphrase(passphrase), base64.b64decode(sealed["salt"]), sealed["n"], sealed["r"],
                     sealed["p"])
    try:
        plain = fernet.decrypt(sealed["token"].encode())
    except InvalidToken:
        raise InputError(f"backup {folder}: the passphrase does not decrypt {KEY_FILE}") from None
    return tuple(key for key in plain.split(b"\n") if key)
