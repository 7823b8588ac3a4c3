"""Shared by the REST source tests: the token that must never leak, and a search for it on disk."""

from pathlib import Path

TOKEN = "ghp_SECRETtoken0123456789abcdefABCDEF"


def files_containing(root: Path, secret: str) -> list[Path]:
    """Every file under `root` whose bytes contain `secret`."""
    needle = secret.encode()
    return [path for path in root.rglob("*") if path.is_file() and needle in path.read_bytes()]
