"""Generic JSON Lines events: validation, UTC times, replace-by-id across loads, bad files load nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rest_replay import FIXTURES

from devhealth.errors import InputError
from devhealth.extract.events import events_source
from devhealth.extract.events.helpers import LineError, parse_line, parse_lines
from devhealth.extract.rows import repo_id_of
from devhealth.pipelines import load

ORG = "11111111-2222-3333-4444-555555555555"
EVENTS = FIXTURES / "events"


def run(path: Path, dataset: str) -> None:
    load(events_source(path, org_id=ORG), pipeline_name=dataset, dataset_name=dataset)


def test_events_land_in_utc_and_a_later_version_replaces_the_earlier(dataset_name, raw_rows) -> None:
    run(EVENTS / "day1.jsonl", dataset_name)

    changes = raw_rows(dataset_name, "changes", "org_id, repo_name, sha, created_at, author_email", "created_at")
    assert changes[0] == {"org_id": ORG, "repo_name": "acme/api", "sha": "a" * 40,
                          "created_at": datetime(2024, 5, 1, 7, tzinfo=UTC), "author_email": "ann@example.com"}
    deployments = raw_rows(dataset_name, "deployments",
                           "deployment_id, repo_id, repo_name, provider, status, sha, shas, started_at, finished_at",
                           "deployment_id")
    assert [(d["deployment_id"], d["repo_name"], d["status"]) for d in deployments] == [
        ("deploy-101", "acme/api", "success"), ("deploy-7", "acme/billing", "failure")]
    assert deployments[0]["repo_id"] == repo_id_of("https://github.com/acme/api")
    assert deployments[1]["repo_id"] == repo_id_of("https://gitlab.com/acme/billing")
    assert deployments[0]["started_at"] == datetime(2024, 5, 1, 16, tzinfo=UTC)
    assert deployments[0]["finished_at"] == datetime(2024, 5, 1, 16, 7, 30, tzinfo=UTC)
    assert json.loads(deployments[0]["shas"]) == ["b" * 40, "a" * 40]
    assert {d["provider"] for d in deployments} == {"events"}
    open_incident = raw_rows(dataset_name, "incidents", "incident_id, opened_at, resolved_at, caused_by_deployment_id, "
                             "caused_by_sha, severity", "incident_id")
    assert open_incident == [{"incident_id": "INC-9", "opened_at": datetime(2024, 5, 1, 16, tzinfo=UTC),
                              "resolved_at": None, "caused_by_deployment_id": "deploy-101",
                              "caused_by_sha": "b" * 40, "severity": "sev2"}]

    run(EVENTS / "day2.jsonl", dataset_name)
    run(EVENTS / "day2.jsonl", dataset_name)  # a file sent twice adds nothing

    incidents = raw_rows(dataset_name, "incidents", "incident_id, resolved_at", "incident_id")
    assert incidents == [{"incident_id": "INC-9", "resolved_at": datetime(2024, 5, 2, 8, 15, tzinfo=UTC)}]
    assert [d["deployment_id"] for d in raw_rows(dataset_name, "deployments", "deployment_id", "deployment_id")] == [
        "deploy-101", "deploy-102", "deploy-7"]
    assert len(raw_rows(dataset_name, "changes", "sha", "sha")) == 3


def test_a_file_with_a_bad_line_loads_nothing_and_names_file_line_and_field(dataset_name, raw_rows) -> None:
    run(EVENTS / "day1.jsonl", dataset_name)
    before = raw_rows(dataset_name, "changes", "sha", "sha")

    with pytest.raises(InputError) as raised:
        run(EVENTS / "bad_sha.jsonl", dataset_name)

    message = str(raised.value)
    assert "bad_sha.jsonl line 3" in message and "field 'shas[1]'" in message and "\n" not in message
    assert raw_rows(dataset_name, "changes", "sha", "sha") == before
    assert [i["incident_id"] for i in raw_rows(dataset_name, "incidents", "incident_id", "incident_id")] == ["INC-9"]


@pytest.mark.parametrize(("line", "field", "reason"), [
    ('{"kind":"build","repo":"acme/api"}', "kind", "expected one of change, deployment, incident"),
    ('{"kind":"change","repo":"acme/api","sha":"' + "a" * 40 + '","created_at":"2024-05-01 10:00"}',
     "created_at", "RFC 3339"),
    ('{"kind":"change","repo":"acme/api","sha":"' + "a" * 40 + '","created_at":"2024-05-01T10:00:00"}',
     "created_at", "with an offset"),
    ('{"kind":"deployment","repo":"acme/api","id":"d1","environment":"prod","status":"ok",'
     '"started_at":"2024-05-01T10:00:00Z","shas":[]}', "status", "success, failure"),
    ('{"kind":"deployment","repo":"acme/api","id":"d1","environment":"prod","status":"success",'
     '"started_at":"2024-05-01T10:00:00Z","finished_at":"2024-05-01T09:00:00Z","shas":[]}',
     "finished_at", "earlier than started_at"),
    ('{"kind":"incident","repo":"acme/api","created_at":"2024-05-01T10:00:00Z"}', "id", "missing"),
    ('{"kind":"incident","repo":"acme api","id":"i","created_at":"2024-05-01T10:00:00Z"}', "repo", "owner/name"),
    ('{"kind":"change","repo":', "line", "not valid JSON"),
    ('["change"]', "line", "JSON object"),
])
def test_invalid_lines_name_the_field(line: str, field: str, reason: str) -> None:
    with pytest.raises(LineError) as raised:
        parse_line(line, ORG)
    assert raised.value.field_name == field and reason in str(raised.value)


def change_at(created_at: str) -> str:
    return '{"kind":"change","repo":"acme/api","sha":"' + "a" * 40 + '","created_at":"' + created_at + '"}'


@pytest.mark.parametrize(("created_at", "reason"), [
    ("2024-02-30T10:00:00Z", 'no such time "2024-02-30T10:00:00Z"'),
    ("0000-01-01T00:00:00Z", 'no such time "0000-01-01T00:00:00Z"'),
    ("2024-05-01T10:00:00+99:00", 'no such time "2024-05-01T10:00:00+99:00"'),
    ("2024-05-01T25:00:00Z", "no such time"),
    ("2999-01-01T00:00:00Z", '"2999-01-01T00:00:00Z" is in the future (later than now plus 24 hours)'),
    ("1969-12-31T23:59:59Z", '"1969-12-31T23:59:59Z" is before 1970-01-01'),
    ("1970-01-01T00:30:00+01:00", "is before 1970-01-01"),
])
def test_times_that_cannot_be_name_file_line_and_field(created_at: str, reason: str) -> None:
    lines = [change_at("2024-05-01T10:00:00Z"), "", change_at(created_at)]
    with pytest.raises(InputError) as raised:
        parse_lines(lines, ORG, "deploys.jsonl")
    assert str(raised.value).startswith("events file deploys.jsonl line 3: field 'created_at': ")
    assert reason in str(raised.value) and "\n" not in str(raised.value)


def test_a_time_a_little_ahead_and_the_epoch_itself_load() -> None:
    soon = (datetime.now(UTC) + timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
    batch = parse_lines([change_at(soon), change_at("1970-01-01T00:00:00Z").replace("a" * 40, "b" * 40)],
                        ORG, "edge.jsonl")
    assert sorted(row["created_at"] for row in batch.of("change"))[0] == datetime(1970, 1, 1, tzinfo=UTC)


def test_cli_loads_a_file_and_rejects_a_bad_one_in_one_line(org_env, tmp_path: Path) -> None:
    devhealth = [sys.executable, "-m", "devhealth.cli", "sync", "events", "--file"]
    good = subprocess.run([*devhealth, str(EVENTS / "day1.jsonl")], capture_output=True, text=True, env=org_env,
                          timeout=300)
    assert good.returncode == 0, good.stderr
    assert "changes 2" in good.stdout and "deployments 2" in good.stdout and "incidents 1" in good.stdout

    bad = subprocess.run([*devhealth, str(EVENTS / "bad_sha.jsonl")], capture_output=True, text=True, env=org_env,
                         timeout=300)
    assert bad.returncode == 1
    assert bad.stderr.strip().count("\n") == 0 and "line 3" in bad.stderr and "Traceback" not in bad.stderr

    missing = subprocess.run([*devhealth, str(tmp_path / "nope.jsonl")], capture_output=True, text=True,
                             env=org_env, timeout=300)
    assert missing.returncode == 1 and "nope.jsonl: no such file" in missing.stderr
