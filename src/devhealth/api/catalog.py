"""The marts' columns and ClickHouse types, read once from the warehouse when the API starts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from devhealth.api.resources import RESOURCES, Resource
from devhealth.errors import ConfigError
from devhealth.settings import MARTS_DATABASE

_WRAPPER = re.compile(r"^(Nullable|LowCardinality)\((.*)\)$")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # as ClickHouse spells it, e.g. Nullable(Float64)

    @property
    def base_type(self) -> str:
        """The type without Nullable/LowCardinality wrappers: what a bound parameter of this column is."""
        return base_type(self.type)

    @property
    def nullable(self) -> bool:
        return "Nullable(" in self.type


def base_type(ch_type: str) -> str:
    while match := _WRAPPER.match(ch_type):
        ch_type = match.group(2)
    return ch_type


@dataclass(frozen=True)
class Mart:
    resource: Resource
    columns: tuple[Column, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


# a keyed mart's bookkeeping (`_built_at`, `_rule_hash`: which build and rule computed a row) is not served
CATALOG_SQL = (
    "select table, name, type from system.columns "
    "where database = {database:String} and has({tables:Array(String)}, table) and not startsWith(name, '_') "
    "order by table, position"
)


def build_catalog(rows: list[tuple[str, str, str]]) -> dict[str, Mart]:
    """Marts by name from (table, column, type) rows; a mart not built yet is a ConfigError naming it."""
    columns: dict[str, list[Column]] = {}
    for table, name, ch_type in rows:
        columns.setdefault(table, []).append(Column(name, ch_type))
    missing = [resource.mart for resource in RESOURCES if resource.mart not in columns]
    if missing:
        shown = "no mart" if len(missing) == len(RESOURCES) else ", ".join(missing)
        raise ConfigError(f"{shown} built yet in the warehouse; run `devhealth run` (or `devhealth metrics all`) "
                          "first")
    catalog = {}
    for resource in RESOURCES:
        mart = Mart(resource, tuple(columns[resource.mart]))
        absent = [name for name in ("org_id", *resource.grain) if name not in mart.names]
        if absent:
            raise ConfigError(f"mart {resource.mart} has no column {', '.join(absent)}: the API and the marts "
                              "disagree on its grain")
        catalog[resource.mart] = mart
    return catalog


def catalog_parameters() -> dict[str, object]:
    return {"database": MARTS_DATABASE, "tables": [resource.mart for resource in RESOURCES]}
