"""The Jira source against recorded REST payloads: nextPageToken and startAt pages, 429, changelog transitions."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from provider_helpers import TOKEN, files_containing
from rest_replay import ReplayServer, Reply, fixture

from devhealth.errors import ProviderError
from devhealth.extract.jira import jira_source
from devhealth.extract.jira.helpers import search_jql
from devhealth.pipelines import load
from devhealth.settings import devhealth_home

SEARCH = "/rest/api/3/search/jql"
EMAIL = "bot@acme.io"


def jira_routes(server: ReplayServer) -> None:
    server.add("/rest/api/3/status", fixture("jira/statuses.json"))
    server.add(SEARCH, fixture("jira/search_page1.json"))
    server.add(SEARCH, fixture("jira/search_page2.json"), query={"nextPageToken": "CAEaAggD"})
    server.add(SEARCH, fixture("jira/search_incidents.json"), query={"jql": search_jql(
        ["OPS"], datetime(2000, 1, 1, tzinfo=UTC), ("Incident",))})
    server.add("/rest/api/3/issue/10101/changelog", fixture("jira/changelog_10101_page1.json"))
    server.add("/rest/api/3/issue/10101/changelog", fixture("jira/changelog_10101_page2.json"),
               query={"startAt": "2"})
    server.add("/rest/api/3/issue/10102/changelog", fixture("jira/changelog_10102.json"))
    server.add("/rest/api/3/issue/10103/changelog", fixture("jira/changelog_10103.json"))


def source(server: ReplayServer, **kwargs):
    return jira_source(server.base, ["ops"], access_token=TOKEN, email=EMAIL, **kwargs)


def test_issues_transitions_and_incidents_land_in_raw(replay, fast_retries, dataset_name, raw_rows) -> None:
    jira_routes(replay)
    first_search = next(r for r in replay.routes if r.path == SEARCH and not r.query)
    replay.fail_first(first_search, Reply(429, {"errorMessages": ["Rate limit exceeded"]}, {"Retry-After": "2"}))

    load(source(replay), pipeline_name=dataset_name, dataset_name=dataset_name)

    items = raw_rows(dataset_name, "work_items", "work_item_id, work_item_key, project, work_item_type, status, "
                     "status_category, assignee_email, story_points, labels, created_at, resolved_at", "work_item_key")
    assert [(i["work_item_key"], i["work_item_type"], i["status"], i["status_category"]) for i in items] == [
        ("OPS-1", "Story", "Done", "done"), ("OPS-2", "Bug", "In Progress", "in_progress"),
        ("OPS-3", "Incident", "Done", "done")]
    assert items[0]["story_points"] == 5.0 and items[1]["story_points"] is None
    assert items[0]["assignee_email"] == "ann.dev@acme.io" and items[0]["project"] == "OPS"
    assert items[0]["created_at"] == datetime(2024, 5, 1, 7, tzinfo=UTC)
    assert items[2]["resolved_at"] == datetime(2024, 5, 9, 7, 45, tzinfo=UTC)
    assert json.loads(items[2]["labels"]) == ["payments", "sev1"]

    transitions = raw_rows(dataset_name, "work_item_transitions", "work_item_key, transitioned_at, from_status, "
                           "to_status, from_category, to_category, author_email", "work_item_key, transitioned_at")
    assert [(t["work_item_key"], t["from_status"], t["to_status"], t["to_category"]) for t in transitions] == [
        ("OPS-1", "To Do", "In Progress", "in_progress"), ("OPS-1", "In Progress", "Done", "done"),
        ("OPS-2", "To Do", "In Progress", "in_progress"),
        ("OPS-3", "To Do", "In Progress", "in_progress"), ("OPS-3", "In Progress", "Done", "done")]
    assert transitions[1]["transitioned_at"] == datetime(2024, 5, 6, 15, 30, tzinfo=UTC)
    assert transitions[0]["from_category"] == "todo" and transitions[0]["author_email"] == "ann.dev@acme.io"

    incidents = raw_rows(dataset_name, "incidents", "incident_id, title, severity, opened_at, resolved_at",
                         "incident_id")
    assert incidents == [
        {"incident_id": "10103", "title": "Payments down", "severity": "highest",
         "opened_at": datetime(2024, 5, 9, 5, 15, tzinfo=UTC), "resolved_at": datetime(2024, 5, 9, 7, 45, tzinfo=UTC)}]

    searches = replay.requests_to(SEARCH)
    assert [s.query.get("nextPageToken") for s in searches if "Incident" not in s.query["jql"]] == [
        None, None, "CAEaAggD"]  # the 429, its retry, then the second page
    assert [s.query.get("startAt") for s in replay.requests_to("/rest/api/3/issue/10101/changelog")] == ["0", "2"]
    basic = "Basic " + base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()
    assert {s.headers.get("Authorization") for s in replay.seen} == {basic}
    pipeline_dir = devhealth_home() / "pipelines" / dataset_name
    assert files_containing(pipeline_dir, TOKEN) == [] and files_containing(pipeline_dir, basic) == []


def test_rerun_searches_from_the_cursor_and_reads_no_unchanged_changelog(replay, fast_retries, dataset_name,
                                                                         raw_rows) -> None:
    jira_routes(replay)
    load(source(replay), pipeline_name=dataset_name, dataset_name=dataset_name)
    replay.forget_seen()
    # nothing changed since: Jira answers the narrower JQL with the newest issue only (the lookback overlap)
    replay.add(SEARCH, fixture("jira/search_incidents.json"))

    load(source(replay), pipeline_name=dataset_name, dataset_name=dataset_name)

    jql = next(s.query["jql"] for s in replay.requests_to(SEARCH) if "Incident" not in s.query["jql"])
    assert jql == 'project in ("OPS") AND updated >= "2024-05-08 08:00" ORDER BY updated ASC'
    assert replay.requests_to("/rest/api/3/issue/10101/changelog") == []
    assert raw_rows(dataset_name, "work_item_transitions", "count() as n", "n") == [{"n": 5}]


def test_forbidden_project_is_one_line(replay, fast_retries, dataset_name) -> None:
    jira_routes(replay)
    replay.add(SEARCH, {"errorMessages": ["You do not have permission"]}, status=403)

    with pytest.raises(ProviderError) as raised:
        load(source(replay), pipeline_name=dataset_name, dataset_name=dataset_name)
    assert str(raised.value).startswith(f"jira work_items ({SEARCH}): HTTP 403")
    assert TOKEN not in str(raised.value)
