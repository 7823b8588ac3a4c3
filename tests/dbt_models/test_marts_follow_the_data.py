"""Marts follow the data (README, "Incremental marts"): after each kind of late, old, odd or changed input,
the marts an incremental `dbt run` leaves are, cell for cell, the marts a `--full-refresh` of the same raw
data computes. Each case changes this module's own organisation, builds incrementally, checks what the case
is about, then compares with a full refresh of the append-only marts. Commits, people, pull requests and long
histories here; deployments, incidents, lead times, CI runs and seeds in test_dora_follow_the_data.py.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from follow_the_data import (
    DORA,
    GIT_2005,
    KEYED,
    LATE_REPO,
    MARTS,
    ORG,
    REPO,
    build_and_compare,
    commits_by_day,
    deployment,
    full_refresh_statements,
    load_commits,
    organisation_built,
    run,
    schema_of,
)
from raw_fixture import git_rows, load, new_load_id, pull_request_row

from devhealth import dbt
from devhealth.extract.git import git_repository
from devhealth.pipelines import load as dlt_load
from devhealth.status import rows_out_of_time_range


@pytest.fixture(scope="module")
def full_refresh_sql() -> dict[str, str]:
    return full_refresh_statements()


@pytest.fixture(scope="module")
def organisation(warehouse) -> Iterator[None]:
    yield from organisation_built(warehouse)


def test_every_append_only_mart_is_compared_with_a_full_refresh() -> None:
    # a new `_versions` mart left out of MARTS would never be checked against a full refresh
    marts = Path(__file__).resolve().parents[2] / "models" / "marts"
    versions = {path.stem.removesuffix("_versions") for path in marts.rglob("*_versions.sql")}
    assert versions == set(MARTS)


def test_rerun_on_unchanged_data_recomputes_nothing(warehouse, organisation, full_refresh_sql) -> None:
    def dora_computed() -> dict[str, list[tuple]]:
        return {mart: warehouse.query(f"select computed_at, count() from marts.{mart} where org_id = '{ORG}' "
                                      "group by computed_at order by computed_at").rows for mart in DORA}

    before = warehouse.scalar(f"select count() from marts.repo_metrics_daily_versions where org_id = '{ORG}'")
    dora_before = dora_computed()
    run()
    assert warehouse.scalar(
        f"select count() from marts.repo_metrics_daily_versions where org_id = '{ORG}'") == before
    # the DORA marts copy every period as it was computed: none of its facts changed
    assert dora_computed() == dora_before
    # and no keyed table recomputed a key of this org (a log that cannot tell would recompute them all); a table
    # with no rows yet (no pull request here) is rebuilt whole, which writes no keys table
    for model in KEYED:
        schema, keys = schema_of(model), f"{model}__recompute_keys"
        if not warehouse.scalar(f"select count() from system.tables where database = '{schema}' and name = '{keys}'"):
            continue
        recomputed = f"select * from {schema}.{keys} where org_id = '{ORG}'"
        if model == "int_commit_rework_candidates":
            # its last build is the latest that wrote a row (commit_candidate_keys_to_recompute): where another
            # organization's build in this warehouse wrote the latest, a rerun reads again the commits of this one
            # that name nothing, as documented; never a commit it holds a row for
            recomputed += (" and (org_id, repo_id, commit_sha) in "
                           f"(select org_id, repo_id, commit_sha from {schema}.{model})")
        assert warehouse.scalar(f"select count() from ({recomputed})") == 0, model


def test_repository_added_later_reaches_every_day(warehouse, organisation, full_refresh_sql) -> None:
    today = date.today()
    days = [today - timedelta(days=offset) for offset in range(1, 41)]
    load_commits(warehouse, [(f"late{n}", "fay@acme.io", f"{day} 10:00:00", False, [("x.py", 1, 0)])
                             for n, day in enumerate(days)], LATE_REPO)
    build_and_compare(warehouse, full_refresh_sql)
    assert commits_by_day(warehouse, LATE_REPO) == {str(day): 1 for day in days}


def test_backfill_of_old_history_reaches_the_marts(warehouse, organisation, full_refresh_sql) -> None:
    load_commits(warehouse, [("old1", "dana@acme.io", "2019-02-03 09:00:00", False, [("app.py", 7, 0)])])
    build_and_compare(warehouse, full_refresh_sql)
    assert commits_by_day(warehouse)["2019-02-03"] == 1
    month = warehouse.query(f"select commits_count from marts.repo_metrics_monthly "
                            f"where org_id = '{ORG}' and repo_id = '{REPO}' and month = '2019-02-01'").rows
    assert month == [(1,)]


def test_future_dated_commit_stays_out_and_freezes_nothing(warehouse, organisation, full_refresh_sql) -> None:
    load_commits(warehouse, [("skew", "eli@acme.io", "2031-01-01 00:00:00", False, [("app.py", 1, 1)])])
    run()
    # a day after it still arrives: nothing waits for the future date
    load_commits(warehouse, [("b11", "eli@acme.io", "2024-05-11 12:00:00", False, [("app.py", 11, 1)])])
    build_and_compare(warehouse, full_refresh_sql)
    days = commits_by_day(warehouse)
    assert days["2024-05-11"] == 1
    assert "2031-01-01" not in days
    # `devhealth status` shows the commit kept out
    out_of_range = [(row.source_table, row.rows, str(row.latest_at)[:10])
                    for row in rows_out_of_time_range(warehouse) if row.org_id == ORG]
    assert out_of_range == [("stg_git__commits", 1, "2031-01-01")]


def test_jira_project_configured_later_reaches_its_old_days(warehouse, organisation, full_refresh_sql) -> None:
    def completed() -> dict[str, int]:
        return {str(day): count for day, count in warehouse.query(
            f"select day, sum(items_completed) from marts.work_item_metrics_daily where org_id = '{ORG}' "
            "and work_scope_id = 'OPS' group by day having sum(items_completed) > 0 order by day").rows}

    item = {"org_id": ORG, "provider": "jira", "project": "OPS", "assignee_email": "dana@acme.io",
            "work_item_type": "Story", "status": "Done", "status_category": "done", "story_points": 2.0,
            "labels": "[]"}
    # a project synced for the first time, a year older than anything the organisation's marts hold
    load(warehouse, {
        "jira___work_items": [
            {**item, "work_item_id": f"9{n}", "work_item_key": f"OPS-{n}", "title": f"Old {n}",
             "created_at": f"2023-03-0{n} 09:00:00", "resolved_at": f"2023-03-0{n + 2} 17:00:00",
             "updated_at": f"2023-03-0{n + 2} 17:00:00"} for n in (1, 2)],
        "jira___work_item_transitions": [
            {"org_id": ORG, "provider": "jira", "author_email": "dana@acme.io", "work_item_id": f"9{n}",
             "transitioned_at": f"2023-03-0{n + offset} {hour}:00:00", "from_status": before, "to_status": after,
             "from_category": before_category, "to_category": after_category}
            for n in (1, 2)
            for offset, hour, before, after, before_category, after_category in (
                (1, 10, "To Do", "In Progress", "todo", "in_progress"), (2, 17, "In Progress", "Done", "in_progress",
                                                                         "done"))],
    }, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    assert completed() == {"2023-03-03": 1, "2023-03-04": 1}


def test_identity_merge_recomputes_every_day_of_the_people_concerned(
    warehouse, organisation, full_refresh_sql,
) -> None:
    def people() -> set[str]:
        return {row[0] for row in warehouse.query(
            f"select distinct author_email from marts.user_metrics_daily where org_id = '{ORG}' "
            f"and day between '2024-05-01' and '2024-05-10'").rows}

    assert {"dana@acme.io", "eli@acme.io"} <= people()
    load(warehouse, {"semantic___identities": [
        {"org_id": ORG, "provider": "email", "identity": email, "person_id": "p-dana", "primary_email": "dana@acme.io",
         "display_name": "Dana"} for email in ("dana@acme.io", "eli@acme.io")
    ]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    assert "eli@acme.io" not in people()
    day_two = warehouse.query(f"select author_email, commits_count from marts.user_metrics_daily "
                              f"where org_id = '{ORG}' and day = '2024-05-02'").rows
    assert day_two == [("dana@acme.io", 1)]


def test_new_primary_email_alone_reaches_every_day_of_the_person(
    warehouse, organisation, full_refresh_sql,
) -> None:
    # after the identity merge case, Dana's person keeps its id and only the email it is reported under changes:
    # the people marts' fingerprints must hash the email, not the person alone
    def emails() -> set[str]:
        return {row[0] for row in warehouse.query(
            f"select distinct author_email from marts.user_metrics_daily where org_id = '{ORG}' "
            f"and day between '2024-05-01' and '2024-05-10'").rows}

    load(warehouse, {"semantic___identities": [
        {"org_id": ORG, "provider": "email", "identity": email, "person_id": "p-dana", "primary_email": "dana@acme.com",
         "display_name": "Dana"} for email in ("dana@acme.io", "eli@acme.io")
    ]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    assert "dana@acme.com" in emails() and not {"dana@acme.io", "eli@acme.io"} & emails()
    months = warehouse.query(f"select distinct author_email from marts.user_metrics_monthly "
                             f"where org_id = '{ORG}' and month = '2024-05-01'").rows
    assert ("dana@acme.com",) in months and ("dana@acme.io",) not in months


def test_team_change_recomputes_every_day_of_its_people(warehouse, organisation, full_refresh_sql) -> None:
    # the person Dana's commits count for (eli@acme.io's too, once the identity merge case has run)
    person = warehouse.scalar(f"select any(author_person_id) from intermediate.int_commits_enriched "
                              f"where org_id = '{ORG}' and author_email = 'dana@acme.io'")
    window = "between '2024-05-01' and '2024-05-11'"

    def team_days(team_id: str) -> dict[str, int]:
        return {str(day): count for day, count in warehouse.query(
            f"select day, commits_count from marts.team_metrics_daily where org_id = '{ORG}' "
            f"and team_id = '{team_id}' and day {window} order by day").rows}

    def members(team_id: str) -> None:
        # the team sync exports a snapshot of the semantic layer, replacing the last one
        warehouse.command(f"alter table raw.semantic___team_members delete where org_id = '{ORG}' "
                          "settings mutations_sync = 2")
        load(warehouse, {"semantic___team_members": [{"org_id": ORG, "team_id": team_id, "person_id": person}]},
             new_load_id())

    # her plain commits per UTC day, as the commits intermediate resolves them
    days = {str(day): count for day, count in warehouse.query(
        f"select toDate(authored_at, 'UTC') as day, count() from intermediate.int_commits_enriched "
        f"where org_id = '{ORG}' and author_person_id = '{person}' and not is_merge and day {window} "
        "group by day order by day").rows}
    assert len(days) >= 5
    load(warehouse, {"semantic___teams": [
        {"org_id": ORG, "team_id": team_id, "team_name": name, "repo_patterns": "[]", "work_scopes": "[]"}
        for team_id, name in (("t-core", "Core"), ("t-web", "Web"))]}, new_load_id())
    members("t-core")
    build_and_compare(warehouse, full_refresh_sql)
    # she joins Core: every old day of hers is Core's; then she moves to Web, and Core keeps no day
    assert team_days("t-core") == days
    members("t-web")
    build_and_compare(warehouse, full_refresh_sql)
    assert team_days("t-core") == {} and team_days("t-web") == days
    # the org's business hours start at 13:30: her commits of the first ten days (noon UTC at +01:00, 13:00 on
    # her clock) turn after hours, though no commit and no membership changed (the team mart hashes the org's
    # calendar into its days)
    def after_hours() -> dict[str, int]:
        return {str(day): count for day, count in warehouse.query(
            f"select day, after_hours_commits from marts.team_metrics_daily where org_id = '{ORG}' "
            f"and team_id = 't-web' and day {window} order by day").rows}

    before = after_hours()
    load(warehouse, {"semantic___org_settings": [{"org_id": ORG, "business_hours_start": "13:30"}]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    after = after_hours()
    assert after.keys() == days.keys() and min(after.values()) >= 1 and sum(after.values()) > sum(before.values())


def pull_request(number: int, author_login: str, created_at: str, merged_at: str, merge_sha: str) -> dict:
    return pull_request_row(ORG, REPO, number, created_at, merged_at, pr_id=1000 + number,
                            author_login=author_login, head_sha=merge_sha, merge_commit_sha=merge_sha)


def review(number: int, review_id: int, login: str, state: str, submitted_at: str) -> dict:
    return {"org_id": ORG, "repo_id": REPO, "pr_number": number, "review_id": review_id, "provider": "github",
            "reviewer_login": login, "reviewer_email": "", "state": state, "submitted_at": submitted_at}


def test_late_review_and_login_mapping_reach_old_pull_requests(warehouse, organisation, full_refresh_sql) -> None:
    def lifecycle() -> dict[int, tuple]:
        return {row[0]: tuple(row[1:]) for row in warehouse.query(
            "select pr_number, first_review_at, approved_at, reviews_received, author_person_id, _built_at "
            f"from intermediate.int_pull_requests_lifecycle where org_id = '{ORG}' order by pr_number").rows}

    load(warehouse, {
        "github___pull_requests": [pull_request(7, "dana-gh", "2024-05-02 09:00:00", "2024-05-03 10:00:00", "b03"),
                                   pull_request(8, "Eli-GH", "2024-05-05 09:00:00", "2024-05-06 10:00:00", "b06"),
                                   pull_request(9, "fay-gh", "2024-05-08 09:00:00", "2024-05-09 10:00:00", "b09")],
        "github___pr_reviews": [review(7, 1, "eli-gh", "commented", "2024-05-02 12:00:00"),
                                review(8, 2, "dana-gh", "approved", "2024-05-05 11:00:00")],
    }, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    before = lifecycle()
    assert before[7][:3] == (datetime(2024, 5, 2, 12), None, 1)
    # an approval of pull request 7 that arrives late; pull request 8's author's login mapped to a person
    load(warehouse, {"github___pr_reviews": [review(7, 3, "fay-gh", "approved", "2024-05-02 11:00:00")],
                     "semantic___identities": [
                         {"org_id": ORG, "provider": "github", "identity": "eli-gh", "person_id": "p-eli",
                          "primary_email": "eli@acme.io", "display_name": "Eli"}]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    after = lifecycle()
    assert after[7][:3] == (datetime(2024, 5, 2, 11), datetime(2024, 5, 2, 11), 2)
    assert before[8][3] != "p-eli" and after[8][3] == "p-eli"
    # nothing pull request 9 reads changed: its row was not recomputed
    assert after[9] == before[9]
    # dana-gh is eli's login too: review 2 (dana-gh on eli's pull request 8) and review 1 (eli-gh on dana-gh's
    # pull request 7) become self-reviews, one through its reviewer, the other through its pull request's author
    load(warehouse, {"semantic___identities": [
        {"org_id": ORG, "provider": "github", "identity": "dana-gh", "person_id": "p-eli",
         "primary_email": "eli@acme.io", "display_name": "Eli"}]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    assert warehouse.query("select review_id, is_self_review from intermediate.int_pr_reviews_resolved "
                           f"where org_id = '{ORG}' order by review_id").rows == [("1", True), ("2", True),
                                                                                  ("3", False)]
    # pull request 8's merge commit b06 ships with d6: a retry report turns d6 into a failure, then a success
    # again, and the per-pull-request mart follows its lead time out and back
    for status, deployed in (("failure", None), ("success", datetime(2024, 5, 6, 15, 30))):
        load(warehouse, {"events___deployments": [
            deployment("d6", "b06", status, "2024-05-06 15:30:00", "2024-05-06 15:30:00")]}, new_load_id())
        build_and_compare(warehouse, full_refresh_sql)
        assert warehouse.query("select deployed_at from marts.pr_cycle_breakdown "
                               f"where org_id = '{ORG}' and pr_number = 8").rows == [(deployed,)]
    # a bot pattern set later matches fay's login: her pull request 9 and review 3 leave people's days, though no
    # row of theirs changes (the people marts read who is a bot from dim_people)
    load(warehouse, {"semantic___org_settings": [{"org_id": ORG, "bot_patterns": '["^fay-gh$"]'}]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    bots = "countIf(is_bot), countIf(is_bot and has(logins, 'github:fay-gh'))"
    assert warehouse.query(f"select {bots} from marts.dim_people where org_id = '{ORG}'").rows == [(1, 1)]


def test_force_pushed_commit_leaves_its_day(warehouse, organisation, full_refresh_sql) -> None:
    assert commits_by_day(warehouse)["2024-05-07"] == 1
    tombstone, _ = git_rows(ORG, [("b07", "dana@acme.io", "2024-05-07 12:00:00", False, [])], REPO)
    load(warehouse, {"git___commits": [{**tombstone[0], "is_removed": True}]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    assert "2024-05-07" not in commits_by_day(warehouse)


def test_changed_vars_recompute_what_they_change(warehouse, organisation, full_refresh_sql) -> None:
    def kept() -> tuple[int, int]:
        """The commit ahead in int_commits_enriched, and the large pull requests of pr_cycle_breakdown."""
        return (warehouse.scalar("select count() from intermediate.int_commits_enriched "
                                 f"where org_id = '{ORG}' and commit_sha = 'ahead'"),
                warehouse.scalar(f"select countIf(is_large) from marts.pr_cycle_breakdown where org_id = '{ORG}'"))

    # a commit 36 hours ahead of the clock: out under the default tolerance (24 hours)
    ahead = (datetime.now(UTC) + timedelta(hours=36)).strftime("%Y-%m-%d %H:%M:%S")
    load_commits(warehouse, [("ahead", "eli@acme.io", ahead, False, [("app.py", 2, 0)])])
    run()
    assert kept() == (0, 0)
    # a build with a wider tolerance takes it in, and a smaller large-PR threshold makes every PR large (12 lines)
    wider = {"future_tolerance_hours": 48, "large_pr_lines": 10}
    build_and_compare(warehouse, full_refresh_statements(wider), dbt_vars=wider)
    assert kept() == (1, 3)
    # and the project's vars again take both back
    build_and_compare(warehouse, full_refresh_sql)
    assert kept() == (0, 0)


def fast_import_history(path: Path, years: int) -> Path:
    """A repository with a commit every nine days over `years` years, written in one `git fast-import`."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    start = date.today() - timedelta(days=365 * years)
    stream, mark, day = [], 0, start
    while day < date.today():
        mark += 1
        when = int(day.strftime("%s")) + 43200
        content = f"line {mark}\n"
        message = f"change {mark}\n"
        stream.append(f"commit refs/heads/main\nmark :{mark}\n"
                      f"author Old Timer <old@acme.io> {when} +0000\ncommitter Old Timer <old@acme.io> {when} +0000\n"
                      f"data {len(message)}\n{message}"
                      + (f"from :{mark - 1}\n" if mark > 1 else "")
                      + f"M 644 inline f{mark % 50}.txt\ndata {len(content)}\n{content}\n")
        day += timedelta(days=9)
    subprocess.run(["git", "fast-import", "--quiet"], input="".join(stream).encode(), cwd=path, check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=path, check=True)
    return path


