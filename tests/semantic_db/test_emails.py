"""Sign-in emails: one address is one user in any Unicode spelling or case; control characters are refused."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from devhealth.errors import InputError, one_line
from devhealth.semantic_db.db import admin_session
from devhealth.semantic_db.emails import normalize_email
from devhealth.semantic_db.models import User
from devhealth.semantic_db.services import users

PASSWORD = "a long enough passphrase"
NFC = unicodedata.normalize("NFC", "José.Müller@Straße.example")
NFD = unicodedata.normalize("NFD", "josé.müller@STRASSE.example")


def test_nfc_nfd_and_case_are_one_spelling() -> None:
    assert NFC != NFD
    assert normalize_email(NFC) == normalize_email(NFD) == "josé.müller@strasse.example"
    assert unicodedata.is_normalized("NFC", normalize_email(NFD))


@pytest.mark.parametrize(("typed", "shown"), [
    ("ann@example.com\nBcc: eve@example.com", r"ann@example.com\nBcc: eve@example.com"),
    ("ann\t@example.com", r"ann\t@example.com"),
    ("ann@exa\x00mple.com", r"ann@exa\x00mple.com"),
    ("ann\u200b@example.com", r"ann\u200b@example.com"),
])
def test_control_characters_are_refused_naming_the_input(typed: str, shown: str) -> None:
    with pytest.raises(InputError) as raised:
        normalize_email(typed)
    assert one_line(raised.value) == f"email '{shown}' contains a control or invisible character"


def test_one_address_is_one_user_and_signs_in_in_any_spelling(engine: Engine) -> None:
    with admin_session(engine) as session:
        users.create_user(session, NFC, PASSWORD)
    with pytest.raises(InputError, match=re.escape("a user with email 'josé.müller@strasse.example' already exists")), \
            admin_session(engine) as session:
        users.create_user(session, NFD, PASSWORD)
    with admin_session(engine) as session:
        assert session.scalars(select(User.email)).all() == ["josé.müller@strasse.example"]
        assert users.authenticate(session, NFD, PASSWORD) is not None
        assert users.authenticate(session, "JOSÉ.MÜLLER@STRAßE.EXAMPLE", PASSWORD) is not None
        assert users.find_user(session, unicodedata.normalize("NFD", "JOSÉ.müller@strasse.example")) is not None
    with pytest.raises(InputError, match="contains a control"), admin_session(engine) as session:
        users.authenticate(session, "josé.müller@strasse.example\nX-Forged: 1", PASSWORD)


@settings(max_examples=500, deadline=None)
@given(email=st.one_of(st.text(), st.emails().map(str.upper),
                       st.lists(st.sampled_from(["a", "@", "é", "e\u0301", "ß", "\n", "\x00", " ", "\u200b", "İ",
                                                 "ǰ", "\ufb03", "."]), max_size=10).map("".join)))
def test_any_email_is_a_canonical_address_or_an_input_error(email: str) -> None:
    try:
        normalized = normalize_email(email)
    except InputError as error:
        message = one_line(error)
        assert message.startswith("email '") and "\n" not in message
        return
    assert normalize_email(normalized) == normalized  # stable: a stored address finds itself
    assert normalize_email(unicodedata.normalize("NFD", email)) == normalized
    assert unicodedata.is_normalized("NFC", normalized) and "@" in normalized
