"""The slice every later layer builds on: git → dlt → raw → staging → mart, with dbt's tests."""

from devhealth import dbt
from devhealth.extract.git import git_repository
from devhealth.pipelines import load


def test_git_commits_flow_to_repo_metrics_daily(make_git_repo, warehouse) -> None:
    repo = make_git_repo("slice", [
        ("2024-03-04T23:30:00+00:00", {"a.txt": "1\n"}),
        ("2024-03-05T01:30:00+02:00", {"a.txt": "2\n"}),  # 2024-03-04 23:30 UTC
        ("2024-03-05T10:00:00+00:00", {"b.txt": "3\n"}),
    ], remote="git@github.com:Acme/Slice.git")

    load(git_repository(repo), pipeline_name="git", dataset_name="git")
    load(git_repository(repo), pipeline_name="git", dataset_name="git")  # a rerun adds no duplicates
    dbt.build("all")

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
