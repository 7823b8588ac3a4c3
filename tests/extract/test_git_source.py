"""The git source on real repositories into the session's chDB warehouse: rows checked against git itself."""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path

import pytest
from git_helpers import run_git

from devhealth import dbt
from devhealth.errors import InputError
from devhealth.extract import git as git_source
from devhealth.extract.git import git_repository, open_repository
from devhealth.extract.git.helpers import repo_identity
from devhealth.pipelines import load, loaded_rows, make_pipeline

BINARY = bytes(range(256)) * 4


def commit(repo: Path, when: str, message: str, files: dict[str, str | bytes | None] | None = None,
           email: str = "Ann@Example.com", name: str = "Ann Author") -> str:
    for path, content in (files or {}).items():
        target = repo / path
        if content is None:
            run_git(repo, "rm", "-q", path)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content)
    run_git(repo, "add", "-A")
    identity = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_EMAIL": email,
                "GIT_AUTHOR_NAME": name}
    run_git(repo, "commit", "-q", "--allow-empty", "-m", message, env=identity)
    return run_git(repo, "rev-parse", "HEAD").strip()


def new_repo(tmp_path: Path, name: str) -> Path:
    repo = tmp_path / name
    repo.mkdir()
    run_git(repo, "init", "-q", "-b", "main")
    return repo


def load_git(repo: Path, **options) -> dict[str, int]:
    return loaded_rows(load(git_repository(repo, **options), pipeline_name="git", dataset_name="git"))


def repo_id_of(repo: Path) -> str:
    return repo_identity(None, repo)[0]


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """Midnight-crossing timezones, a rename with edits, a binary file, an empty commit, unicode, a merge,
    and a branch that is never merged."""
    repo = new_repo(tmp_path, "history")
    lines = "".join(f"line {n}\n" for n in range(20))
    commit(repo, "2024-03-05T01:30:00+02:00", "initial", {"src/app.py": lines, "logo.bin": BINARY})
    commit(repo, "2024-03-05T10:00:00-05:00", "rename and edit",
           {"src/app.py": None, "src/main.py": lines.replace("line 3\n", "line three\n") + "tail\n"})
    commit(repo, "2024-03-06T09:00:00+00:00", "ünïcode", {"docs/ñame ü.md": "hola\n", "logo.bin": BINARY[::-1]},
           email="Jösé@Example.COM", name="Jösé")
    commit(repo, "2024-03-06T09:30:00+00:00", "nothing changed")
    run_git(repo, "checkout", "-q", "-b", "feature")
    commit(repo, "2024-03-07T08:00:00+00:00", "feature work", {"feature.txt": "a\nb\n"})
    run_git(repo, "checkout", "-q", "main")
    commit(repo, "2024-03-07T09:00:00+00:00", "main work", {"main.txt": "x\n"})
    run_git(repo, "merge", "-q", "--no-ff", "--no-edit", "feature",
            env={"GIT_AUTHOR_DATE": "2024-03-07T10:00:00+00:00", "GIT_COMMITTER_DATE": "2024-03-07T10:00:00+00:00"})
    run_git(repo, "checkout", "-q", "-b", "unmerged")
    commit(repo, "2024-03-08T09:00:00+00:00", "never merged", {"wip.txt": "wip\n"})
    run_git(repo, "checkout", "-q", "main")
    return repo


def git_numstat(repo: Path) -> dict[str, tuple[int, int]]:
    """Lines added and deleted per commit, as `git log --numstat` itself reports them (binary: 0)."""
    totals: dict[str, tuple[int, int]] = {}
    sha = ""
    for line in run_git(repo, "log", "--numstat", "-M", "--format=%H", "HEAD").splitlines():
        if len(line) == 40 and "\t" not in line:
            sha = line
            totals[sha] = (0, 0)
        elif "\t" in line:
            added, deleted, _ = line.split("\t", 2)
            if added != "-":
                totals[sha] = (totals[sha][0] + int(added), totals[sha][1] + int(deleted))
    return totals


