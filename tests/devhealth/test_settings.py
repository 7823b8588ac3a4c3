from pathlib import Path

import pytest
import yaml

from devhealth.errors import ConfigError
from devhealth.settings import clickhouse_settings, dbt_environment, mask_uri, postgres_settings


def test_unset_means_embedded_chdb_under_devhealth_home(tmp_path: Path) -> None:
    settings = clickhouse_settings({"DEVHEALTH_HOME": str(tmp_path)})
    assert settings.is_embedded
    assert settings.path == tmp_path / "clickhouse"


@pytest.mark.parametrize(
    ("environ", "expected_source", "expected_host"),
    [
        ({"CLICKHOUSE_URI": "clickhouse://a@one:8123/x", "DATABASE_URI": "clickhouse://b@two/x",
          "DATABASE_URL": "clickhouse://c@three/x"}, "CLICKHOUSE_URI", "one"),
        ({"DATABASE_URI": "clickhouse://b@two/x", "DATABASE_URL": "clickhouse://c@three/x"},
         "DATABASE_URI", "two"),
        ({"DATABASE_URL": "clickhouse://c@three/x"}, "DATABASE_URL", "three"),
        ({"CLICKHOUSE_URI": "  ", "DATABASE_URL": "clickhouse://c@three/x"}, "DATABASE_URL", "three"),
    ],
)
def test_clickhouse_resolution_order(environ, expected_source, expected_host) -> None:
    settings = clickhouse_settings(environ)
    assert settings.source == expected_source
    assert settings.host == expected_host


def test_http_uri_fields() -> None:
    settings = clickhouse_settings({"CLICKHOUSE_URI": "clickhouse://bi:s%40cret@ch.internal:8443/analytics?secure=1"})
    assert (settings.interface, settings.host, settings.port) == ("http", "ch.internal", 8443)
    assert (settings.user, settings.password, settings.database, settings.secure) == (
        "bi", "s@cret", "analytics", True)


def test_native_uri_defaults_to_port_9000() -> None:
    settings = clickhouse_settings({"CLICKHOUSE_URI": "clickhouse+native://u:p@ch/db"})
    assert (settings.interface, settings.port) == ("native", 9000)


def test_chdb_uri_names_the_folder() -> None:
    settings = clickhouse_settings({"CLICKHOUSE_URI": "chdb:///var/lib/devhealth/ch"})
    assert settings.is_embedded and settings.path == Path("/var/lib/devhealth/ch")


@pytest.mark.parametrize("scheme", ["postgresql", "mysql", "sqlite", "mongodb", "redis", "http"])
@pytest.mark.parametrize("variable", ["CLICKHOUSE_URI", "DATABASE_URI", "DATABASE_URL"])
def test_non_clickhouse_scheme_names_variable_and_scheme(variable: str, scheme: str) -> None:
    with pytest.raises(ValueError) as raised:
        clickhouse_settings({variable: f"{scheme}://user:hunter2@host:1234/db"})
    message = str(raised.value)
    assert isinstance(raised.value, ConfigError)
    assert variable in message and f"'{scheme}'" in message and "set CLICKHOUSE_URI" in message
    assert "hunter2" not in message and "***" in message


@pytest.mark.parametrize("uri", ["clickhouse://user:pw@host:notaport/db", "not a uri", "chdb://relative/path",
                                 "clickhouse:///db-without-host"])
def test_malformed_uri_is_a_value_error_naming_the_variable(uri: str) -> None:
    with pytest.raises(ValueError, match="CLICKHOUSE_URI") as raised:
        clickhouse_settings({"CLICKHOUSE_URI": uri})
    assert "pw@" not in str(raised.value)


def test_mask_uri_hides_only_the_password() -> None:
    assert mask_uri("clickhouse://bi:topsecret@h:8123/db") == "clickhouse://bi:***@h:8123/db"
    assert mask_uri("clickhouse://h:8123/db") == "clickhouse://h:8123/db"


