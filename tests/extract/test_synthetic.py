"""The synthetic organization: deterministic, referentially whole once loaded, and its answer key matches the marts."""

from __future__ import annotations

import hashlib
import json
import math
import os
import statistics
import subprocess
import sys
from dataclasses import astuple
from datetime import datetime, timedelta

import pytest

from devhealth import dbt
from devhealth.errors import ConfigError
from devhealth.extract.raw_contract import CLICKHOUSE_TYPES
from devhealth.extract.raw_contract import tables as raw_tables
from devhealth.extract.synthetic import load_synthetic
from devhealth.extract.synthetic.answer_key import AnswerKey, DailyRepo, compute
from devhealth.extract.synthetic.delivery_answer_key import CiDay, DeploymentDay
from devhealth.extract.synthetic.dora_answer_key import DoraPeriod
from devhealth.extract.synthetic.generator import (
    CodeSimulation,
    SyntheticSpec,
    build_organization,
    per_day_for_total,
    simulate_work,
)
from devhealth.extract.synthetic.helpers import SCHEMAS, as_table
from devhealth.extract.synthetic.settings import INCIDENT_PRONE_REPO, SLOW_REVIEW_REPO, WEEKEND_TEAM

ORG = "5a1e0000-0000-4000-8000-00000000c0de"
# seed 21: besides incidents naming their deployment, two name none and lie on their repo's latest deployment
SPEC = SyntheticSpec(seed=21, days=35, commits_per_day=30, org_id=ORG)


def fingerprint(spec: SyntheticSpec) -> str:
    digest = hashlib.sha256()
    organization = build_organization(spec)
    for activity in [*CodeSimulation(organization).days(), *simulate_work(organization)]:
        for name in sorted(activity.tables):
            digest.update(json.dumps(activity.tables[name], default=str, sort_keys=True).encode())
    return digest.hexdigest()


def test_same_seed_same_rows_other_seed_other_rows() -> None:
    assert fingerprint(SPEC) == fingerprint(SyntheticSpec(seed=21, days=35, commits_per_day=30, org_id=ORG))
    assert fingerprint(SPEC) != fingerprint(SyntheticSpec(seed=22, days=35, commits_per_day=30, org_id=ORG))


def test_every_generated_row_fits_its_arrow_schema() -> None:
    organization = build_organization(SPEC)
    activity = next(day for day in CodeSimulation(organization).days() if day.rows("deployments"))
    for name in ("commits", "commit_files", "pull_requests", "pr_reviews", "pr_commits", "ci_runs", "deployments"):
        table = as_table(name, activity.rows(name))
        assert table.num_rows == len(activity.rows(name)) > 0
        assert table.schema == SCHEMAS[name]


def test_bad_sizes_are_config_errors_naming_the_option() -> None:
    with pytest.raises(ConfigError, match="synthetic --people 3: needs at least 2 per team"):
        SyntheticSpec(people=3)
    with pytest.raises(ConfigError, match="synthetic --days 0"):
        SyntheticSpec(days=0)
    wanted = SyntheticSpec(days=28, commits_per_day=per_day_for_total(4_000, 28))
    made = sum(len(day.rows("commits")) for day in CodeSimulation(build_organization(wanted)).days())
    assert 0.8 * 4_000 < made < 1.2 * 4_000


def test_planted_behaviours_show_in_the_answer_key() -> None:
    key = compute(SPEC)
    weekend = key.weekend_commits_by_team
    assert weekend[WEEKEND_TEAM] > 5 * max(count for team, count in weekend.items() if team != WEEKEND_TEAM)
    reviews = key.review_median_hours_by_repo
    assert reviews[SLOW_REVIEW_REPO] > 4 * max(hours for repo, hours in reviews.items() if repo != SLOW_REVIEW_REPO)
    failure = key.change_failure_rate_by_repo
    # clearly the highest, not above a fixed rate: its incidents' hotfixes are successful deployments that dilute it
    others = max(rate for repo, rate in failure.items() if repo != INCIDENT_PRONE_REPO)
    assert failure[INCIDENT_PRONE_REPO] > 1.5 * others and failure[INCIDENT_PRONE_REPO] > 0.15
    wip_team = len(build_organization(SPEC).teams) - 1
    wip = [count for (team, _), count in sorted(key.open_wip_by_team_at.items()) if team == wip_team]
    assert wip == sorted(wip) and wip[-1] > 3 * wip[1]