def test_counting_contract_matches_git(history: Path, warehouse) -> None:
    assert load_git(history) == {"commit_files": 7, "commits": 7}
    repo_id = repo_id_of(history)
    commits = {row[0]: row[1:] for row in warehouse.query(
        "select message_subject, is_merge, author_email, toString(toDate(authored_at, 'UTC')), "
        "author_tz_offset_minutes, message_length, org_id "
        f"from raw.git___commits where repo_id = '{repo_id}'").rows}
    assert set(commits) == {"initial", "rename and edit", "ünïcode", "nothing changed", "feature work",
                            "main work", "Merge branch 'feature'"}
    assert commits["initial"][:5] == (False, "ann@example.com", "2024-03-04", 120, len("initial"))
    assert commits["rename and edit"][2:4] == ("2024-03-05", -300)
    assert commits["ünïcode"][1] == "jösé@example.com"
    assert commits["Merge branch 'feature'"][0] is True
    assert {row[-1] for row in commits.values()} == {"00000000-0000-0000-0000-000000000000"}

    files = warehouse.query(
        "select c.message_subject, f.path, f.old_path, f.change_type, f.lines_added, f.lines_deleted, f.is_binary "
        "from raw.git___commit_files f join raw.git___commits c on c.sha = f.sha and c.repo_id = f.repo_id "
        f"where f.repo_id = '{repo_id}'").rows
    assert sorted(files) == sorted([
        ("feature work", "feature.txt", None, "A", 2, 0, False),
        ("initial", "logo.bin", None, "A", 0, 0, True),
        ("initial", "src/app.py", None, "A", 20, 0, False),
        ("main work", "main.txt", None, "A", 1, 0, False),
        ("rename and edit", "src/main.py", "src/app.py", "R", 2, 1, False),
        ("ünïcode", "docs/ñame ü.md", None, "A", 1, 0, False),
        ("ünïcode", "logo.bin", None, "M", 0, 0, True),
    ])
    per_commit = warehouse.query(
        "select c.sha, ifNull(sum(f.lines_added), 0), ifNull(sum(f.lines_deleted), 0) from raw.git___commits c "
        "left join raw.git___commit_files f on c.sha = f.sha and c.repo_id = f.repo_id "
        f"where c.repo_id = '{repo_id}' group by c.sha").rows
    assert {sha: (added, deleted) for sha, added, deleted in per_commit} == git_numstat(history)


def load_ids(warehouse, repo: Path) -> list[tuple[str, int]]:
    return [tuple(row) for row in warehouse.query(
        f"select _dlt_load_id, count() from raw.git___commits where repo_id = '{repo_id_of(repo)}' "
        "group by _dlt_load_id order by _dlt_load_id").rows]


def test_incremental_rerun_reads_only_new_commits(tmp_path: Path, warehouse) -> None:
    repo = new_repo(tmp_path, "incremental")
    for day in range(1, 4):
        commit(repo, f"2024-04-0{day}T12:00:00+00:00", f"day {day}", {"a.txt": f"{day}\n"})
    assert load_git(repo)["commits"] == 3
    assert load_git(repo) == {}
    commit(repo, "2024-04-04T12:00:00+00:00", "day 4", {"a.txt": "4\n"})
    commit(repo, "2024-04-05T12:00:00+00:00", "day 5", {"b.txt": "5\n"})
    assert load_git(repo) == {"commit_files": 2, "commits": 2}
    assert [count for _, count in load_ids(warehouse, repo)] == [3, 2]


