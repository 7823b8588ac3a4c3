"""The slice every later layer builds on: git → dlt → raw → staging → mart, with dbt's tests, and the report
a history of git alone gives."""

import html
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from git_helpers import git_repo_with

from devhealth import dbt
from devhealth.extract.git import git_repository
from devhealth.pipelines import load
from devhealth.report import write_report
from devhealth.report_charts import CHARTS, NO_DATA, Window, commit_activity
from devhealth.summary import latest_week

# an organization holding git history and nothing else, as a first `devhealth run --repo` leaves one
GIT_ONLY_ORG = "5e000000-0000-4000-8000-0000000000e1"
# an organization of ten repositories: r1 to r9, the n-th with n commits over two weeks, and a second r8
MANY_REPOS_ORG = "5e000000-0000-4000-8000-0000000000e2"
# organizations synced today: one with commits two weeks ago and this week, one with this week's only
ONGOING_ORG = "5e000000-0000-4000-8000-0000000000e3"
NEW_ORG = "5e000000-0000-4000-8000-0000000000e4"
NOW = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("slice")
    repo = git_repo_with(folder, "slice", [
        ("2024-03-04T23:30:00+00:00", {"a.txt": "1\n"}),
        ("2024-03-05T01:30:00+02:00", {"a.txt": "2\n"}),  # 2024-03-04 23:30 UTC
        ("2024-03-05T10:00:00+00:00", {"b.txt": "3\n"}),
    ], remote="git@github.com:Acme/Slice.git")
    load(git_repository(repo), pipeline_name="git", dataset_name="git")
    load(git_repository(repo), pipeline_name="git", dataset_name="git")  # a rerun adds no duplicates
    history_only = git_repo_with(folder, "history-only", [("2024-03-06T09:00:00+00:00", {"c.txt": "4\n"})])
    load(git_repository(history_only, org_id=GIT_ONLY_ORG), pipeline_name="git", dataset_name="git")
    for n in range(1, 10):
        # a name with markup characters, as a folder may have one
        repo = git_repo_with(folder, f"r{n}&co" if n == 9 else f"r{n}", [
            (f"2024-03-{4 + 7 * (commit % 2):02d}T1{commit}:00:00+00:00", {"f.txt": f"{commit}\n"})
            for commit in range(n)])
        load(git_repository(repo, org_id=MANY_REPOS_ORG), pipeline_name="git", dataset_name="git")
    # a second clone named r8, in a folder of its own: a repository of its own, with eight commits of a later week
    elsewhere = folder / "elsewhere"
    elsewhere.mkdir()
    twin = git_repo_with(elsewhere, "r8", [(f"2024-03-18T1{commit}:00:00+00:00", {"g.txt": f"{commit}\n"})
                                            for commit in range(8)])
    load(git_repository(twin, org_id=MANY_REPOS_ORG), pipeline_name="git", dataset_name="git")
    for org_id, times in ((ONGOING_ORG, [NOW - timedelta(days=14), NOW]), (NEW_ORG, [NOW])):
        (folder / org_id).mkdir()
        ongoing = git_repo_with(folder / org_id, "ongoing", [(moment.isoformat(), {"o.txt": f"{moment}\n"})
                                                             for moment in times])
        load(git_repository(ongoing, org_id=org_id), pipeline_name="git", dataset_name="git")
    dbt.build("all")


def test_git_commits_flow_to_repo_metrics_daily(built, warehouse) -> None:
    rows = warehouse.query(
        "select d.day, d.commits_count, d.authors_count from marts.repo_metrics_daily d "
        "join (select distinct repo_id from staging.stg_git__commits where repo_name = 'acme/slice') r "
        "using repo_id order by d.day"
    ).rows
    assert [(str(day), commits, authors) for day, commits, authors in rows] == [
        ("2024-03-04", 2, 1),
        ("2024-03-05", 1, 1),
    ]
    email = warehouse.scalar("select any(author_email) from staging.stg_git__commits where repo_name = 'acme/slice'")
    assert email == "ann@example.com"


def test_a_report_of_git_history_alone_says_what_each_empty_chart_needs(built, warehouse, tmp_path: Path) -> None:
    report = tmp_path / "index.html"
    manifest = write_report(warehouse, [(GIT_ONLY_ORG, "history only")], report)
    # the commits per week draw its one commit; every other chart reads data git does not give: each says which
    # sync fills it, in place of empty axes
    assert manifest == {"history only": {name: int(name == "commit_activity") for name, _ in CHARTS}}
    page = report.read_text()
    for name, _ in CHARTS:
        if name != "commit_activity":
            assert f"<figure class='no-data' id='{name}-0'>" in page and html.escape(NO_DATA[name]) in page
    assert page.count("Plotly.newPlot") == 1 and "Slowest 0" not in page
    # twelve ISO weeks ending with the week of its one commit (Wednesday 6 March 2024)
    assert "Window: 18 Dec 2023 to 10 Mar 2024" in page


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def test_the_summary_and_report_end_with_the_latest_complete_week(built, warehouse) -> None:
    this_week = monday(datetime.now(UTC).date())
    # this week's few days would read as a drop against four whole weeks: the week before, which holds data, ends
    # the window (or this week, should the test have started on a Sunday and NOW fallen in the week before)
    recent = monday(NOW.date())
    assert latest_week(warehouse, ONGOING_ORG) == (
        recent if recent < this_week else monday((NOW - timedelta(days=14)).date()))
    # with no earlier week holding data, the week in progress is the window's
    assert latest_week(warehouse, NEW_ORG) == recent


def test_commits_per_week_name_the_seven_busiest_repositories_and_sum_the_others(built, warehouse) -> None:
    window = Window(latest_week(warehouse, MANY_REPOS_ORG), 12)
    figure = commit_activity(warehouse, MANY_REPOS_ORG, window)
    bars = {trace.name: {str(week): commits for week, commits in zip(trace.x, trace.y, strict=True) if commits}
            for trace in figure.data}
    # busiest first, each stacked by the Monday of its week; the name is text, not markup; the two r8 apart
    twins = sorted(name for name in bars if name.startswith("r8 (git "))
    assert list(bars) == ["r9&amp;co", *twins, "r7", "r6", "r5", "r4", "3 other repositories"]
    assert len(twins) == 2 and twins[0] != twins[1]
    assert sorted(list(map(str, bars[name])) for name in twins) == [["2024-03-04", "2024-03-11"], ["2024-03-18"]]
    assert bars["r9&amp;co"] == {"2024-03-04": 5, "2024-03-11": 4}
    assert bars["3 other repositories"] == {"2024-03-04": 4, "2024-03-11": 2}
    assert sum(sum(by_week.values()) for by_week in bars.values()) == sum(range(1, 10)) + 8
