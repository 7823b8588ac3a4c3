"""Resolves where the warehouse (ClickHouse or chDB) and the semantic database (PostgreSQL) live.

One configuration feeds every consumer: the CLI, dlt pipelines and dbt (through the environment
variables that `profiles.yml` reads, exported by `dbt_environment`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from devhealth.errors import ConfigError

CLICKHOUSE_VARIABLES = ("CLICKHOUSE_URI", "DATABASE_URI", "DATABASE_URL")
POSTGRES_VARIABLES = ("POSTGRES_URI", "DATABASE_URI", "DATABASE_URL")
CLICKHOUSE_SCHEMES = {"clickhouse": "http", "clickhouse+http": "http", "clickhouse+https": "http",
                      "clickhouse+native": "native", "chdb": "chdb"}
# postgresql+asyncpg is what the system we replace documents: the same server, reached here through psycopg
POSTGRES_SCHEMES = ("postgresql", "postgresql+psycopg", "postgres", "postgresql+asyncpg")
DEFAULT_HTTP_PORT = 8123
DEFAULT_NATIVE_PORT = 9000
MARTS_DATABASE = "marts"
RAW_DATABASE = "raw"
# dlt's clickhouse `table_engine_type` values a raw table may use on a server
RAW_TABLE_ENGINES = ("merge_tree", "replicated_merge_tree", "shared_merge_tree")
# Until the semantic layer supplies real organization ids, every raw row belongs to this one
DEFAULT_ORG_ID = "00000000-0000-0000-0000-000000000000"
DEFAULT_BATCH_SIZE = 1_000


def _mask_unparsed(uri: str) -> str:
    """Mask a URI urlsplit refuses: everything from the first `:` after the user to the last `@` goes,
    which hides more than the password rather than less when the text is garbled."""
    scheme, separator, rest = uri.partition("://")
    if not separator or "@" not in rest:
        return uri
    userinfo, _, host = rest.rpartition("@")
    user, colon, _ = userinfo.partition(":")
    return f"{scheme}://{user}{':***' if colon else ''}@{host}"


def mask_uri(uri: str) -> str:
    """Return the URI with any password replaced by `***`, even when the URI is malformed."""
    try:
        parts = urlsplit(uri)
        password = parts.password
    except ValueError:
        return _mask_unparsed(uri)
    if password is None:
        return uri
    userinfo = f"{parts.username or ''}:***"
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"{userinfo}@{host}").geturl()


def devhealth_home(environ: Mapping[str, str] | None = None) -> Path:
    """The folder that holds embedded engine data: `DEVHEALTH_HOME`, else `.devhealth/` here."""
    environ = os.environ if environ is None else environ
    return Path(environ.get("DEVHEALTH_HOME") or ".devhealth").resolve()


def pipelines_dir() -> Path:
    """Where pipelines keep their working state, laid out as dlt lays out its data dir: `<dir>/pipelines`
    with `<dir>` = DLT_DATA_DIR when set, else DEVHEALTH_HOME. So `DLT_DATA_DIR=$DEVHEALTH_HOME dlt pipeline
    --list-pipelines` and `dlt.attach(...)` find them; the state sits beside the warehouse it describes."""
    data_dir = os.environ.get("DLT_DATA_DIR", "").strip()
    return (Path(data_dir).resolve() if data_dir else devhealth_home()) / "pipelines"


def _positive_int(variable: str, default: int, environ: Mapping[str, str]) -> int:
    raw = environ.get(variable, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"{variable}={raw!r}: expected a positive whole number")
    return int(raw)


def batch_size(environ: Mapping[str, str] | None = None) -> int:
    """`BATCH_SIZE`: how many rows a resource yields to dlt at a time."""
    return _positive_int("BATCH_SIZE", DEFAULT_BATCH_SIZE, os.environ if environ is None else environ)


def _first_set(names: tuple[str, ...], environ: Mapping[str, str]) -> tuple[str, str] | None:
    for name in names:
        value = environ.get(name, "").strip()
        if value:
            return name, value
    return None


@dataclass(frozen=True)
class ClickHouseSettings:
    """Where the warehouse runs: `chdb` (embedded, a data folder) or a server over `http`/`native`."""

    interface: str
    source: str
    path: Path | None = None
    host: str = "localhost"
    port: int = DEFAULT_HTTP_PORT
    user: str = "default"
    password: str = ""
    database: str = MARTS_DATABASE
    secure: bool = False

    @property
    def is_embedded(self) -> bool:
        return self.interface == "chdb"

    def describe(self) -> str:
        if self.is_embedded:
            return f"chDB at {self.path} (from {self.source})"
        scheme = "https" if self.secure else self.interface
        return f"ClickHouse {scheme}://{self.user}:***@{self.host}:{self.port}/{self.database} (from {self.source})"


@dataclass(frozen=True)
class PostgresSettings:
    """Where the semantic database runs: an embedded pgserver data folder, or a server URI."""

    source: str
    uri: str | None = None
    data_dir: Path | None = None

    @property
    def is_embedded(self) -> bool:
        return self.uri is None


def _visible(text: str) -> str:
    """Control characters escaped (`\\n`, `\\x00`), so the message stays one readable line."""
    return "".join(repr(char)[1:-1] if ord(char) < 32 or ord(char) == 127 else char for char in text)


def _bad_uri(variable: str, uri: str, reason: str) -> ConfigError:
    return ConfigError(f"{variable}={_visible(mask_uri(uri))}: {reason}")


def parse_clickhouse_uri(uri: str, variable: str = "CLICKHOUSE_URI") -> ClickHouseSettings:
    """Parse a ClickHouse or chDB URI; anything else raises `ConfigError` naming `variable`."""
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError as error:
        raise _bad_uri(variable, uri, f"malformed URI ({error}); set CLICKHOUSE_URI to "
                       "clickhouse://user:pass@host:8123/db or chdb:///absolute/path") from None
    scheme = parts.scheme.lower()
    if scheme not in CLICKHOUSE_SCHEMES:
        shown = scheme or "(none)"
        raise _bad_uri(variable, uri, f"scheme '{shown}' is not ClickHouse; the warehouse needs ClickHouse: "
                       "set CLICKHOUSE_URI to clickhouse://, clickhouse+native:// or chdb:///path")
    interface = CLICKHOUSE_SCHEMES[scheme]
    if interface == "chdb":
        if parts.netloc or not parts.path.startswith("/") or parts.path == "/":
            raise _bad_uri(variable, uri, "a chDB URI needs an absolute path: chdb:///absolute/path; "
                           "set CLICKHOUSE_URI accordingly")
        return ClickHouseSettings(interface="chdb", source=variable, path=Path(unquote(parts.path)))
    if not parts.hostname:
        raise _bad_uri(variable, uri, "no host; set CLICKHOUSE_URI to clickhouse://user:pass@host:8123/db")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    secure = scheme == "clickhouse+https" or query.get("secure", "").lower() in ("1", "true", "yes")
    default_port = DEFAULT_NATIVE_PORT if interface == "native" else DEFAULT_HTTP_PORT
    database = unquote(parts.path.lstrip("/").split("/")[0]) or MARTS_DATABASE
    return ClickHouseSettings(
        interface=interface,
        source=variable,
        host=parts.hostname,
        port=port or default_port,
        user=unquote(parts.username) if parts.username else "default",
        password=unquote(parts.password) if parts.password else "",
        database=database,
        secure=secure,
    )


def clickhouse_settings(environ: Mapping[str, str] | None = None) -> ClickHouseSettings:
    """Resolve the warehouse: CLICKHOUSE_URI, then DATABASE_URI, then DATABASE_URL, else embedded chDB."""
    environ = os.environ if environ is None else environ
    found = _first_set(CLICKHOUSE_VARIABLES, environ)
    if found is None:
        return ClickHouseSettings(interface="chdb", source="DEVHEALTH_HOME",
                                  path=devhealth_home(environ) / "clickhouse")
    variable, uri = found
    return parse_clickhouse_uri(uri, variable)


def postgres_settings(environ: Mapping[str, str] | None = None) -> PostgresSettings:
    """Resolve the semantic database: POSTGRES_URI, then DATABASE_URI, then DATABASE_URL, else pgserver.

    DATABASE_URI/DATABASE_URL are shared with the warehouse, so a ClickHouse URI there is skipped
    rather than rejected; a non-PostgreSQL POSTGRES_URI is an error.
    """
    environ = os.environ if environ is None else environ
    for variable in POSTGRES_VARIABLES:
        uri = environ.get(variable, "").strip()
        if not uri:
            continue
        scheme = uri.partition("://")[0].lower() if "://" in uri else ""
        if scheme in POSTGRES_SCHEMES:
            return PostgresSettings(source=variable, uri=parse_postgres_uri(uri, variable))
        if variable == "POSTGRES_URI" or scheme not in CLICKHOUSE_SCHEMES:
            shown = scheme or "(none)"
            raise _bad_uri(variable, uri, f"scheme '{shown}' is not PostgreSQL; set POSTGRES_URI to "
                           "postgresql://user:pass@host:5432/db")
    return PostgresSettings(source="DEVHEALTH_HOME", data_dir=devhealth_home(environ) / "postgres")


def parse_postgres_uri(uri: str, variable: str = "POSTGRES_URI") -> str:
    """The `postgresql+psycopg://` form of a PostgreSQL URI; a malformed one raises `ConfigError` naming
    `variable`, password masked (a bad IPv6 host, a port that is not a number from 0 to 65535, ...)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    usage = f"set {variable} to postgresql://user:pass@host:5432/db"
    if any(ord(char) < 32 or ord(char) == 127 for char in uri):
        raise _bad_uri(variable, uri, f"the URI contains a control character; {usage}")
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 -- reading it is what validates it
    except ValueError as error:
        raise _bad_uri(variable, uri, f"malformed URI ({error}); {usage}") from None
    if parts.scheme.lower() not in POSTGRES_SCHEMES:
        raise _bad_uri(variable, uri, f"scheme '{parts.scheme or '(none)'}' is not PostgreSQL; {usage}")
    converted = _as_psycopg_uri(uri)
    try:
        make_url(converted)
    except (ArgumentError, ValueError) as error:
        raise _bad_uri(variable, uri, f"malformed URI ({error}); {usage}") from None
    return converted