def test_force_push_rereads_history_without_duplicates_in_staging(tmp_path: Path, warehouse, caplog) -> None:
    repo = new_repo(tmp_path, "forced")
    for day in range(1, 4):
        commit(repo, f"2024-05-0{day}T12:00:00+00:00", f"day {day}", {"a.txt": f"{day}\n"})
    load_git(repo)
    dropped = run_git(repo, "rev-parse", "HEAD").strip()
    run_git(repo, "reset", "-q", "--hard", "HEAD~1")
    rewritten = commit(repo, "2024-05-03T13:00:00+00:00", "day 3, rewritten", {"a.txt": "3b\n"})
    with caplog.at_level(logging.WARNING):
        assert load_git(repo)["commits"] == 4
    assert "rewritten (force push)" in caplog.text
    # the second load is the whole new history plus a tombstone for the dropped commit
    assert [count for _, count in load_ids(warehouse, repo)] == [3, 4]

    result = dbt.invoke(["build", "--select", "stg_git__commits"])
    assert result.success, dbt.failures(result)
    rows = warehouse.query(
        "select commit_sha, count() from staging.stg_git__commits "
        f"where repo_id = '{repo_id_of(repo)}' group by commit_sha").rows
    assert len(rows) == 3 and {count for _, count in rows} == {1}
    assert rewritten in {sha for sha, _ in rows} and dropped not in {sha for sha, _ in rows}


def test_empty_repository_gives_zero_rows(tmp_path: Path, warehouse) -> None:
    repo = new_repo(tmp_path, "empty")
    assert load_git(repo, blame=True) == {}
    assert warehouse.scalar(f"select count() from raw.git___commits where repo_id = '{repo_id_of(repo)}'") == 0


def test_bad_paths_name_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-repo"
    with pytest.raises(InputError, match=f"git repository {missing}: no such path"):
        open_repository(missing)
    plain = tmp_path / "plain-folder"
    plain.mkdir()
    with pytest.raises(InputError, match=f"git repository {plain}: not a git repository"):
        git_repository(plain)
    repo = new_repo(tmp_path, "has-commits")
    commit(repo, "2024-01-01T00:00:00+00:00", "one", {"a": "1\n"})
    with pytest.raises(InputError, match="no branch or revision named 'nope'"):
        load_git(repo, branch="nope")


def test_shallow_clone_warns_and_loads_what_it_has(tmp_path: Path, warehouse, caplog) -> None:
    origin = new_repo(tmp_path, "origin")
    for day in range(1, 4):
        commit(origin, f"2024-06-0{day}T12:00:00+00:00", f"day {day}", {"a.txt": f"{day}\n"})
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(shallow)], check=True)
    with caplog.at_level(logging.WARNING):
        rows = load_git(shallow)
    assert f"git repository {shallow} is a shallow clone" in caplog.text
    assert rows["commits"] == 1


def repo_id_of_clone(repo: Path) -> str:
    return repo_identity(run_git(repo, "remote", "get-url", "origin").strip(), repo)[0]


def build_git_staging() -> None:
    result = dbt.invoke(["build", "--select", "stg_git__commits", "stg_git__commit_files"])
    assert result.success, dbt.failures(result)


def staged_commits_and_files(warehouse, repo_id: str) -> tuple[dict[str, tuple], set[tuple]]:
    """A repository's staged commits (sha: parents, is_merge) and files (sha, path, lines added, deleted)."""
    where = f"where repo_id = '{repo_id}'"
    commits = {row[0]: tuple(row[1:]) for row in warehouse.query(
        f"select commit_sha, parent_shas, is_merge from staging.stg_git__commits {where}").rows}
    files = {tuple(row) for row in warehouse.query(
        f"select commit_sha, path, lines_added, lines_deleted from staging.stg_git__commit_files {where}").rows}
    return commits, files