def test_postgres_resolution_and_scheme_check(tmp_path: Path) -> None:
    assert postgres_settings({"DEVHEALTH_HOME": str(tmp_path)}).data_dir == tmp_path / "postgres"
    settings = postgres_settings({"POSTGRES_URI": "postgresql://u:p@db:5432/sem"})
    assert settings.uri == "postgresql+psycopg://u:p@db:5432/sem" and settings.source == "POSTGRES_URI"
    # a shared DATABASE_URI that points at ClickHouse is the warehouse's, not an error here
    shared = postgres_settings({"DATABASE_URI": "clickhouse://h/db", "DATABASE_URL": "postgres://u@db/sem",
                                "DEVHEALTH_HOME": str(tmp_path)})
    assert shared.source == "DATABASE_URL"
    asyncpg = postgres_settings({"POSTGRES_URI": "postgresql+asyncpg://u:p@db:5432/sem?ssl=require"})
    # the URI the system we replace documents; asyncpg's `ssl` is libpq's `sslmode`
    assert asyncpg.uri == "postgresql+psycopg://u:p@db:5432/sem?sslmode=require"
    with pytest.raises(ConfigError, match=r"POSTGRES_URI.*'mysql'") as raised:
        postgres_settings({"POSTGRES_URI": "mysql://u:secretpw@db/sem"})
    assert "secretpw" not in str(raised.value)


def test_dbt_environment_targets_the_same_warehouse() -> None:
    server = clickhouse_settings({"CLICKHOUSE_URI": "clickhouse://bi:pw@ch:8123/db"})
    env = dbt_environment(server)
    assert env["DEVHEALTH_CLICKHOUSE_HOST"] == "ch" and env["DEVHEALTH_CLICKHOUSE_PORT"] == "8123"
    assert env["DBT_TARGET"] == "prod"
    embedded = clickhouse_settings({"CLICKHOUSE_URI": "chdb:///tmp/x"})
    assert dbt_environment(embedded, {})["DEVHEALTH_CHDB_PATH"] == "/tmp/x"
    assert dbt_environment(embedded, {})["DBT_TARGET"] == "local"


def test_dbt_target_is_dbts_own_variable_with_the_old_one_as_fallback() -> None:
    server = clickhouse_settings({"CLICKHOUSE_URI": "clickhouse://bi:pw@ch:8123/db"})
    assert dbt_environment(server, {"DBT_TARGET": "prod_cluster"})["DBT_TARGET"] == "prod_cluster"
    assert dbt_environment(server, {"DEVHEALTH_DBT_TARGET": "prod_cluster"})["DBT_TARGET"] == "prod_cluster"
    both = {"DBT_TARGET": "prod", "DEVHEALTH_DBT_TARGET": "prod_cluster"}
    assert dbt_environment(server, both)["DBT_TARGET"] == "prod"


def test_the_clickhouse_password_reaches_dbt_as_a_secret_it_scrubs() -> None:
    server = clickhouse_settings({"CLICKHOUSE_URI": "clickhouse://bi:s3cr%40t@ch:8123/db"})
    env = dbt_environment(server, {})
    # dbt masks the value of every DBT_ENV_SECRET_* variable in what it logs
    assert env["DBT_ENV_SECRET_CLICKHOUSE_PASSWORD"] == "s3cr@t"
    assert not [name for name, value in env.items() if value == "s3cr@t" and not name.startswith("DBT_ENV_SECRET_")]
    profiles = yaml.safe_load((Path(__file__).resolve().parents[2] / "profiles.yml").read_text())
    servers = {name: output for name, output in profiles["devhealth"]["outputs"].items()
               if output["type"] == "clickhouse"}
    assert set(servers) == {"prod", "prod_cluster"}
    assert {output["password"] for output in servers.values()} == {
        "{{ env_var('DBT_ENV_SECRET_CLICKHOUSE_PASSWORD', '') }}"}