def _as_psycopg_uri(uri: str) -> str:
    scheme, _, rest = uri.partition("://")
    if scheme == "postgresql+asyncpg":
        # asyncpg spells libpq's sslmode `ssl`, with the same values
        parts = urlsplit(f"{scheme}://{rest}")
        query = "&".join(f"sslmode{item[3:]}" if item.startswith("ssl=") else item
                         for item in parts.query.split("&") if item)
        rest = parts._replace(query=query).geturl().partition("://")[2]
    return f"postgresql+psycopg://{rest}" if scheme in POSTGRES_SCHEMES else uri


def raw_table_engine(settings: ClickHouseSettings, environ: Mapping[str, str] | None = None) -> str | None:
    """dlt's `table_engine_type` for raw tables: DEVHEALTH_RAW_TABLE_ENGINE, else `replicated_merge_tree`
    on a server when DEVHEALTH_CLICKHOUSE_CLUSTER names a cluster, else None (dlt's own config applies).
    """
    environ = os.environ if environ is None else environ
    engine = environ.get("DEVHEALTH_RAW_TABLE_ENGINE", "").strip().lower()
    if engine and engine not in RAW_TABLE_ENGINES:
        raise ConfigError(f"DEVHEALTH_RAW_TABLE_ENGINE={engine}: choose one of {', '.join(RAW_TABLE_ENGINES)}")
    if settings.is_embedded:
        if engine and engine != "merge_tree":
            raise ConfigError(f"DEVHEALTH_RAW_TABLE_ENGINE={engine}: needs a ClickHouse server; "
                              "the embedded chDB warehouse is a single node, use merge_tree or unset it")
        return None
    if engine:
        return engine
    return "replicated_merge_tree" if environ.get("DEVHEALTH_CLICKHOUSE_CLUSTER", "").strip() else None


