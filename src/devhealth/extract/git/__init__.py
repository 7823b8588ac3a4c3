"""dlt source for a local git repository: commits, the files they change and, on request, blame at HEAD.

The whole history is read by one streaming `git log -z --raw --numstat` process and yielded as Arrow
batches; dlt state remembers the last extracted head per repository and branch, so reruns read `old..new`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import subprocess
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import dlt
import pyarrow as pa
from dlt.destinations.exceptions import DatabaseUndefinedRelation
from dlt.sources import DltResource

from devhealth.errors import ConfigError, InputError
from devhealth.extract.git.helpers import (
    BLAME_SCHEMA,
    COMMIT_SCHEMA,
    LogBatch,
    LogFormatError,
    LogReader,
    blame_lines_by_author,
    normalise_remote_url,
    printable_path,
    replaced_text,
    repo_identity,
    text_files_at_head,
)
from devhealth.extract.git.settings import (
    BATCH_SIZE,
    DEFAULT_BRANCH,
    EMPTY_TREE_SHA,
    GIT_CONFIG,
    LOG_OPTIONS,
    MAX_LOG_PROCESSES,
    MIN_COMMITS_PER_LOG_PROCESS,
    READ_AHEAD_CHUNKS,
    READ_CHUNK_BYTES,
)
from devhealth.settings import DEFAULT_ORG_ID

logger = logging.getLogger(__name__)

COMMIT_KEY = ["org_id", "repo_id", "sha"]
FILE_KEY = ["org_id", "repo_id", "sha", "path"]
BLAME_KEY = ["org_id", "repo_id", "path", "author_email"]


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *GIT_CONFIG, "-C", str(repo), *args], capture_output=True, text=True)


def _git_out(repo: Path, *args: str) -> str:
    completed = _git(repo, *args)
    return completed.stdout if completed.returncode == 0 else ""


def _git_text(repo: Path, *args: str) -> str:
    """Output of a git command that succeeded, else empty; bytes that are not UTF-8 kept as surrogates,
    so a path read here can be handed back to git unchanged."""
    completed = subprocess.run(["git", *GIT_CONFIG, "-C", str(repo), *args], capture_output=True)
    return completed.stdout.decode("utf-8", "surrogateescape") if completed.returncode == 0 else ""


def open_repository(path: str | Path) -> Path:
    """The repository's top folder, or an `InputError` naming `path`."""
    repo = Path(path).expanduser()
    if not repo.exists():
        raise InputError(f"git repository {path}: no such path")
    if not repo.is_dir():
        raise InputError(f"git repository {path}: not a folder")
    top = _git_out(repo, "rev-parse", "--show-toplevel").strip()
    if not top:
        raise InputError(f"git repository {path}: not a git repository")
    return Path(top)


def resolve_head(repo: Path, branch: str | None) -> str | None:
    """The commit `branch` (else HEAD) points at; None in an empty repository, an `InputError` for a bad branch."""
    sha = _git_out(repo, "rev-parse", "--verify", "-q", f"{branch or DEFAULT_BRANCH}^{{commit}}").strip()
    if not sha and branch:
        raise InputError(f"git repository {repo}: no branch or revision named {branch!r}")
    return sha or None


def shallow_cut(repo: Path) -> frozenset[str]:
    """The commits a shallow clone holds without their parents (git's `shallow` file); empty when complete."""
    listed = _git_out(repo, "rev-parse", "--git-path", "shallow").strip()
    path = repo / listed if listed else None
    return frozenset(path.read_text().split()) if path is not None and path.is_file() else frozenset()


def _is_ancestor(repo: Path, old: str, new: str) -> bool:
    # exit 1: not an ancestor (history rewritten); 128: the old head no longer exists at all
    return _git(repo, "merge-base", "--is-ancestor", old, new).returncode == 0