def test_nothing_lies_outside_the_window_and_coding_precedes_each_pull_request() -> None:
    organization = build_organization(SPEC)
    moments = []
    first_commit: dict[tuple[str, int], datetime] = {}
    opened: dict[tuple[str, int], datetime] = {}
    for activity in [*CodeSimulation(organization).days(), *simulate_work(organization)]:
        for rows in activity.tables.values():
            moments += [value for row in rows for value in row.values() if isinstance(value, datetime)
                        and value is not row.get("extracted_at")]
        for row in activity.rows("pr_commits"):
            key = (row["repo_id"], row["pr_number"])
            first_commit[key] = min(first_commit.get(key, row["authored_at"]), row["authored_at"])
        for row in activity.rows("pull_requests"):
            opened[(row["repo_id"], row["pr_number"])] = row["created_at"]
    assert SPEC.window_start <= min(moments) and max(moments) <= SPEC.window_end
    # coding time: from the first commit to the pull request opening, minutes to days, never negative
    hours = sorted((opened[key] - first_commit[key]).total_seconds() / 3600 for key in opened)
    assert hours[0] > 0
    assert 1 < statistics.median(hours) < 12 and hours[int(0.9 * len(hours))] > 24 and hours[-1] < 24 * 5


@pytest.fixture(scope="module")
def loaded(warehouse) -> dict[str, int]:
    return load_synthetic(SPEC)


@pytest.fixture(scope="module")
def marts(loaded) -> None:
    """The marts these tests compare, built once: the models and seeds only. The marts' unit tests run once in the
    suite (tests/dbt_models/test_marts.py), and a second dbt unit test run in one process collides with the
    temporary table the first left in the chDB session."""
    result = dbt.invoke(["build", "--select", "+repo_metrics_daily", "+pr_cycle_breakdown", "+dora_metrics_daily",
                         "+dora_metrics_weekly", "+dora_metrics_monthly", "+fct_deployments",
                         "+ci_pipeline_metrics_daily", "+deployment_metrics_daily",
                         "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"])
    assert result.success, dbt.failures(result)


@pytest.fixture(scope="module")
def answer_key() -> AnswerKey:
    return compute(SPEC)


def scalar(warehouse, sql: str) -> int:
    return warehouse.scalar(sql.replace("{org}", f"'{ORG}'"))


def test_load_is_referentially_whole(loaded, warehouse) -> None:
    assert loaded["git.commits"] > 1_000 and loaded["github.deployments"] > 50 and loaded["events.incidents"] > 5
    orphans = {
        "pr_commits without a commit": "select count() from raw.github___pr_commits p where p.org_id = {org} "
        "and p.sha not in (select sha from raw.git___commits where org_id = {org})",
        "deployment sha without a commit": "select count() from raw.github___deployments d where d.org_id = {org} "
        "and d.sha not in (select sha from raw.git___commits where org_id = {org})",
        "deployed shas without a commit": "select count() from (select arrayJoin(JSONExtract(assumeNotNull(shas), "
        "'Array(String)')) "
        "as sha from raw.github___deployments where org_id = {org}) "
        "where sha not in (select sha from raw.git___commits where org_id = {org})",
        "incident caused by an unknown deployment": "select count() from raw.events___incidents i "
        "where i.org_id = {org} and i.caused_by_deployment_id is not null and i.caused_by_deployment_id not in "
        "(select deployment_id from raw.github___deployments where org_id = {org} and status = 'success')",
        "review of an unknown pull request": "select count() from raw.github___pr_reviews r where r.org_id = {org} "
        "and (r.repo_id, r.pr_number) not in (select repo_id, pr_number from raw.github___pull_requests "
        "where org_id = {org})",
        "commit author without an identity": "select count() from raw.git___commits c where c.org_id = {org} "
        "and not c.is_merge and c.author_email not in (select identity from raw.semantic___identities "
        "where org_id = {org} and provider = 'git')",
        "member of an unknown team": "select count() from raw.semantic___team_members m where m.org_id = {org} "
        "and m.team_id not in (select team_id from raw.semantic___teams where org_id = {org})",
        "transition of an unknown work item": "select count() from raw.jira___work_item_transitions t "
        "where t.org_id = {org} and t.work_item_id not in (select work_item_id from raw.jira___work_items "
        "where org_id = {org})",
    }
    assert {name: scalar(warehouse, sql) for name, sql in orphans.items()} == dict.fromkeys(orphans, 0)
    caused = scalar(warehouse, "select count() from raw.events___incidents where org_id = {org} "
                               "and caused_by_deployment_id is not null")
    assert caused > 5


