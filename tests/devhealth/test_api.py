"""`devhealth api` as a client sees it: a real uvicorn server on 127.0.0.1, driven over HTTP by httpx.

The warehouse is built by tests/e2e/org_build.py (two synthetic organizations in one warehouse), whose dump
of every mart is what each endpoint's rows must equal; the server reads that warehouse with its embedded
chDB engine and the API keys from a fresh semantic database on the session's pgserver.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from dbt_parse import start_from_this_parse
from sqlalchemy import select, update

from devhealth.api.resources import RESOURCES

ORG_BUILD = Path(__file__).resolve().parents[1] / "e2e" / "org_build.py"
PAGE = 40  # small pages, so most marts take several and the cursors are exercised
KEY_CACHE_SECONDS = 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _plain(value: Any) -> Any:
    """As org_build's dump writes a value: floats to 9 places."""
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, module_semantic_database: str) -> Any:
    from devhealth.semantic_db import db
    from devhealth.semantic_db.models import ApiKey
    from devhealth.semantic_db.services import api_keys, organizations

    engine = db.get_engine(module_semantic_database)
    with db.admin_session(engine) as session:
        orgs = [organizations.get_or_create_organization(session, name) for name in ("Acme", "Globex")]
        keys = {
            "a": api_keys.create_api_key(session, orgs[0].id, "portal", ["metrics:read"]).key,
            "b": api_keys.create_api_key(session, orgs[1].id, "portal", ["metrics:read"]).key,
            "admin": api_keys.create_api_key(session, orgs[1].id, "ops", ["admin"]).key,
            "expired": api_keys.create_api_key(session, orgs[0].id, "old", ["metrics:read"], expires_in_days=1).key,
            "revoked": api_keys.create_api_key(session, orgs[0].id, "gone", ["metrics:read"]).key,
            "sync_only": api_keys.create_api_key(session, orgs[0].id, "ci", ["sync:run"]).key,
            "limited": api_keys.create_api_key(session, orgs[0].id, "script", ["metrics:read"],
                                               rate_limit_per_minute=3).key,
        }
        session.execute(update(ApiKey).where(ApiKey.prefix == keys["expired"].split("_")[1])
                        .values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
        api_keys.revoke_api_key(session, keys["revoked"].split("_")[1])
    org_ids = [str(org.id) for org in orgs]

    root = tmp_path_factory.mktemp("api")
    home, dump = root / "home", root / "marts.json"
    env = {"PATH": "/usr/bin:/bin", "DEVHEALTH_HOME": str(home), "HOME": str(home),
           "DBT_TARGET_PATH": str(start_from_this_parse(home / "target")), "DBT_LOG_PATH": str(home / "logs")}
    build = subprocess.run([sys.executable, str(ORG_BUILD), str(dump), f"{org_ids[0]}:5:21", f"{org_ids[1]}:6:28"],
                           env=env, text=True, capture_output=True, timeout=900)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]

    port = _free_port()
    log = root / "server.log"
    with log.open("w") as out:
        # accepted keys are taken on trust for a second: a revocation is honoured within that bound
        server = subprocess.Popen([sys.executable, "-m", "devhealth.cli", "api", "--port", str(port),
                                   "--key-cache-seconds", str(KEY_CACHE_SECONDS)],
                                  env={**env, "POSTGRES_URI": module_semantic_database}, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert server.poll() is None, log.read_text()[-3000:]
            try:
                httpx.get(f"{base}/openapi.json", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(0.5)
        with httpx.Client(base_url=base, timeout=60) as client:
            yield {"client": client, "keys": keys, "orgs": org_ids, "marts": json.loads(dump.read_text())["marts"],
                   "engine": engine, "log": log}
    finally:
        server.terminate()
        server.wait(timeout=30)
    # the key itself is never written by the server, whatever happened
    assert not any(key.split("_", 2)[2] in log.read_text() for key in keys.values())
    with db.admin_session(engine) as session:
        used = session.scalar(select(ApiKey.last_used_at).where(ApiKey.prefix == keys["a"].split("_")[1]))
    assert used is not None


def _get(api: Any, path: str, key: str = "a", **params: Any) -> httpx.Response:
    return api["client"].get(path, params=params, headers={"Authorization": f"Bearer {api['keys'][key]}"})


def _all_rows(api: Any, mart: str, key: str = "a", **params: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    after = None
    while True:
        response = _get(api, f"/v1/{mart}", key, limit=PAGE, **params, **({"after": after} if after else {}))
        assert response.status_code == 200, response.text
        page = response.json()
        rows += page["data"]
        after = page["next_cursor"]
        if after is None:
            return rows
        assert len(page["data"]) == PAGE


def _as_dumped(rows: list[dict[str, Any]]) -> list[list[Any]]:
    return sorted(([_plain(v) for k, v in row.items() if k != "computed_at"] for row in rows), key=json.dumps)


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.mart)
def test_each_resource_pages_through_exactly_its_orgs_mart_rows_in_grain_order(api, resource) -> None:
    for key, org in (("a", api["orgs"][0]), ("b", api["orgs"][1])):
        rows = _all_rows(api, resource.mart, key)
        expected = api["marts"][resource.mart][org]
        assert expected and _as_dumped(rows) == expected, f"{resource.mart} for org {org}"
        grain = [[row[c] for c in resource.grain] for row in rows]
        assert grain == sorted(grain)
    descending = _all_rows(api, resource.mart, "a", order="desc")
    assert [[r[c] for c in resource.grain] for r in descending] == sorted(grain_a := [
        [r[c] for c in resource.grain] for r in _all_rows(api, resource.mart, "a")], reverse=True)
    assert len(grain_a) == len(descending)


def test_filters_match_the_same_selection_of_the_mart(api) -> None:
    marts, org = api["marts"], api["orgs"][0]
    team_repos = marts["dim_team_repos"][org]
    team_id, repo_id = team_repos[0][1], team_repos[0][2]
    team_repo_ids = {row[2] for row in team_repos if row[1] == team_id}
    daily = marts["repo_metrics_daily"][org]  # org_id, repo_id, day, ...
    days = sorted({row[2] for row in daily})
    since, until = days[len(days) // 3], days[2 * len(days) // 3]

    assert _as_dumped(_all_rows(api, "repo_metrics_daily", team=team_id)) == [
        row for row in daily if row[1] in team_repo_ids]
    assert _as_dumped(_all_rows(api, "repo_metrics_daily", repo=repo_id, **{"from": since, "to": until})) == [
        row for row in daily if row[1] == repo_id and since <= row[2] <= until]
    weekly = marts["dora_metrics_weekly"][org]  # org_id, scope_type, scope_id, ...
    assert _as_dumped(_all_rows(api, "dora_metrics_weekly", scope="org")) == [r for r in weekly if r[1] == "org"]
    assert _as_dumped(_all_rows(api, "dora_metrics_weekly", team=team_id)) == [
        r for r in weekly if r[1] == "team" and r[2] == team_id]
    picked = _get(api, "/v1/repo_metrics_daily", repo=repo_id, fields="day,commits_count", limit=5).json()["data"]
    assert [list(row) for row in picked] == [["day", "commits_count"]] * 5


def test_monthly_user_and_work_item_marts_filter_and_add_up_to_their_days(api) -> None:
    marts, org = api["marts"], api["orgs"][0]
    team_repos = marts["dim_team_repos"][org]
    team_id = team_repos[0][1]
    team_repo_ids = {row[2] for row in team_repos if row[1] == team_id}
    users = marts["user_metrics_monthly"][org]  # org_id, repo_id, author_email, person_id, month, commits_count, ...
    months = sorted({row[4] for row in users})
    since = months[len(months) // 2]
    assert _as_dumped(_all_rows(api, "user_metrics_monthly", team=team_id, **{"from": since})) == [
        row for row in users if row[1] in team_repo_ids and row[4] >= since]
    # the served monthly commits are the month's sums of the daily mart's
    by_month: dict[tuple[str, str, str], int] = {}
    for row in marts["user_metrics_daily"][org]:  # org_id, repo_id, author_email, person_id, day, commits_count
        key = (row[1], row[2], row[4][:7] + "-01")
        by_month[key] = by_month.get(key, 0) + row[5]
    served = {(r["repo_id"], r["author_email"], r["month"]): r["commits_count"]
              for r in _all_rows(api, "user_metrics_monthly")}
    assert served and served == by_month

    items = marts["work_item_metrics_monthly"][org]  # org_id, month, provider, work_scope_id, team_id, ...
    scope = items[0][3]
    assert _as_dumped(_all_rows(api, "work_item_metrics_monthly", scope=scope)) == [r for r in items if r[3] == scope]
    item_team = next(row[4] for row in items if row[4])
    assert _as_dumped(_all_rows(api, "work_item_metrics_monthly", team=item_team)) == [
        r for r in items if r[4] == item_team]
    completed: dict[tuple[str, ...], int] = {}
    # org_id, day, provider, work_scope_id, team_id, team_key, team_label, started, done
    for row in marts["work_item_metrics_daily"][org]:
        key = (row[1][:7] + "-01", row[2], row[3], row[4])
        completed[key] = completed.get(key, 0) + row[8]
    served_items = {(r["month"], r["provider"], r["work_scope_id"], r["team_id"]): r["items_completed"]
                    for r in _all_rows(api, "work_item_metrics_monthly")}
    assert served_items and served_items == completed


def test_the_read_api_exposure_lists_every_resource() -> None:
    import re

    import yaml

    exposures = yaml.safe_load((Path(__file__).resolve().parents[2] / "models/marts/exposures.yml").read_text())
    read_api = next(e for e in exposures["exposures"] if e["name"] == "read_api")
    assert {re.fullmatch(r"ref\('(\w+)'\)", ref).group(1) for ref in read_api["depends_on"]} == {
        resource.mart for resource in RESOURCES}


def test_a_key_reads_only_its_own_organization_whatever_the_parameters(api) -> None:
    # both synthetic organizations hold the same repository ids: a filter on one never reaches the other org
    org_a, org_b = api["orgs"]
    repo_b = api["marts"]["dim_repos"][org_b][0][1]
    assert repo_b in {row[1] for row in api["marts"]["dim_repos"][org_a]}
    for mart, params in (("repo_metrics_daily", {"repo": repo_b}), ("dim_repos", {}), ("fct_work_items", {})):
        rows = _all_rows(api, mart, "a", **params)
        assert rows and {row["org_id"] for row in rows} == {org_a}
    # a cursor made on org B's pages does not open org A's rows to B, nor B's to A
    cursor = _get(api, "/v1/repo_metrics_daily", "b", limit=3).json()["next_cursor"]
    rows = _get(api, "/v1/repo_metrics_daily", "a", limit=PAGE, after=cursor).json()["data"]
    assert rows and {row["org_id"] for row in rows} == {org_a}
    graphql = _graphql(api, "{ dimRepos(first: 1000) { rows { orgId repoId } } }", key="b")
    assert {row["orgId"] for row in graphql["data"]["dimRepos"]["rows"]} == {org_b}


def test_csv_has_a_header_and_the_same_rows_as_json(api) -> None:
    json_rows = _get(api, "/v1/dora_metrics_monthly", limit=500).json()["data"]
    response = _get(api, "/v1/dora_metrics_monthly", limit=500, format="csv")
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.text.splitlines()
    assert lines[0].split(",") == list(json_rows[0])
    assert len(lines) == len(json_rows) + 1 and lines[1].startswith(f"{api['orgs'][0]},")
    by_accept = api["client"].get("/v1/dora_metrics_monthly", params={"limit": 500},
                                  headers={"Authorization": f"Bearer {api['keys']['a']}", "Accept": "text/csv"})
    assert by_accept.text == response.text


@pytest.mark.parametrize(("key", "header", "status", "message", "reason"), [
    (None, None, 401, "missing API key", "missing"),
    (None, "Bearer not-a-key", 401, "malformed API key", "malformed"),
    (None, "Basic dXNlcjpwYXNz", 401, "malformed API key", "malformed"),
    (None, "Bearer dh_0123abcd_wrongsecret", 401, "invalid API key", "unknown"),
    ("expired", None, 401, "has expired", "expired"),
    ("revoked", None, 401, "is revoked", "revoked"),
    ("sync_only", None, 403, "lacks the permission metrics:read", "permission"),
])
def test_refused_keys_get_one_line_and_are_audited(api, key, header, status, message, reason) -> None:
    from devhealth.semantic_db import db
    from devhealth.semantic_db.models import AuditLog

    headers = {"Authorization": header or f"Bearer {api['keys'][key]}"} if key or header else {}
    for path in ("/v1/dim_repos", "/graphql"):
        if path == "/graphql":
            response = api["client"].post(path, json={"query": "{ dimRepos { rows { repoId } } }"}, headers=headers)
        else:
            response = api["client"].get(path, headers=headers)
        assert response.status_code == status
        detail = response.json()["detail"]
        assert message in detail and "\n" not in detail
        assert "data" not in response.json()
    with db.admin_session(api["engine"]) as session:
        denials = list(session.scalars(select(AuditLog).where(AuditLog.action == "api_key.denied")))
    mine = [row for row in denials if row.details.get("reason") == reason]
    assert {row.details["path"] for row in mine} >= {"/v1/dim_repos", "/graphql"}
    if key is not None:
        assert {row.target for row in mine} == {api["keys"][key].split("_")[1]}
    assert not any(secret.split("_", 2)[2] in json.dumps([r.details, r.target]) for r in denials
                   for secret in api["keys"].values())


def test_a_key_with_admin_permission_reads(api) -> None:
    assert {row["org_id"] for row in _all_rows(api, "dim_teams", "admin")} == {api["orgs"][1]}


def test_over_its_rate_limit_a_key_gets_429_with_retry_after(api) -> None:
    answers = [_get(api, "/v1/dim_people", "limited", limit=1) for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert 1 <= int(answers[-1].headers["Retry-After"]) <= 60
    assert "rate limit of 3 requests per minute" in answers[-1].json()["detail"]
    # other keys keep their own budget
    assert _get(api, "/v1/dim_people", "a", limit=1).status_code == 200
    from devhealth.semantic_db import db
    from devhealth.semantic_db.models import AuditLog

    with db.admin_session(api["engine"]) as session:
        denied = [row for row in session.scalars(select(AuditLog).where(AuditLog.action == "api_key.denied"))
                  if row.details.get("reason") == "rate_limit"]
    assert [(row.target, row.org_id, row.details["limit_per_minute"]) for row in denied] == [
        (api["keys"]["limited"].split("_")[1], int(api["orgs"][0]), 3)]


@pytest.mark.parametrize(("params", "message"), [
    ({"from": "2024-13-01"}, "'from'"),
    ({"to": "yesterday"}, "'to'"),
    ({"from": "2024-02-01", "to": "2024-01-01"}, "is after"),
    ({"colour": "red"}, "unknown query parameter 'colour'"),
    ({"fields": "day,nonsense"}, "unknown field 'nonsense'"),
    ({"limit": "100000000"}, "'limit'"),
    ({"limit": "0"}, "'limit'"),
    ({"order": "sideways"}, "'order'"),
    ({"after": "bm90IGEgY3Vyc29y"}, "after: not a cursor"),
    ({"format": "xml"}, "'format'"),
])
def test_bad_parameters_get_400_naming_the_parameter(api, params, message) -> None:
    response = _get(api, "/v1/repo_metrics_daily", **params)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert message in detail and "\n" not in detail


def test_a_filter_a_resource_does_not_take_is_refused(api) -> None:
    response = _get(api, "/v1/dim_people", team="x")
    assert response.status_code == 400 and "unknown query parameter 'team'" in response.json()["detail"]


def test_concurrent_requests_on_the_one_embedded_engine_all_answer_right(api) -> None:
    expected = _get(api, "/v1/user_metrics_daily", limit=200).json()
    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(lambda _: _get(api, "/v1/user_metrics_daily", limit=200), range(36)))
    assert all(answer.status_code == 200 and answer.json() == expected for answer in answers)


def test_the_openapi_document_validates_and_lists_every_resource(api) -> None:
    from openapi_spec_validator import validate

    document = api["client"].get("/openapi.json").json()
    validate(document)
    assert {f"/v1/{resource.mart}" for resource in RESOURCES} == set(document["paths"])
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


def _graphql(api: Any, query: str, key: str = "a") -> dict[str, Any]:
    response = api["client"].post("/graphql", json={"query": query},
                                  headers={"Authorization": f"Bearer {api['keys'][key]}"})
    assert response.status_code == 200, response.text
    return response.json()


def test_graphql_nests_teams_repositories_and_dora_weeks_in_three_queries(api) -> None:
    marts, org = api["marts"], api["orgs"][0]
    answer = _graphql(api, """{ dimTeams(first: 100) { rows { teamId repositories { repoId repoName
        doraWeeks(from: "2000-01-01") { periodStart deploymentsCount leadTimeMedianHours } } } } }""")
    assert "errors" not in answer, answer
    teams = answer["data"]["dimTeams"]["rows"]
    repo_names = {row[1]: row[2] for row in marts["dim_repos"][org]}
    weekly = marts["dora_metrics_weekly"][org]  # org_id, scope_type, scope_id, scope_name, period_start, count, ...
    assert sorted(team["teamId"] for team in teams) == sorted(row[1] for row in marts["dim_teams"][org])
    for team in teams:
        owned = sorted(row[2] for row in marts["dim_team_repos"][org] if row[1] == team["teamId"])
        assert [repo["repoId"] for repo in team["repositories"]] == owned
        for repo in team["repositories"]:
            assert repo["repoName"] == repo_names[repo["repoId"]]
            assert [[w["periodStart"], w["deploymentsCount"], _plain(w["leadTimeMedianHours"])]
                    for w in repo["doraWeeks"]] == [
                [r[4], r[5], r[7]] for r in weekly if r[1] == "repo" and r[2] == repo["repoId"]]
    assert sum(len(team["repositories"]) for team in teams) > 1
    # one query per level, however many teams and repositories
    assert answer["extensions"]["clickhouseQueries"] == 3


def test_graphql_pages_like_rest_and_rejects_bad_arguments(api) -> None:
    rest = _get(api, "/v1/repo_metrics_daily", limit=7, order="desc").json()
    first = _graphql(api, "{ repoMetricsDaily(first: 7, order: DESC) { rows { repoId day commitsCount } "
                          "nextCursor } }")["data"]["repoMetricsDaily"]
    assert [[r["repoId"], r["day"], r["commitsCount"]] for r in first["rows"]] == [
        [r["repo_id"], r["day"], r["commits_count"]] for r in rest["data"]]
    assert first["nextCursor"] == rest["next_cursor"]
    bad = _graphql(api, "{ repoMetricsDaily(first: 1000000) { rows { day } } }")
    assert "first: 1000000 is not between 1 and 10000" in bad["errors"][0]["message"]
    unknown = _graphql(api, "{ repoMetricsDaily { rows { nonsense } } }")
    assert "nonsense" in unknown["errors"][0]["message"]


def test_admin_lists_and_revokes_keys_and_the_api_refuses_a_revoked_key_within_its_cache_bound(api, tmp_path
                                                                                                 ) -> None:
    from devhealth.semantic_db import db
    from devhealth.semantic_db.services import api_keys

    with db.admin_session(api["engine"]) as session:
        key = api_keys.create_api_key(session, int(api["orgs"][0]), "temp", ["metrics:read"]).key
    api["keys"]["temp"] = key
    assert _get(api, "/v1/dim_teams", "temp").status_code == 200
    env = {**os.environ, "POSTGRES_URI": str(api["engine"].url.render_as_string(hide_password=False)),
           "DEVHEALTH_HOME": str(tmp_path)}
    cli = [sys.executable, "-m", "devhealth.cli", "admin"]
    listed = subprocess.run([*cli, "list-api-keys", "--json"], env=env, text=True, capture_output=True, check=True)
    rows = {row["prefix"]: row for row in json.loads(listed.stdout)}
    prefix = key.split("_")[1]
    assert rows[prefix]["name"] == "temp" and rows[prefix]["org"] == "Acme" and rows[prefix]["last_used_at"]
    assert key.split("_", 2)[2] not in listed.stdout
    revoked = subprocess.run([*cli, "revoke-api-key", "--prefix", prefix], env=env, text=True, capture_output=True)
    assert revoked.returncode == 0 and f"({prefix}) of Acme revoked" in revoked.stdout
    # the server took the key on trust for at most KEY_CACHE_SECONDS after it last asked the database
    deadline = time.monotonic() + KEY_CACHE_SECONDS + 60
    while (answer := _get(api, "/v1/dim_teams", "temp")).status_code == 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert answer.status_code == 401 and "is revoked" in answer.json()["detail"]
    missing = subprocess.run([*cli, "revoke-api-key", "--prefix", "ffffffff"], env=env, text=True, capture_output=True)
    assert missing.returncode == 1 and "no API key has that prefix" in missing.stderr
