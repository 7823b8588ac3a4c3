"""The raw contract (src/devhealth/extract/raw_contract.yml) is the one declaration of every raw table: what is
derived from it by hand or by dbt (the rendered macro, the docs, the retention timestamps) must agree with it."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pytest
import yaml

from devhealth.extract.contract_resources import contract_resource, contract_transformer
from devhealth.extract.git.helpers import BLAME_SCHEMA, COMMIT_SCHEMA, FILE_SCHEMA
from devhealth.extract.raw_contract import (
    CONTRACT_PATH,
    MACRO_PATH,
    _entity,
    arrow_schema,
    dlt_hints,
    entities,
    render_macro,
    tables,
)

ROOT = Path(__file__).resolve().parents[2]


def test_the_dbt_macro_is_rendered_from_the_current_contract() -> None:
    assert MACRO_PATH.read_text(encoding="utf-8") == render_macro(), (
        "macros/raw_contract.sql is stale: run `.venv/bin/python -m devhealth.extract.raw_contract`")


def test_every_table_has_its_key_first_class_and_the_load_columns_left_to_dlt() -> None:
    assert "github___pull_requests" in tables()
    assert [column.name for column in tables()["github___pull_requests"] if column.is_key] == [
        "org_id", "repo_id", "pr_number"]
    # a column limited to some datasets lives only in their tables
    assert "is_removed" in [column.name for column in tables()["git___commits"]]
    assert "is_removed" not in [column.name for column in tables()["github___commits"]]
    assert "author_login" in [column.name for column in tables()["gitlab___commits"]]
    for table, declared in tables().items():
        assert not {"_dlt_load_id", "_dlt_id"} & {column.name for column in declared}, table


def test_arrow_schemas_and_dlt_hints_come_from_the_contract() -> None:
    assert FILE_SCHEMA.field("extracted_at").type == pa.timestamp("us", "UTC")
    assert not COMMIT_SCHEMA.field("sha").nullable and COMMIT_SCHEMA.field("is_merge").nullable
    assert BLAME_SCHEMA.names == [column.name for column in tables()["git___blame"]]
    assert arrow_schema("work_items", "jira").field("story_points").type == pa.float64()
    pulls = contract_resource("pull_requests", "github")(lambda: iter(())).compute_table_schema()
    assert pulls["write_disposition"] == "merge"
    assert pulls["columns"]["merged_at"] == {"name": "merged_at", "data_type": "timestamp", "nullable": True,
                                             "timezone": True}
    # keys take their hint from the resource's primary key
    assert pulls["columns"]["pr_number"] == {"name": "pr_number", "nullable": False, "primary_key": True}
    commits = contract_resource("commits", "gitlab")(lambda: iter(())).compute_table_schema()["columns"]
    assert set(commits) >= {"author_login", "lines_added"} and "is_removed" not in commits
    files = contract_transformer("commit_files", "github", contract_resource("commits", "github")(lambda: iter(())))(
        lambda batch: iter(())).compute_table_schema()["columns"]
    assert [name for name, column in files.items() if column.get("primary_key")] == ["org_id", "repo_id", "sha", "path"]
    assert dlt_hints("work_items")["story_points"]["data_type"] == "double"


def test_retention_ages_each_table_by_the_contracts_event_time() -> None:
    variables = yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]
    declared = {name: entity.event_time for name, entity in entities().items() if entity.event_time}
    assert variables["raw_event_timestamps"] == declared


def _documented_keys() -> dict[str, set[tuple[str, ...]]]:
    keys: dict[str, set[tuple[str, ...]]] = {}
    for line in (ROOT / "docs" / "raw_contract.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("table", "---"):
            name = re.sub(r"\s*\(.*\)$", "", cells[0])
            keys.setdefault(name, set()).add(tuple(part.strip() for part in cells[1].split(",")))
    return keys


def test_the_docs_name_every_entity_with_the_contracts_key() -> None:
    documented = _documented_keys()
    for name, entity in entities().items():
        assert documented.get(name) == {entity.key}, f"docs/raw_contract.md: {name} keyed by {documented.get(name)}"


def test_the_docs_name_every_contract_column() -> None:
    text = (ROOT / "docs" / "raw_contract.md").read_text(encoding="utf-8")
    for table, declared in tables().items():
        for column in declared:
            assert re.search(rf"\b{column.name}\b", text), f"docs/raw_contract.md never names {table}.{column.name}"


@pytest.mark.parametrize(("spec", "error"), [
    ({"description": "d", "datasets": ["x"], "key": ["id"], "columns": [{"name": "other", "type": "text"}]},
     "raw contract broken: key columns ['id'] are not among its columns"),
    ({"description": "d", "datasets": ["x"], "key": ["id"], "columns": [{"name": "id", "type": "varchar"}]},
     "raw contract broken.id: unknown type varchar"),
    ({"description": "d", "datasets": ["x"], "key": ["id"], "event_time": "at",
      "columns": [{"name": "id", "type": "text"}]},
     "raw contract broken: event_time at is not among its columns"),
    ({"description": "d", "datasets": ["x"], "key": ["id"],
      "columns": [{"name": "id", "type": "text", "stage": "upper"}]},
     "raw contract broken.id: unknown stage upper"),
])
def test_a_broken_declaration_is_refused_naming_the_entity(spec: dict, error: str) -> None:
    with pytest.raises(ValueError) as raised:
        _entity("broken", spec)
    assert str(raised.value) == error


def test_the_contract_file_is_the_one_the_package_reads() -> None:
    assert CONTRACT_PATH == ROOT / "src" / "devhealth" / "extract" / "raw_contract.yml"


def test_the_sources_declare_exactly_the_contracts_tables() -> None:
    declared = set()
    for path in (ROOT / "models" / "staging").glob("*/_*__sources.yml"):
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]:
            declared |= {table.get("identifier", f"{source['name']}___{table['name']}") for table in source["tables"]}
    assert declared == set(tables())


def test_each_staging_model_of_a_raw_table_is_one_call_of_staging_model() -> None:
    # the contract says how each column is staged: a model that lists its columns again would drift from it
    # an organization's settings need more than a cast (minute_of_day, weekdays as numbers)
    staged = [table for table in tables() if table != "semantic___org_settings"]
    assert "github___pull_requests" in staged and "git___blame" in staged
    for table in staged:
        dataset, entity = table.split("___")
        model = ROOT / "models" / "staging" / dataset / f"stg_{dataset}__{entity}.sql"
        assert model.read_text(encoding="utf-8") == f"{{{{ staging_model('{dataset}', '{entity}') }}}}\n", model
    assert not list((ROOT / "macros" / "staging").glob("stage_*.sql"))
