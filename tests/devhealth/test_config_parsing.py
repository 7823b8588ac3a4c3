"""Malformed POSTGRES_URI and DEVHEALTH_SECRET_KEY end in a one-line ConfigError naming the variable,
password masked; a property test feeds the URI parsers anything and allows nothing else."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devhealth.errors import ConfigError, one_line
from devhealth.semantic_db.secret_keys import load_keyring, parse_keys
from devhealth.settings import mask_uri, parse_clickhouse_uri, postgres_settings

PASSWORD = "Sup3r-s3cret"


@pytest.mark.parametrize(("uri", "reason"), [
    (f"postgresql://u:{PASSWORD}@[::1:5432/db", "Invalid IPv6 URL"),
    (f"postgresql://u:{PASSWORD}@db.internal:abc/db", "Port could not be cast to integer value as 'abc'"),
    (f"postgresql://u:{PASSWORD}@db.internal:70000/db", "Port out of range"),
    (f"postgres://u:{PASSWORD}@db.in\x00ternal/db", "contains a control character"),
])
def test_a_malformed_postgres_uri_names_the_variable_and_masks_the_password(uri: str, reason: str) -> None:
    for variable in ("POSTGRES_URI", "DATABASE_URL"):
        with pytest.raises(ConfigError) as raised:
            postgres_settings({variable: uri})
        message = one_line(raised.value)
        assert message.startswith(f"{variable}=postgres") and reason in message
        assert PASSWORD not in message and "u:***@" in message
        assert f"set {variable} to postgresql://user:" in message


def test_a_valid_ipv6_or_socket_uri_still_resolves() -> None:
    assert postgres_settings({"POSTGRES_URI": "postgresql://u:p@[::1]:5432/db"}).uri == \
        "postgresql+psycopg://u:p@[::1]:5432/db"
    assert postgres_settings({"POSTGRES_URI": "postgres://u@/db?host=/run/pg"}).uri == \
        "postgresql+psycopg://u@/db?host=/run/pg"


def test_mask_uri_masks_a_uri_it_cannot_parse() -> None:
    assert mask_uri("postgresql://me:p@ss:w0rd@[::1:5432/db") == "postgresql://me:***@[::1:5432/db"
    assert mask_uri("postgresql://me@[::1/db") == "postgresql://me@[::1/db"


@pytest.mark.parametrize("value", ["clé-non-ascii", "Z" * 43 + "\u00e9", "key\x00", "\udcff"])
def test_a_secret_key_that_is_not_ascii_names_the_variable_not_the_key(value: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_keyring({"DEVHEALTH_SECRET_KEY": value})
    message = one_line(raised.value)
    assert message == ("DEVHEALTH_SECRET_KEY: key 1 holds characters a Fernet key never has "
                       "(it is 44 url-safe base64 characters)")


def test_the_second_of_two_keys_is_named_by_position() -> None:
    good = "a" * 43 + "="
    with pytest.raises(ConfigError, match="DEVHEALTH_SECRET_KEY: key 2 is not a Fernet key"):
        parse_keys(f"{good},not-a-key", "DEVHEALTH_SECRET_KEY")


# Text that looks like a URI more often than random text would: schemes, brackets, ports, escapes.
URI_PARTS = st.sampled_from(["postgresql://", "postgres://", "postgresql+psycopg://", "clickhouse://", "chdb://",
                             "u", ":", "p@ss", "@", "[", "]", "::1", "host", ":5432", ":abc", ":99999", "/", "db",
                             "?host=", "%", "%zz", "#", "é", "\x00", "\n", " ", "\udcff"])
URI_TEXT = st.one_of(st.text(), st.lists(URI_PARTS, max_size=12).map("".join))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(uri=URI_TEXT)
def test_any_postgres_uri_is_a_setting_or_a_config_error(uri: str) -> None:
    try:
        resolved = postgres_settings({"POSTGRES_URI": uri})
    except ConfigError as error:
        message = one_line(error)
        assert message.startswith("POSTGRES_URI=") and "\n" not in message
        return
    assert resolved.uri is None if not uri.strip() else resolved.uri.startswith("postgresql+psycopg://")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(uri=URI_TEXT)
def test_any_clickhouse_uri_is_a_setting_or_a_config_error(uri: str) -> None:
    try:
        parsed = parse_clickhouse_uri(uri)
    except ConfigError as error:
        assert one_line(error).startswith("CLICKHOUSE_URI=")
        return
    assert parsed.interface in ("http", "native", "chdb")


@settings(max_examples=300, deadline=None)
@given(value=st.one_of(st.text(), st.lists(st.sampled_from(["a" * 43 + "=", ",", "\n", "é", "=", "-", "_"]),
                                            max_size=6).map("".join)))
def test_any_secret_key_is_a_keyring_or_a_config_error(value: str) -> None:
    try:
        keys = parse_keys(value, "DEVHEALTH_SECRET_KEY")
    except ConfigError as error:
        assert one_line(error).startswith("DEVHEALTH_SECRET_KEY")
        return
    assert keys and all(len(key) == 44 for key in keys)