def cell_mismatches(expected: dict[tuple, tuple], actual: dict[tuple, tuple], columns: tuple[str, ...]) -> list[str]:
    """Cells where the mart and the answer key differ, first ones first: counts exactly, floats to 1e-9 relative."""

    def same(want: object, got: object) -> bool:
        if isinstance(want, float) or isinstance(got, float):
            return want is not None and got is not None and math.isclose(want, got, rel_tol=1e-9)
        return want == got

    found = [f"{key}: a row of the mart only" for key in sorted(actual.keys() - expected.keys())]
    found += [f"{key}: missing from the mart" for key in sorted(expected.keys() - actual.keys())]
    for key in sorted(expected.keys() & actual.keys()):
        found += [f"{key} {column}: mart {got!r}, answer key {want!r}"
                  for column, want, got in zip(columns, expected[key], actual[key], strict=True) if not same(want, got)]
    return found


def assert_cells_equal(expected: dict[tuple, tuple], actual: dict[tuple, tuple], columns: tuple[str, ...]) -> None:
    found = cell_mismatches(expected, actual, columns)
    assert not found, f"{len(found)} cells differ; the first:\n" + "\n".join(found[:15])


DAILY_COLUMNS = tuple(DailyRepo.__dataclass_fields__)
DORA_COLUMNS = tuple(DoraPeriod.__dataclass_fields__)


# a small synthetic load into a throwaway warehouse, in a process of its own (chDB: one engine per process), so
# the tables compared are the ones this load created, never ones another module's source created first
_LOAD_AND_DESCRIBE = """
import json
from devhealth.extract.synthetic import SyntheticSpec, load_synthetic
from devhealth.warehouse import Warehouse
load_synthetic(SyntheticSpec(seed=3, days=7, commits_per_day=5))
rows = Warehouse().query(
    "select table, name, type from system.columns where database = 'raw' and position(table, '___') > 0 "
    "and not startsWith(splitByString('___', table)[2], '_dlt') and name not in ('_dlt_load_id', '_dlt_id') "
    "and table in (select table from system.parts where database = 'raw' and active and rows > 0)").rows
print(json.dumps(rows))
"""


def test_the_tables_dlt_created_are_the_raw_contracts(tmp_path) -> None:
    """What a dlt load actually creates (src/devhealth/extract/raw_contract.yml through the Arrow schemas): each
    table the synthetic organization loaded rows into has exactly its contract's columns, typed as declared,
    keys not Nullable."""
    done = subprocess.run([sys.executable, "-c", _LOAD_AND_DESCRIBE], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "DEVHEALTH_HOME": str(tmp_path / "home")})
    assert done.returncode == 0, done.stderr[-2000:]
    created: dict[str, dict[str, str]] = {}
    for table, name, kind in json.loads(done.stdout.strip().splitlines()[-1]):
        created.setdefault(table, {})[name] = kind.replace(" ", "")  # DateTime64(6, 'UTC') as declared
    compared = sorted(set(created) & set(raw_tables()))
    assert {"git___commits", "github___pull_requests", "github___ci_runs"} <= set(compared)
    for table in compared:
        declared = {column.name: CLICKHOUSE_TYPES[column.data_type] if column.is_key
                    else f"Nullable({CLICKHOUSE_TYPES[column.data_type]})" for column in raw_tables()[table]}
        assert created[table] == declared, table


def test_daily_mart_matches_the_answer_key(loaded, marts, answer_key, warehouse) -> None:
    rows = warehouse.query(f"select toString(repo_id), day, {', '.join(DAILY_COLUMNS)} "
                           f"from marts.repo_metrics_daily where org_id = '{ORG}'").rows
    expected = {repo_day: astuple(figures) for repo_day, figures in answer_key.daily.items()}
    assert_cells_equal(expected, {(repo_id, day): tuple(figures) for repo_id, day, *figures in rows}, DAILY_COLUMNS)
    # every commit but each repo's initial one arrives through a pull request
    assert sum(figures[0] for figures in expected.values()) == loaded["github.pr_commits"] + SPEC.repos


def test_pr_cycle_breakdown_matches_the_answer_keys_large_pull_requests(marts, answer_key, warehouse) -> None:
    rows = warehouse.query("select toString(repo_id), count(), countIf(is_large), countIf(lines_changed is null) "
                           f"from marts.pr_cycle_breakdown where org_id = '{ORG}' group by repo_id").rows
    expected = answer_key.merged_prs_by_repo
    assert {repo_id: (merged, large) for repo_id, merged, large, _ in rows} == expected
    # the synthetic pull requests carry their size, as GitHub's detail payload does; some are large
    assert all(unknown == 0 for *_, unknown in rows)
    assert 0 < sum(large for _, large in expected.values()) < sum(merged for merged, _ in expected.values())


