"""The raw contract (src/devhealth/extract/raw_contract.yml) read once, and everything derived from it.

The YAML file is the one place a raw entity is declared. This module turns it into the dlt column
hints and Arrow schemas the sources load with, and renders the dbt macro `raw_contract()`
(macros/raw_contract.sql) that creates the raw tables no source has loaded yet and stages them:
`python -m devhealth.extract.raw_contract` rewrites the macro, and a test fails while it is stale.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import yaml

CONTRACT_PATH = Path(__file__).with_name("raw_contract.yml")
# the dbt project at the repository root, above src/devhealth/extract/
MACRO_PATH = Path(__file__).resolve().parents[3] / "macros" / "raw_contract.sql"

# dlt's data types, as dlt creates them on ClickHouse and as the Arrow loads type them
CLICKHOUSE_TYPES = {"text": "String", "bigint": "Int64", "double": "Float64", "bool": "Bool",
                    "timestamp": "DateTime64(6,'UTC')"}
_UTC = "UTC"
# how a column may be staged other than by its type's cast (the YAML file's header says what each means)
STAGES = ("lower", "json_array", "skip")
STAGING_FIELDS = ("staged_name", "stage", "default")
ARROW_TYPES = {"text": pa.string(), "bigint": pa.int64(), "double": pa.float64(), "bool": pa.bool_(),
               "timestamp": pa.timestamp("us", _UTC)}


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    is_key: bool


@dataclass(frozen=True)
class Entity:
    name: str
    description: str
    datasets: tuple[str, ...]
    key: tuple[str, ...]
    event_time: str | None
    columns_by_dataset: dict[str, tuple[Column, ...]]

    def columns(self, dataset: str) -> tuple[Column, ...]:
        """The columns of `<dataset>___<entity>`, in the contract's order."""
        return self.columns_by_dataset[dataset]


def _entity(name: str, spec: dict[str, Any]) -> Entity:
    datasets = tuple(spec["datasets"])
    key = tuple(spec["key"])
    names = [column["name"] for column in spec["columns"]]
    # a typo here would silently create a table without its key or with a column twice
    if missing := sorted(set(key) - set(names)):
        raise ValueError(f"raw contract {name}: key columns {missing} are not among its columns")
    if len(set(names)) != len(names):
        raise ValueError(f"raw contract {name}: a column is declared twice")
    event_time = spec.get("event_time")
    if event_time is not None and event_time not in names:
        raise ValueError(f"raw contract {name}: event_time {event_time} is not among its columns")
    by_dataset: dict[str, tuple[Column, ...]] = {}
    for column in spec["columns"]:
        if column["type"] not in CLICKHOUSE_TYPES:
            raise ValueError(f"raw contract {name}.{column['name']}: unknown type {column['type']}")
        # staging would otherwise cast the column by its type and stage a misspelt rule as nothing at all
        if column.get("stage", "skip") not in STAGES:
            raise ValueError(f"raw contract {name}.{column['name']}: unknown stage {column['stage']}")
    for dataset in datasets:
        columns = []
        for column in spec["columns"]:
            if dataset in column.get("datasets", datasets):
                columns.append(Column(column["name"], column["type"], column["name"] in key))
        by_dataset[dataset] = tuple(columns)
    return Entity(name, spec["description"], datasets, key, event_time, by_dataset)


@cache
def entities() -> dict[str, Entity]:
    """Every raw entity of the contract, by name."""
    spec = yaml.safe_load(CONTRACT_PATH.read_text(encoding="utf-8"))
    return {name: _entity(name, entity) for name, entity in spec.items()}


def tables() -> dict[str, tuple[Column, ...]]:
    """Every raw table (`<dataset>___<entity>`) of the contract with its columns."""
    return {f"{dataset}___{entity.name}": entity.columns(dataset)
            for entity in entities().values() for dataset in entity.datasets}