def test_a_shallow_cut_adds_no_files_and_deepening_loads_the_history_behind_it(
    tmp_path: Path, warehouse, caplog,
) -> None:
    # CI checks out shallow clones (GitHub Actions: one commit): git shows a cut commit as a root whose diff adds
    # every file of the tree (vim/vim at depth 300: one commit of 8,040 files and 2,173,017 lines, 98 % of the
    # lines of the 300 commits); once the clone is deepened, nothing after its last head reached the history
    origin = new_repo(tmp_path, "origin")
    for day in range(1, 7):
        commit(origin, f"2024-06-0{day}T12:00:00+00:00", f"day {day}",
               {"big.txt": "".join(f"{line}\n" for line in range(100 * day)), f"f{day}.txt": f"{day}\n"})
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{origin}", str(shallow)], check=True)
    # without an origin, each clone is a repository of its own, named by its folder
    run_git(shallow, "remote", "remove", "origin")
    cut = run_git(shallow, "rev-parse", "HEAD~1").strip()
    assert load_git(shallow) == {"commits": 2, "commit_files": 2}
    build_git_staging()
    commits, files = staged_commits_and_files(warehouse, repo_id_of(shallow))
    assert commits[cut] == ([], False) and not {path for sha, path, *_ in files if sha == cut}

    subprocess.run(["git", "-C", str(shallow), "fetch", "-q", "--unshallow", f"file://{origin}", "main"], check=True)
    with caplog.at_level(logging.WARNING):
        load_git(shallow)
    assert f"git repository {shallow} was deepened" in caplog.text
    # the same as a sync of the whole history: the former cut with its parent and its own diff, and every commit
    # behind it
    complete = tmp_path / "complete"
    subprocess.run(["git", "clone", "-q", f"file://{origin}", str(complete)], check=True)
    run_git(complete, "remote", "remove", "origin")
    load_git(complete)
    build_git_staging()
    commits, files = staged_commits_and_files(warehouse, repo_id_of(shallow))
    assert (commits, files) == staged_commits_and_files(warehouse, repo_id_of(complete))
    assert len(commits) == 6 and commits[cut][0] == [run_git(origin, "rev-parse", "HEAD~2").strip()]
    assert {(path, added, deleted) for sha, path, added, deleted in files if sha == cut} == {
        ("big.txt", 100, 0), ("f5.txt", 1, 0)}
    assert load_git(shallow) == {}


def test_each_ci_checkout_a_shallow_clone_of_a_later_commit_marks_nothing_removed(
    tmp_path: Path, warehouse, caplog,
) -> None:
    # a CI job syncing its own checkout (GitHub Actions: depth 1) into a lasting warehouse: the next job's clone
    # lacks the head the last one synced, which reads like a force push whose old head was garbage-collected;
    # but a shallow clone cannot tell a rewrite from history it does not hold, so it marks nothing removed
    origin = new_repo(tmp_path, "origin")
    for day in range(1, 4):
        commit(origin, f"2024-06-0{day}T12:00:00+00:00", f"day {day}", {"a.txt": f"{day}\n"})
    first = tmp_path / "job-1"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(first)], check=True)
    load_git(first)
    commit(origin, "2024-06-04T12:00:00+00:00", "day 4", {"a.txt": "4\n"})
    second = tmp_path / "job-2"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(second)], check=True)
    assert repo_id_of_clone(first) == repo_id_of_clone(second)
    with caplog.at_level(logging.WARNING):
        assert load_git(second) == {"commits": 1}
    assert "cannot tell a force push" in caplog.text
    build_git_staging()
    commits, _ = staged_commits_and_files(warehouse, repo_id_of_clone(second))
    assert set(commits) == {run_git(origin, "rev-parse", f"HEAD~{back}").strip() for back in (0, 1)}


def test_branch_and_blame(history: Path, warehouse) -> None:
    rows = load_git(history, branch="unmerged", blame=True)
    assert rows["commits"] == 8
    assert warehouse.scalar(
        f"select count() from raw.git___commits where repo_id = '{repo_id_of(history)}' "
        "and message_subject = 'never merged'") == 1
    blame = warehouse.query(
        "select path, author_email, lines from raw.git___blame "
        f"where repo_id = '{repo_id_of(history)}' order by path, author_email").rows
    assert [tuple(row) for row in blame] == [
        ("docs/ñame ü.md", "jösé@example.com", 1), ("feature.txt", "ann@example.com", 2),
        ("main.txt", "ann@example.com", 1), ("src/main.py", "ann@example.com", 21), ("wip.txt", "ann@example.com", 1),
    ]