class _LogProcess:
    """One `git log` process, and a thread that drains its pipe into a bounded queue of chunks."""

    def __init__(self, repo: Path, arguments: list[str]) -> None:
        self.repo = repo
        self.process = subprocess.Popen(["git", *GIT_CONFIG, "-C", str(repo), "log", *LOG_OPTIONS, *arguments, "--"],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert self.process.stdout is not None
        # the thread reads ahead so git never waits while a batch is parsed and written
        self.queue: queue.Queue[bytes] = queue.Queue(maxsize=READ_AHEAD_CHUNKS)
        self.reader = threading.Thread(target=self._drain, args=(self.process.stdout,), name="git-log-reader",
                                       daemon=True)
        self.reader.start()

    def _drain(self, stdout: IO[bytes]) -> None:
        for chunk in iter(lambda: stdout.read(READ_CHUNK_BYTES), b""):
            self.queue.put(chunk)
        self.queue.put(b"")

    def chunks(self) -> Iterator[bytes]:
        return iter(self.queue.get, b"")

    def close(self, finished: bool) -> str | None:
        """Stops git unless it `finished`; the reason it failed, when it did."""
        if not finished:
            self.process.kill()
            while self.reader.is_alive():
                with contextlib.suppress(queue.Empty):
                    self.queue.get(timeout=0.1)
        self.reader.join()
        status = self.process.wait()
        assert self.process.stderr is not None
        stderr = self.process.stderr.read().decode(errors="replace")
        return " ".join(stderr.split()) if finished and status != 0 else None


def _log_parts(repo: Path, revisions: list[str]) -> list[list[str]]:
    """`--skip`/`--max-count` ranges that split the log of `revisions` between processes, in output order.

    git computes one commit's diff at a time; a long history read by one process per core takes a fraction of
    the time, and the ranges' outputs joined in order are exactly the one process's output.
    """
    processes = min(len(os.sched_getaffinity(0)), MAX_LOG_PROCESSES)
    if processes < 2:
        return [[]]
    counted = _git(repo, "rev-list", "--count", *revisions, "--")
    commits = int(counted.stdout) if counted.returncode == 0 and counted.stdout.strip().isdigit() else 0
    if commits < MIN_COMMITS_PER_LOG_PROCESS * 2:
        return [[]]
    processes = min(processes, commits // MIN_COMMITS_PER_LOG_PROCESS)
    size = -(-commits // processes)
    return ([[f"--max-count={size}"]]
            + [[f"--skip={size * part}", f"--max-count={size}"] for part in range(1, processes - 1)]
            + [[f"--skip={size * (processes - 1)}"]])


def _stream_log(repo: Path, revisions: list[str]) -> Iterator[bytes]:
    logs = [_LogProcess(repo, [*part, *revisions]) for part in _log_parts(repo, revisions)]
    closed = 0
    try:
        for log in logs:
            yield from log.chunks()
            # checked before the next process's output: git dying midway (an object missing from the
            # repository) leaves a truncated commit, which the parser would report instead of git's reason
            failure = log.close(finished=True)
            closed += 1
            if failure:
                raise InputError(f"git repository {repo}: git log failed: {failure}")
    finally:
        # the consumer stopped early or a process failed: stop every git still running and unblock its reader
        for log in logs[closed:]:
            log.close(finished=False)


def _log_batches(repo: Path, revisions: list[str], new_batch: Callable[[], LogBatch],
                 size: int = BATCH_SIZE) -> Iterator[LogBatch]:
    """The commits `git log` prints for `revisions`, in batches of `size`; a garbled stream names the repo."""
    reader = LogReader()
    batch = new_batch()
    try:
        for chunk in _stream_log(repo, revisions):
            for record in reader.feed(chunk):
                batch.add(record)
                if len(batch) >= size:
                    yield batch
                    batch = new_batch()
        for record in reader.finish():
            batch.add(record)
    except LogFormatError as error:
        raise InputError(f"git repository {repo}: {error}") from None
    if len(batch):
        yield batch


def _validated_org_id(org_id: str) -> str:
    # the semantic layer's organization id, as text; it keys every row, so it may not be blank
    cleaned = str(org_id).strip()
    if not cleaned or any(character.isspace() for character in cleaned):
        raise ConfigError(f"org_id {org_id!r}: must be a non-blank id without spaces")
    return cleaned


def git_repository_name(path: str | Path) -> tuple[str, str | None]:
    """The repository's display name (owner/name from its origin, else the folder name) and its origin as
    `host/owner/name`, credentials and scheme dropped; None without an origin."""
    repo = open_repository(path)
    remote = _git_out(repo, "remote", "get-url", "origin").strip() or None
    _, name = repo_identity(remote, repo)
    return name, normalise_remote_url(remote) if remote else None


@dlt.source(name="git")
def git_repository(
    path: str | Path,
    branch: str | None = None,
    blame: bool = False,
    org_id: str = DEFAULT_ORG_ID,
) -> Iterator[DltResource]:
    """Commits, commit files and optionally blame of one local repository.

    Args:
        path: A folder inside the repository.
        branch: The branch or revision whose reachable commits are read; HEAD when None.
        blame: Also read lines owned per author email for every text file at the head.
        org_id: The semantic layer's organization id, as text, stamped on every row.

    Returns:
        The `commits` resource (which also fills `commit_files`) and, with `blame`, the `blame` resource.
    """
    repo = open_repository(path)
    org = _validated_org_id(org_id)
    remote = _git_out(repo, "remote", "get-url", "origin").strip() or None
    repo_id, repo_name = repo_identity(remote, repo)
    if branch:
        resolve_head(repo, branch)  # a bad branch fails here, before any pipeline step starts
    if shallow_cut(repo):
        logger.warning("git repository %s is a shallow clone: commits before its cut are missing", path)

    @dlt.resource(name="commits", primary_key=COMMIT_KEY, write_disposition="append")
    def commits() -> Iterator[pa.Table]:
        """Commits reachable from the branch, and their `commit_files`, as Arrow batches."""
        head = resolve_head(repo, branch)
        if head is None:
            return
        state = dlt.current.resource_state()
        heads = state.setdefault("heads", {})
        state_key = f"{org}/{repo_id}/{branch or DEFAULT_BRANCH}"
        last_head = heads.get(state_key)
        # a clone deepened since the last sync (`git fetch --unshallow` or `--deepen`) has history behind its
        # former cut that no head range reaches: read from the former cut commits, which are read again with
        # their parents and diff, down through what lies behind them
        cut = shallow_cut(repo)
        cuts = state.setdefault("shallow_cuts", {})
        deepened = [sha for sha in sorted(set(cuts.get(state_key, [])) - cut) if _commit_exists(repo, sha)]
        if last_head == head and not deepened:
            return
        rewritten = bool(last_head) and not _is_ancestor(repo, last_head, head)
        extracted_at = datetime.now(UTC)
        if not rewritten:
            ranges = [] if last_head == head else [[f"{last_head}..{head}"] if last_head else [head]]
            if deepened:
                logger.warning("git repository %s was deepened: reading the history behind the %d commits of its "
                               "former shallow cut", path, len(deepened))
                ranges.append(deepened)
        elif cut:
            # a shallow clone cannot tell a force push from history it does not hold (a CI job's checkout of a
            # later commit lacks the head the last job synced): it reads what it holds and marks nothing removed
            logger.warning("git repository %s: the last synced head %s is not in this shallow clone's history, "
                           "which cannot tell a force push from history it does not hold: reading what it holds, "
                           "marking nothing removed", path, last_head)
            ranges = [[head]]
        else:
            logger.warning("git repository %s: %s was rewritten (force push); reading its whole history again",
                           path, branch or DEFAULT_BRANCH)
            ranges = [[head]]
            if _commit_exists(repo, last_head):
                yield from _tombstones(repo, last_head, head,
                                       lambda: LogBatch(org, repo_id, repo_name, extracted_at, True))
            else:
                # the old head was garbage-collected, so git cannot say what it dropped: the warehouse can
                other_heads = [sha for key, sha in heads.items() if key.startswith(f"{org}/{repo_id}/")
                               and key != state_key and _commit_exists(repo, sha)]
                dropped = _loaded_shas(org, repo_id) - _reachable(repo, [head, *other_heads])
                logger.warning("git repository %s: the rewritten head %s is gone; %d loaded commits no longer "
                               "reachable are marked removed", path, last_head, len(dropped))
                if dropped:
                    yield _tombstone_table(sorted(dropped), org, repo_id, repo_name, extracted_at)
        def new_batch() -> LogBatch:
            return LogBatch(org, repo_id, repo_name, extracted_at, cut=cut)

        for revisions in ranges:
            for batch in _log_batches(repo, revisions, new_batch):
                yield from _marked(batch)
        # the new head travels in the same load package as the rows: an extraction that fails keeps the old
        # head, and a package killed mid-load is finished by the next run before it extracts anything
        heads[state_key] = head
        if cut:
            cuts[state_key] = sorted(cut)
        else:
            cuts.pop(state_key, None)

    yield commits

    if blame:
        @dlt.resource(name="blame", primary_key=BLAME_KEY, write_disposition="append")
        def blame_at_head() -> Iterator[pa.Table]:
            """Lines owned by each author email, per text file at the head."""
            head = resolve_head(repo, branch)
            if head is None:
                return
            # paths and author emails are bytes to git: one that is not UTF-8 keeps its row, its path escaped
            listing = _git_text(repo, "diff", "--numstat", "-z", "--no-renames", EMPTY_TREE_SHA, head)
            rows = []
            extracted_at = datetime.now(UTC)
            paths = text_files_at_head(listing)

            def owners(file_path: str) -> Counter[str]:
                return blame_lines_by_author(_git_text(repo, "blame", "--line-porcelain", head, "--", file_path))

            # one `git blame` per file, a process per core: a long history's blame costs about 0.4 s a file
            # (vim/vim: 8,521 files at its head, 52 minutes one at a time)
            with ThreadPoolExecutor(max_workers=len(os.sched_getaffinity(0))) as pool:
                owned = pool.map(owners, paths)
            for file_path, by_author in zip(paths, owned, strict=True):
                for email, lines in sorted(by_author.items()):
                    rows.append({"org_id": org, "repo_id": repo_id, "repo_name": repo_name, "head_sha": head,
                                 "path": printable_path(file_path), "author_email": replaced_text(email),
                                 "lines": lines, "extracted_at": extracted_at})
            if rows:
                yield pa.Table.from_pylist(rows, schema=BLAME_SCHEMA)

        yield blame_at_head


def _tombstones(repo: Path, old_head: str, new_head: str, new_batch: Callable[[], LogBatch]
                ) -> Iterator[pa.Table]:
    """Commits reachable from the old head but not the new one, flagged `is_removed`."""
    for batch in _log_batches(repo, [old_head, "--not", new_head], new_batch):
        yield batch.tables()[0]


def _commit_exists(repo: Path, sha: str) -> bool:
    return _git(repo, "cat-file", "-e", f"{sha}^{{commit}}").returncode == 0


def _reachable(repo: Path, heads: list[str]) -> set[str]:
    listing = _git(repo, "rev-list", *heads, "--")
    if listing.returncode != 0:
        raise InputError(f"git repository {repo}: git rev-list failed: {' '.join(listing.stderr.split())}")
    return set(listing.stdout.split())


def _loaded_shas(org: str, repo_id: str) -> set[str]:
    """Commits of the repository whose latest raw row is not a tombstone, read from the load's own destination."""
    pipeline = dlt.current.pipeline()
    try:
        with pipeline.sql_client() as client:
            table = client.make_qualified_table_name("commits")
            rows = client.execute_sql(
                f"select sha from {table} where org_id = %s and repo_id = %s group by sha "
                "having not argMax(coalesce(is_removed, false), _dlt_load_id)", org, repo_id)
    except DatabaseUndefinedRelation:
        return set()
    return {row[0] for row in rows or []}


def _tombstone_table(shas: list[str], org: str, repo_id: str, repo_name: str, extracted_at: datetime) -> pa.Table:
    """Key-only rows with `is_removed`: staging drops every commit whose latest row is one."""
    rows = len(shas)
    columns = {"org_id": [org] * rows, "repo_id": [repo_id] * rows, "repo_name": [repo_name] * rows, "sha": shas,
               "is_removed": [True] * rows, "extracted_at": [extracted_at] * rows}
    return pa.Table.from_arrays(
        [pa.array(columns.get(column.name, [None] * rows), column.type) for column in COMMIT_SCHEMA],
        schema=COMMIT_SCHEMA)


def _marked(batch: LogBatch) -> Iterator[pa.Table]:
    commits_table, files_table = batch.tables()
    yield commits_table
    if files_table.num_rows:
        yield dlt.mark.with_hints(
            files_table, dlt.mark.make_hints(table_name="commit_files", primary_key=FILE_KEY),
        create_table_variant=True,
        )
