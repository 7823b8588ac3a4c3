"""History survives raw retention in every mart (README, "What a BI tool reads"): once apply_raw_retention has
expired old raw and staged rows, a build keeps the daily, DORA, per-deployment and per-pull-request rows of
those periods as they were computed.

Works on the session's real raw and staging tables: this module's rows are its own organisation's and are
deleted at the end, the retention (2000 days) keeps every other test's rows, and the end removes the TTLs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from dbt_parse import invoke_with_vars
from dlt_loads import delete_org_rows
from raw_fixture import git_rows, load, new_load_id, pull_request_row

from devhealth import dbt

ORG = "2f000000-0000-4000-8000-0000000000f2"
REPO = "2f1f6c1e-2f7b-5a2e-9c51-6a0d3e7b9ff2"
RETENTION = "{raw_retention_days: 2000, raw_recompress_after_days: 0}"
NO_RETENTION = "{raw_retention_days: 0, raw_recompress_after_days: 0}"
OLD, NEW = 2600, 10


def invoke(*args: str, variables: str = RETENTION) -> None:
    result = invoke_with_vars(args, variables)
    assert result.success, dbt.failures(result) or result.exception


def build() -> None:
    invoke("run", "--select", "+repo_metrics_daily", "+dora_metrics_weekly", "+fct_deployments",
           "+pr_cycle_breakdown")


def days_ago(days: int) -> str:
    return (datetime.utcnow() - timedelta(days=days)).strftime("%Y-%m-%d %H:%M:%S")


def marts(warehouse) -> dict[str, list[tuple]]:
    def rows(sql: str) -> list[tuple]:
        return [tuple(row) for row in warehouse.query(sql).rows]

    return {
        "daily": rows(f"select day, commits_count from marts.repo_metrics_daily where org_id = '{ORG}' order by day"),
        "deployments": rows(f"select deployment_id, toDate(finished_at) from marts.fct_deployments "
                            f"where org_id = '{ORG}' order by deployment_id"),
        "weekly": rows(f"select period_start, deployments_count from marts.dora_metrics_weekly "
                       f"where org_id = '{ORG}' and scope_type = 'org' order by period_start"),
        "pull_requests": rows(f"select pr_number, merged_day, cycle_hours from marts.pr_cycle_breakdown "
                              f"where org_id = '{ORG}' order by pr_number"),
    }


def pull_request(number: int, opened_days_ago: int, merged_days_ago: int) -> dict:
    return pull_request_row(ORG, REPO, number, days_ago(opened_days_ago), days_ago(merged_days_ago),
                            title="change", author_email="ann@acme.io", additions=1, deletions=0,
                            head_sha="new", merge_commit_sha="new")


@pytest.fixture(scope="module")
def expired(warehouse) -> Iterator[dict[str, list[tuple]]]:
    """This org's marts before raw retention expired its old rows; yields them, then tidies up."""
    # before retention means no raw table of this worker's warehouse has a TTL yet, whichever test file ran first
    invoke("run-operation", "apply_raw_retention", variables=NO_RETENTION)
    invoke("seed")
    # bob's one commit is the old one: once it expires, his email is no longer an identity
    commits, files = git_rows(ORG, [(sha, email, days_ago(age), False, [("a.py", 1, 0)])
                                    for sha, age, email in (("old", OLD, "bob@acme.io"), ("new", NEW, "ann@acme.io"))],
                              REPO)
    load(warehouse, {"git___commits": commits, "git___commit_files": files}, new_load_id())
    load(warehouse, {"events___deployments": [
        {"org_id": ORG, "repo_id": REPO, "deployment_id": f"d-{sha}", "provider": "events", "repo_name": "acme/api",
         "environment": "production", "status": "success", "sha": sha, "shas": json.dumps([sha]),
         "started_at": days_ago(age - 1), "finished_at": days_ago(age - 1)}
        for sha, age in (("old", OLD), ("new", NEW))]}, new_load_id())
    # pull request 1 is past retention; 2 was opened before the horizon (its raw row expires, as raw ages a pull
    # request from its opening) and merged within it, so the build after retention recomputes its period
    load(warehouse, {"github___pull_requests": [pull_request(1, OLD, OLD - 1), pull_request(2, OLD, NEW)]},
         new_load_id())
    build()
    before = marts(warehouse)
    try:
        invoke("run-operation", "apply_raw_retention", "--args", "{datasets: [git, events, github]}")
        yield before
    finally:
        invoke("run-operation", "apply_raw_retention", "--args", "{datasets: [git, events, github]}",
               variables=NO_RETENTION)
        delete_org_rows(warehouse, ORG)