def test_separator_bytes_in_messages_load_and_the_repository_keeps_syncing(tmp_path: Path, warehouse) -> None:
    repo = new_repo(tmp_path, "separators")
    hostile = "unit\x1fseparator and record\x1eseparator\n\n/c\n:100644 100644 a b M\n"
    commit(repo, "2024-07-01T12:00:00+00:00", hostile, {"a.txt": "1\n"})
    commit(repo, "2024-07-02T12:00:00+00:00", "plain", {"b.txt": "2\n"})
    assert load_git(repo) == {"commit_files": 2, "commits": 2}
    commit(repo, "2024-07-03T12:00:00+00:00", "\x1e\x1f", {"c.txt": "3\n"})
    assert load_git(repo) == {"commit_files": 1, "commits": 1}
    rows = warehouse.query(
        "select message_subject, message_length from raw.git___commits "
        f"where repo_id = '{repo_id_of(repo)}' order by authored_at").rows
    assert [tuple(row) for row in rows] == [
        ("unit\x1fseparator and record\x1eseparator", len(hostile.rstrip("\n"))), ("plain", 5), ("\x1e\x1f", 2)]


def test_blame_and_log_keep_rows_whose_path_and_name_are_not_utf8(tmp_path: Path, warehouse) -> None:
    repo = new_repo(tmp_path, "latin1")
    latin1_path = os.fsdecode(b"caf\xe9.txt")
    (repo / latin1_path).write_text("one\ntwo\n")
    commit(repo, "2024-07-01T12:00:00+00:00", "latin-1 path", name=os.fsdecode(b"Jos\xe9"))
    assert load_git(repo, blame=True) == {"blame": 1, "commit_files": 1, "commits": 1}
    repo_id = repo_id_of(repo)
    # git itself re-encodes a Latin-1 name in the log; an older git prints the raw byte, which reads as U+FFFD
    assert warehouse.scalar(f"select author_name from raw.git___commits where repo_id = '{repo_id}'") in (
        "José", "Jos\ufffd")
    assert warehouse.scalar(f"select path from raw.git___commit_files where repo_id = '{repo_id}'") == "caf\\xe9.txt"
    assert [tuple(row) for row in warehouse.query(
        f"select path, author_email, lines from raw.git___blame where repo_id = '{repo_id}'").rows] == [
        ("caf\\xe9.txt", "ann@example.com", 2)]


def test_force_push_after_gc_removes_what_is_no_longer_reachable(tmp_path: Path, warehouse, caplog) -> None:
    repo = new_repo(tmp_path, "collected")
    shas = [commit(repo, f"2024-08-0{day}T12:00:00+00:00", f"day {day}", {"a.txt": f"{day}\n"}) for day in (1, 2, 3)]
    load_git(repo)
    run_git(repo, "reset", "-q", "--hard", shas[0])
    rewritten = commit(repo, "2024-08-02T13:00:00+00:00", "day 2, rewritten", {"a.txt": "2b\n"})
    run_git(repo, "reflog", "expire", "--expire=now", "--all")
    run_git(repo, "gc", "-q", "--prune=now")
    assert subprocess.run(["git", "-C", str(repo), "cat-file", "-e", shas[2]]).returncode != 0
    with caplog.at_level(logging.WARNING):
        assert load_git(repo)["commits"] == 4  # the new history (2) and a tombstone for each dropped commit (2)
    assert "2 loaded commits no longer reachable are marked removed" in caplog.text

    result = dbt.invoke(["build", "--select", "stg_git__commits"])
    assert result.success, dbt.failures(result)
    staged = {row[0] for row in warehouse.query(
        f"select commit_sha from staging.stg_git__commits where repo_id = '{repo_id_of(repo)}'").rows}
    assert staged == {shas[0], rewritten}