def dlt_hints(entity: str, dataset: str | None = None, keys: bool = False) -> dict[str, dict[str, Any]]:
    """dlt column hints for every column that is not part of the key (with `keys`, for the key's too, not
    nullable: a `replace` resource's primary key does not make dlt create its columns NOT NULL).

    Hints matter where a value can be absent in a whole load (a provider that never sends author
    emails, a run not finished yet): without one dlt would not create the column at all. The key's
    columns take their hints from the resource's primary key, so they are left out. `dataset` picks
    the columns of one dataset; by default those of the entity's first.
    """
    declared = entities()[entity]
    columns = declared.columns(dataset or declared.datasets[0])
    # a dict per column: dlt writes each column's name into its hint, so shared dicts would collide
    hints: dict[str, dict[str, Any]] = {}
    for column in columns:
        if column.is_key and not keys:
            continue
        hints[column.name] = {"data_type": column.data_type, "nullable": not column.is_key}
        if column.data_type == "timestamp":
            hints[column.name]["timezone"] = True
    return hints


def arrow_schema(entity: str, dataset: str) -> pa.Schema:
    """The Arrow schema a load of `<dataset>___<entity>` carries: keys not nullable, the rest nullable."""
    return pa.schema([pa.field(column.name, ARROW_TYPES[column.data_type], nullable=not column.is_key)
                      for column in entities()[entity].columns(dataset)])


def render_macro() -> str:
    """macros/raw_contract.sql: the contract for dbt, one entry per entity as in the YAML file.

    Per entity its datasets and its columns as (name, ClickHouse type, is key, datasets or none for all);
    raw_contract_tables() expands them into the tables create_missing_raw_tables and staging read. Then how
    staging reads it: whether incrementally, and the columns staged other than by their type's cast.
    """
    lines = [
        "{#- Generated from src/devhealth/extract/raw_contract.yml by `python -m devhealth.extract.raw_contract`:",
        "    do not edit.",
        "    Per raw entity its datasets (table `<dataset>___<entity>`) and its columns as dlt creates them on",
        "    ClickHouse: (name, type, is key, the datasets it is limited to or none). Keys are not Nullable,",
        "    every other column is, JSON is String. raw_contract_tables() expands it per table. `incremental` and",
        "    `staged` (the columns staged other than by their type: staged_name, stage, default) are for",
        "    staging_model. -#}",
        "{% macro raw_contract() -%}",
        "{{ return({",
    ]
    spec = yaml.safe_load(CONTRACT_PATH.read_text(encoding="utf-8"))
    entity_lines = []
    for name, entity in spec.items():
        column_lines = ",\n".join(
            f"            ('{column['name']}', \"{CLICKHOUSE_TYPES[column['type']]}\", "
            f"{str(column['name'] in entity['key']).lower()}, {_jinja_list(column.get('datasets'))})"
            for column in entity["columns"])
        staged = [f"            '{column['name']}': {_jinja_dict(column)}"
                  for column in entity["columns"] if any(field in column for field in STAGING_FIELDS)]
        staged_block = "{\n" + ",\n".join(staged) + "\n        }" if staged else "{}"
        entity_lines.append(f"    '{name}': {{\n        'datasets': {_jinja_list(entity['datasets'])},\n"
                            f"        'columns': [\n{column_lines}\n        ],\n"
                            f"        'incremental': {str(entity.get('incremental', False)).lower()},\n"
                            f"        'staged': {staged_block}\n    }}")
    lines.append(",\n".join(entity_lines))
    lines += ["}) }}", "{%- endmacro %}", ""]
    return "\n".join(lines)


def _jinja_list(names: list[str] | None) -> str:
    return "none" if names is None else "[" + ", ".join(f"'{name}'" for name in names) + "]"


def _jinja_dict(column: dict[str, Any]) -> str:
    return "{" + ", ".join(f"'{field}': '{column[field]}'" for field in STAGING_FIELDS if field in column) + "}"


def main() -> int:
    MACRO_PATH.write_text(render_macro(), encoding="utf-8")
    print(f"wrote {MACRO_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
