"""Sign-in email addresses in one canonical spelling, so one address is one user however it was typed.

Unicode lets one address be typed several ways: composed or decomposed accents (NFC, NFD) and letter
case, including cases `lower()` misses (`ß` and `SS`). Addresses are compared and stored after NFC
and case folding. Control characters (a newline, a tab, NUL, ...) are refused: they can forge lines
in logs and headers, and no mail system accepts them.
"""

from __future__ import annotations

import unicodedata

from devhealth.errors import InputError

MAX_LENGTH = 320  # the users.email column


def _shown(email: str) -> str:
    """The input as the error names it: one line, control characters escaped, never endless."""
    shown = email.strip()
    shown = shown if len(shown) <= 80 else shown[:77] + "..."
    return repr(shown)[1:-1]


def normalize_email(email: str) -> str:
    """The canonical spelling of `email`: stripped, NFC, case-folded.

    Raises:
        InputError: the address holds a control character, or is not `local@domain`, or is too long.
    """
    stripped = email.strip()
    if any(unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn") for char in stripped):
        raise InputError(f"email '{_shown(email)}' contains a control or invisible character")
    # NFC after folding too: case folding can decompose (for example 'ǰ'), and the stored form must be NFC
    normalized = unicodedata.normalize("NFC", unicodedata.normalize("NFC", stripped).casefold())
    local, at, domain = normalized.rpartition("@")
    if not (local and at and domain) or any(char.isspace() for char in normalized):
        raise InputError(f"email '{_shown(email)}' is not an email address")
    if len(normalized) > MAX_LENGTH:
        raise InputError(f"email '{_shown(email)}' is longer than {MAX_LENGTH} characters")
    return normalized