def test_expired_rows_are_gone_from_raw_and_staging(expired, warehouse) -> None:
    assert warehouse.query(f"select sha from raw.git___commits where org_id = '{ORG}'").rows == [("new",)]
    assert warehouse.query(f"select commit_sha from staging.stg_git__commits where org_id = '{ORG}'").rows == [
        ("new",)]
    assert warehouse.query(f"select deployment_id from raw.events___deployments where org_id = '{ORG}'").rows == [
        ("d-new",)]
    assert warehouse.query(f"select count() from raw.github___pull_requests where org_id = '{ORG}'").rows == [(0,)]


def test_a_build_after_retention_keeps_every_mart_row(expired, warehouse) -> None:
    # the daily mart's third day is pull request 1's merge, the day after the old commit
    assert len(expired["daily"]) == 3 and len(expired["deployments"]) == 2 and len(expired["weekly"]) == 2
    assert [number for number, _, _ in expired["pull_requests"]] == [1, 2]
    build()
    assert marts(warehouse) == expired


def test_a_dora_column_added_since_reaches_the_rows_kept(expired, warehouse) -> None:
    # a warehouse built before deployments_per_day existed (and before the periods' fingerprints): the rebuild
    # unions the kept rows by position, so the DORA marts' pre-hook adds the column first; the old period keeps
    # its row and reads nan (never measured), the new one is recomputed
    warehouse.query("alter table marts.dora_metrics_weekly drop column deployments_per_day, drop column _inputs_hash")
    build()
    rows = warehouse.query("select period_start, deployments_count, deployments_per_day "
                           f"from marts.dora_metrics_weekly where org_id = '{ORG}' and scope_type = 'org' "
                           "order by period_start").rows
    assert [(start, count) for start, count, _ in rows] == expired["weekly"]
    (_, _, old_rate), (_, _, new_rate) = rows
    assert old_rate != old_rate and new_rate == 1 / 28


def test_an_edited_per_pull_request_rule_recomputes_all_but_the_rows_kept(expired, warehouse) -> None:
    # every row as a build after an edit of pr_cycle_breakdown finds it: computed by another rule
    warehouse.command("alter table marts.pr_cycle_breakdown update _rule_hash = 1 where true "
                      "settings mutations_sync = 2")
    build()
    assert marts(warehouse) == expired
    rules = dict(warehouse.query("select pr_number, _rule_hash from marts.pr_cycle_breakdown "
                                 f"where org_id = '{ORG}'").rows)
    # pull request 1, merged before the horizon, kept its row; 2 was recomputed by the model's rule
    assert rules[1] == 1 and rules[2] != 1


def test_the_commit_of_an_identity_gone_with_its_raw_rows_keeps_its_row(expired, warehouse) -> None:
    # an identity changing elsewhere (ann mapped to a person) makes the keyed models compare their stored people
    # with identity resolution again: bob's commit, whose email left with its raw rows, keeps its row as computed
    load(warehouse, {"semantic___identities": [
        {"org_id": ORG, "provider": "email", "identity": "ann@acme.io", "person_id": "p-ann",
         "primary_email": "ann@acme.io", "display_name": "Ann"}]}, new_load_id())
    build()
    rows = warehouse.query("select commit_sha, author_email, author_person_id from intermediate.int_commits_enriched "
                           f"where org_id = '{ORG}' order by commit_sha").rows
    assert rows == [("new", "ann@acme.io", "p-ann"), ("old", "bob@acme.io", "bob@acme.io")]
