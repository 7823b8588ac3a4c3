"""What a dlt user does with devhealth's pipelines: list them with dlt's CLI, attach one and read its
dataset, and read a trace that names the embedded warehouse as it is."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dlt

from devhealth.pipelines import load, pipelines_dir
from devhealth.settings import clickhouse_settings


@dlt.resource(name="builds", primary_key="id", write_disposition="merge")
def builds():
    yield [{"id": i, "outcome": "green" if i % 3 else "red"} for i in range(30)]


def test_pipelines_live_where_dlt_looks_with_dlt_data_dir(devhealth_home: Path, monkeypatch) -> None:
    assert pipelines_dir() == devhealth_home / "pipelines"
    monkeypatch.setenv("DLT_DATA_DIR", "/srv/dlt")
    assert pipelines_dir() == Path("/srv/dlt/pipelines")


def test_dlt_attach_reads_the_dataset_and_the_trace_names_the_chdb_folder(devhealth_home: Path) -> None:
    info = load(builds(), "test_attach", "test_attach")
    location = f"chdb://{clickhouse_settings().path}"
    # not a host and port: the embedded warehouse has neither
    assert f"used {location} location" in str(info) and ":9440" not in str(info)

    # a fresh attach, as a dlt user would do it: no destination credentials given, none persisted
    attached = dlt.attach("test_attach", pipelines_dir=str(pipelines_dir()))
    rows = attached.dataset().builds.select("id", "outcome").fetchall()
    assert len(rows) == 30 and sum(outcome == "red" for _, outcome in rows) == 10
    assert location in str(attached.last_trace)


def test_dlt_cli_lists_the_pipelines(devhealth_home: Path) -> None:
    load(builds(), "test_listed", "test_listed")
    listed = subprocess.run([str(Path(sys.executable).parent / "dlt"), "pipeline", "--list-pipelines"],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "DLT_DATA_DIR": str(devhealth_home)})
    assert listed.returncode == 0, listed.stderr[-2000:]
    assert "test_listed" in listed.stdout and f"found in {devhealth_home / 'pipelines'}" in listed.stdout