def test_thirty_years_of_history_build_in_one_insert(
    tmp_path: Path, warehouse, organisation, full_refresh_sql,
) -> None:
    repo = fast_import_history(tmp_path / "decades", years=30)
    dlt_load(git_repository(repo, org_id=ORG), pipeline_name="git", dataset_name="git")
    build_and_compare(warehouse, full_refresh_sql)
    # a first build inserts every day of 30 years into each mart at once, under max_partitions_per_insert_block
    result = dbt.invoke(["run", "--select", *(f"{mart}_versions" for mart in MARTS), "--full-refresh"])
    assert result.success, dbt.failures(result) or result.exception
    years = warehouse.query(
        f"select min(toYear(day)), max(toYear(day)), count() from marts.repo_metrics_daily "
        f"where org_id = '{ORG}' and repo_id not in ('{REPO}', '{LATE_REPO}')").rows
    first, last, days = years[0]
    assert last - first >= 29 and days > 1200


def git_commits_by_utc_day(repo: Path) -> dict[str, int]:
    """git's own count of plain (non-merge) commits per UTC day of their author time."""
    stamps = subprocess.run(["git", "log", "--no-merges", "--format=%at"], cwd=repo, check=True,
                            capture_output=True, text=True).stdout.split()
    return dict(sorted(Counter(str(datetime.fromtimestamp(int(stamp), UTC).date()) for stamp in stamps).items()))