def test_a_rerun_that_finishes_a_pending_load_counts_its_rows(tmp_path: Path, warehouse) -> None:
    repo = new_repo(tmp_path, "pending")
    commit(repo, "2024-09-01T12:00:00+00:00", "first", {"a.txt": "1\n"})
    assert load(git_repository(repo), "pending_git", "git") is not None
    commit(repo, "2024-09-02T12:00:00+00:00", "second", {"b.txt": "2\nx\n"})
    # what a run killed during its load step leaves behind: a normalized package nobody loaded
    stopped = make_pipeline("pending_git", "git")
    stopped.extract(git_repository(repo))
    stopped.normalize()
    assert len(stopped.list_normalized_load_packages()) == 1

    rerun = load(git_repository(repo), "pending_git", "git")
    assert loaded_rows(rerun) == {"commit_files": 1, "commits": 1}
    assert warehouse.scalar(f"select count() from raw.git___commits where repo_id = '{repo_id_of(repo)}' "
                            "and message_subject = 'second'") == 1
    assert loaded_rows(load(git_repository(repo), "pending_git", "git")) == {}


@pytest.mark.parametrize("revisions", [["main"], ["unmerged"], ["main~3..unmerged"], ["unmerged", "--not", "main~4"]])
def test_a_log_split_between_processes_prints_exactly_the_one_process_log(history: Path, monkeypatch,
                                                                          revisions: list[str]) -> None:
    one_process = b"".join(git_source._stream_log(history, revisions))
    # three processes over a history of a few commits: ranges cut through the merge and the branches
    monkeypatch.setattr(git_source.os, "sched_getaffinity", lambda pid: {0, 1, 2})
    monkeypatch.setattr(git_source, "MIN_COMMITS_PER_LOG_PROCESS", 1)
    parts = git_source._log_parts(history, revisions)
    assert len(parts) == 3 and parts[0][0].startswith("--max-count=") and parts[-1][0].startswith("--skip=")
    assert b"".join(git_source._stream_log(history, revisions)) == one_process
    assert one_process.count(b"/c\0") == int(run_git(history, "rev-list", "--count", *revisions, "--"))


@pytest.mark.parametrize("processes", [1, 3])
def test_an_object_missing_from_the_repository_names_gits_reason_and_loads_nothing(
    tmp_path: Path, warehouse, monkeypatch, processes: int,
) -> None:
    # what a damaged copy gives, or a mirror kept without its largest files (Perl/perl5's, synced whole,
    # failed so): git log dies at the commit whose file it cannot read; split between processes, the next
    # process's output follows the truncated commit, and the parser must not be blamed for git's failure
    repo = new_repo(tmp_path, "damaged")
    for day in range(1, 4):
        commit(repo, f"2024-10-0{day}T12:00:00+00:00", f"change {day}", {f"f{day}.txt": f"{day}\n"})
    assert load_git(repo)["commits"] == 3
    for day in range(4, 10):
        commit(repo, f"2024-10-0{day}T12:00:00+00:00", f"change {day}", {f"f{day}.txt": f"{day}\n"})
    blob = run_git(repo, "rev-parse", "HEAD~2:f7.txt").strip()
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    monkeypatch.setattr(git_source.os, "sched_getaffinity", lambda pid: set(range(processes)))
    monkeypatch.setattr(git_source, "MIN_COMMITS_PER_LOG_PROCESS", 1)
    assert len(git_source._log_parts(repo, ["HEAD", "--not", "HEAD~6"])) == processes
    with pytest.raises(InputError, match=f"^git repository {repo}: git log failed: .*unable to read {blob}"):
        load_git(repo)
    # the first sync's commits stay as they were, and none of the new ones is half loaded
    assert warehouse.scalar(f"select count() from raw.git___commits where repo_id = '{repo_id_of(repo)}'") == 3