# dbt scrubs the value of every variable named DBT_ENV_SECRET_* from its logs and artifacts
DBT_PASSWORD_VARIABLE = "DBT_ENV_SECRET_CLICKHOUSE_PASSWORD"
DEPRECATED_TARGET_VARIABLE = "DEVHEALTH_DBT_TARGET"


def dbt_target(settings: ClickHouseSettings, environ: Mapping[str, str] | None = None) -> str:
    """The dbt target: dbt's own DBT_TARGET, else the deprecated DEVHEALTH_DBT_TARGET, else `local` for
    the embedded warehouse and `prod` for a server."""
    environ = os.environ if environ is None else environ
    for variable in ("DBT_TARGET", DEPRECATED_TARGET_VARIABLE):
        value = environ.get(variable, "").strip()
        if value:
            return value
    return "local" if settings.is_embedded else "prod"


def dbt_environment(settings: ClickHouseSettings, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The variables `profiles.yml` reads, so dbt targets the same warehouse as everything else.

    DBT_TARGET is dbt's own `--target` variable; the password travels as a DBT_ENV_SECRET_ variable so
    dbt masks it wherever it would print it.
    """
    target = {"DBT_TARGET": dbt_target(settings, environ)}
    if settings.is_embedded:
        return {**target, "DEVHEALTH_CHDB_PATH": str(settings.path)}
    return {
        **target,
        "DEVHEALTH_CLICKHOUSE_HOST": settings.host,
        "DEVHEALTH_CLICKHOUSE_PORT": str(settings.port),
        "DEVHEALTH_CLICKHOUSE_USER": settings.user,
        DBT_PASSWORD_VARIABLE: settings.password,
        "DEVHEALTH_CLICKHOUSE_DRIVER": settings.interface,
        "DEVHEALTH_CLICKHOUSE_SECURE": "True" if settings.secure else "False",
    }