def test_dora_marts_match_the_answer_key(loaded, marts, answer_key, warehouse) -> None:
    key = answer_key.dora
    for grain, cells in key.items():
        rows = warehouse.query(f"select scope_type, scope_id, period_start, {', '.join(DORA_COLUMNS)} "
                               f"from marts.dora_metrics_{grain} where org_id = '{ORG}'").rows
        actual = {(scope_type, scope_id, start): tuple(figures) for scope_type, scope_id, start, *figures in rows}
        assert_cells_equal({cell: astuple(figures) for cell, figures in cells.items()}, actual,
                           tuple(f"{grain} {column}" for column in DORA_COLUMNS))
    # the key measures something in each column: a failed deployment, a restore, lead times of hours to days
    org_weeks = [figures for (scope_type, *_), figures in sorted(key["weekly"].items()) if scope_type == "org"]
    assert sum(figures.deployments_count for figures in org_weeks) == loaded["github.deployments"] - scalar(
        warehouse, "select count() from raw.github___deployments where org_id = {org} and status != 'success'")
    assert any(figures.change_failure_rate for figures in org_weeks)
    assert scalar(warehouse, "select count() from raw.events___incidents where org_id = {org} "
                             "and caused_by_deployment_id is null") > 0
    assert all(figures.time_to_restore_median_hours for figures in org_weeks[1:])
    lead_times = [figures.lead_time_median_hours for figures in org_weeks]
    assert min(lead_times) > 0 and max(lead_times) < timedelta(days=10).total_seconds() / 3600
    # rework: the organization ships reverts, reverts of reverts (not rework) and hotfixes of incidents
    subjects = dict(warehouse.query(
        "select multiIf(message_subject like 'Revert \"Revert \"%', 'revert_of_revert', "
        "message_subject like 'Revert \"%', 'revert', message_subject like '%/hotfix/%', 'hotfix', 'other'), "
        f"count() from raw.git___commits where org_id = '{ORG}' group by 1").rows)
    assert subjects["revert"] > 0 and subjects["revert_of_revert"] > 0 and subjects["hotfix"] > 0
    links = dict(warehouse.query(
        "select link_type, countDistinct(deployment_id) from marts.fct_deployments "
        f"array join rework_link_types as link_type where org_id = '{ORG}' group by link_type").rows)
    assert links.get("revert", 0) > 0 and links.get("hotfix", 0) > 0 and links.get("incident", 0) > 0
    assert "bug_work_item" not in links  # the generator's subjects name no work item
    rework = sum(figures.rework_deployments_count for figures in org_weeks)
    assert 0 < rework < sum(figures.deployments_count for figures in org_weeks)


CI_COLUMNS = tuple(CiDay.__dataclass_fields__)
DEPLOYMENT_COLUMNS = tuple(DeploymentDay.__dataclass_fields__)


def test_ci_and_deployment_marts_match_the_answer_key(loaded, marts, answer_key, warehouse) -> None:
    ci = warehouse.query(f"select toString(repo_id), pipeline_name, day, {', '.join(CI_COLUMNS)} "
                         f"from marts.ci_pipeline_metrics_daily where org_id = '{ORG}'").rows
    assert_cells_equal({cell: astuple(figures) for cell, figures in answer_key.ci.items()},
                       {(repo_id, name, day): tuple(figures) for repo_id, name, day, *figures in ci}, CI_COLUMNS)
    deployed = warehouse.query(f"select toString(repo_id), environment, day, {', '.join(DEPLOYMENT_COLUMNS)} "
                               f"from marts.deployment_metrics_daily where org_id = '{ORG}'").rows
    assert_cells_equal({cell: astuple(figures) for cell, figures in answer_key.deployments.items()},
                       {(repo_id, place, day): tuple(figures) for repo_id, place, day, *figures in deployed},
                       DEPLOYMENT_COLUMNS)
    # the organization plants what the CI mart looks for: failed runs retried on the same commit until they pass
    # (flaky reruns), and red periods on main that a later pass ends
    runs = list(answer_key.ci.values())
    assert sum(day.runs_count for day in runs) == loaded["github.ci_runs"]
    assert 0 < sum(day.flaky_runs for day in runs) <= sum(day.reruns_count for day in runs)
    assert sum(day.red_periods_started for day in runs) > 0 and sum(day.red_time_hours for day in runs) > 0
    # every synthetic run is a first attempt that waited 0 to 3 minutes for a runner
    assert all(day.queue_p50_minutes is not None and 0 <= day.queue_p50_minutes <= 3 for day in runs)
    assert sum(day.deployments_count for day in answer_key.deployments.values()) == loaded["github.deployments"]
    assert sum(day.failed_deployments for day in answer_key.deployments.values()) > 0