def test_real_history_synced_in_two_parts_matches_git_and_a_full_refresh(
    tmp_path: Path, warehouse, organisation, full_refresh_sql,
) -> None:
    """git's own first two months, synced at 3 May 2005 and again at 5 June: the second sync brings branches
    merged later, 11 of whose commits were authored before the first sync's latest one (real late data, on days
    the marts hold already), merges and an octopus merge, and authors in seven time zones."""
    repo = tmp_path / "git"
    subprocess.run(["git", "clone", "-q", "--no-checkout", str(GIT_2005), str(repo)], check=True)
    for point in ("first-sync", "second-sync"):
        subprocess.run(["git", "checkout", "-q", "-B", "master", f"origin/{point}"], cwd=repo, check=True)
        dlt_load(git_repository(repo, org_id=ORG), pipeline_name="git", dataset_name="git")
        # the first sync is a repository added later, compared with a full refresh in its own case: here it only
        # puts its days into the marts git counts in, before the second sync's late commits reach them
        if point == "first-sync":
            result = dbt.invoke(["run", "--select", "+path:models/marts/activity"])
            assert result.success, dbt.failures(result) or result.exception
        else:
            build_and_compare(warehouse, full_refresh_sql)
        repo_id = warehouse.scalar(
            f"select any(repo_id) from staging.stg_git__commits where org_id = '{ORG}' "
            "and commit_sha = 'e83c5163316f89bfbde7d9ab23ca2e25604af290'")
        assert commits_by_day(warehouse, repo_id) == git_commits_by_utc_day(repo), point
