"""Time `devhealth sync git` against `git log --numstat` alone on the same history.

By default a 60,000-commit history built once with `git fast-import` (reused from bench/.cache); with a path
argument, that repository instead (a real long history: `python bench/extract_git.py /path/to/clone`).
Each run loads into a fresh DEVHEALTH_HOME. Prints one line: both times, their ratio against the goal, and
sync's peak RSS.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMITS = 60_000
FILES = 3_000
FILES_PER_COMMIT = 3
AUTHORS = 40
RATIO_GOAL = 1.3
RSS_GOAL_MB = 1024
ROUNDS = 2
CACHE = Path(__file__).resolve().parent / ".cache" / f"git-{COMMITS}"
DEVHEALTH = [str(Path(sys.executable).parent / "devhealth")]


def _blob(rng: random.Random, lines: int) -> bytes:
    return "".join(f"line {rng.randrange(1_000_000)}\n" for _ in range(lines)).encode()


def fast_import_stream(commits: int) -> bytes:
    """A linear history: each commit rewrites a few lines-heavy files, some of them new, at a fixed clock."""
    rng = random.Random(42)
    parts: list[bytes] = []
    start = 1_600_000_000
    for number in range(1, commits + 1):
        author = rng.randrange(AUTHORS)
        when = start + number * 900
        message = f"change {number}\n".encode()
        parts.append(b"commit refs/heads/main\n")
        parts.append(f"committer Dev {author} <dev{author}@example.com> {when} +0100\n".encode())
        parts.append(b"data %d\n%s" % (len(message), message))
        for _ in range(FILES_PER_COMMIT):
            content = _blob(rng, rng.randrange(5, 60))
            parts.append(f"M 100644 inline src/module_{rng.randrange(FILES)}.py\n".encode())
            parts.append(b"data %d\n%s\n" % (len(content), content))
    return b"".join(parts)


def build_history() -> Path:
    if (CACHE / ".git").exists():
        return CACHE
    shutil.rmtree(CACHE, ignore_errors=True)
    CACHE.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(CACHE)], check=True)
    subprocess.run(["git", "-C", str(CACHE), "fast-import", "--quiet"], input=fast_import_stream(COMMITS), check=True)
    subprocess.run(["git", "-C", str(CACHE), "reset", "-q", "--hard", "main"], check=True)
    return CACHE


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed")
    return seconds, usage.ru_maxrss / 1024


def _stop_postgres(home: Path) -> None:
    # the embedded PostgreSQL outlives the command that started it; SIGINT is its fast shutdown
    with contextlib.suppress(OSError, ValueError, IndexError):
        os.kill(int((home / "postgres" / "postmaster.pid").read_text().split()[0]), signal.SIGINT)


def timed_sync(repo: Path) -> tuple[float, float]:
    """`devhealth sync git` from scratch: a fresh DEVHEALTH_HOME, so the whole history is read and loaded.

    The organization every sync runs for is created first, outside the timing.
    """
    with tempfile.TemporaryDirectory(prefix="devhealth-bench-") as home:
        env = {**os.environ, "DEVHEALTH_HOME": home}
        for variable in ("CLICKHOUSE_URI", "POSTGRES_URI", "DATABASE_URI", "DATABASE_URL"):
            env.pop(variable, None)
        try:
            for setup in (["admin", "migrate"],
                          ["admin", "create-user", "--email", "bench@example.com", "--password-stdin"],
                          ["admin", "create-org", "--name", "bench", "--owner-email", "bench@example.com"]):
                subprocess.run([*DEVHEALTH, *setup], env=env, check=True, stdout=subprocess.DEVNULL,
                               input=b"bench-password-not-secret\n")
            return timed([*DEVHEALTH, "sync", "git", str(repo)], env=env)
        finally:
            _stop_postgres(Path(home))


def main() -> None:
    repo = Path(sys.argv[1]) if len(sys.argv) > 1 else build_history()
    commits = int(subprocess.run(["git", "-C", str(repo), "rev-list", "--count", "HEAD"], capture_output=True,
                                 text=True, check=True).stdout)
    # best of ROUNDS, alternating, so a neighbour's burst of CPU on a shared machine skews neither side
    git_runs, sync_runs = [], []
    for _ in range(ROUNDS):
        git_runs.append(timed(["git", "-C", str(repo), "log", "--numstat", "HEAD"]))
        sync_runs.append(timed_sync(repo))
    git_seconds = min(seconds for seconds, _ in git_runs)
    sync_seconds = min(seconds for seconds, _ in sync_runs)
    rss_mb = max(rss for _, rss in sync_runs)
    ratio = sync_seconds / git_seconds
    print(f"git log --numstat {git_seconds:.1f}s; sync git {sync_seconds:.1f}s; ratio {ratio:.2f} "
          f"(goal <= {RATIO_GOAL}); peak RSS {rss_mb:.0f} MB (goal < {RSS_GOAL_MB} MB); "
          f"{commits:,} commits of {repo.name}, best of {ROUNDS}")


if __name__ == "__main__":
    main()
