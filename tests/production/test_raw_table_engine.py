"""The raw tables' engine on a server: DEVHEALTH_RAW_TABLE_ENGINE, else replicated on a cluster, else dlt's config."""

import pytest

from devhealth.errors import ConfigError
from devhealth.pipelines import warehouse_destination
from devhealth.settings import clickhouse_settings, parse_clickhouse_uri, raw_table_engine

SERVER = parse_clickhouse_uri("clickhouse://loader:secret@ch.example.com:8123/marts")


def resolved_engine(monkeypatch, environ: dict[str, str]) -> str:
    for name in ("DEVHEALTH_RAW_TABLE_ENGINE", "DEVHEALTH_CLICKHOUSE_CLUSTER",
                 "DESTINATION__CLICKHOUSE__TABLE_ENGINE_TYPE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    destination = warehouse_destination(SERVER)
    return destination.configuration(destination.spec(), accept_partial=True).table_engine_type


@pytest.mark.parametrize(
    ("environ", "engine"),
    [
        ({}, "merge_tree"),
        ({"DEVHEALTH_CLICKHOUSE_CLUSTER": "analytics"}, "replicated_merge_tree"),
        ({"DEVHEALTH_CLICKHOUSE_CLUSTER": "analytics", "DEVHEALTH_RAW_TABLE_ENGINE": "shared_merge_tree"},
         "shared_merge_tree"),
        ({"DEVHEALTH_RAW_TABLE_ENGINE": "Replicated_Merge_Tree"}, "replicated_merge_tree"),
        ({"DESTINATION__CLICKHOUSE__TABLE_ENGINE_TYPE": "replicated_merge_tree"}, "replicated_merge_tree"),
    ],
)
def test_dlt_creates_raw_tables_with_the_configured_engine(monkeypatch, environ, engine) -> None:
    assert resolved_engine(monkeypatch, environ) == engine


def test_unknown_engine_names_the_variable() -> None:
    with pytest.raises(ConfigError, match=r"^DEVHEALTH_RAW_TABLE_ENGINE=log: choose one of merge_tree, "):
        raw_table_engine(SERVER, {"DEVHEALTH_RAW_TABLE_ENGINE": "log"})


def test_embedded_warehouse_refuses_replication_but_ignores_a_cluster_name(tmp_path) -> None:
    embedded = clickhouse_settings({"DEVHEALTH_HOME": str(tmp_path)})
    assert raw_table_engine(embedded, {"DEVHEALTH_CLICKHOUSE_CLUSTER": "analytics"}) is None
    with pytest.raises(ConfigError, match=r"^DEVHEALTH_RAW_TABLE_ENGINE=replicated_merge_tree: needs a ClickHouse"):
        raw_table_engine(embedded, {"DEVHEALTH_RAW_TABLE_ENGINE": "replicated_merge_tree"})
