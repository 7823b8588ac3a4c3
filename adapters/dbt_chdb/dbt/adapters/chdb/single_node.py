"""Runs dbt-clickhouse's cluster DDL on one in-process engine, recording it first.

With `cluster:` set, dbt-clickhouse emits ON CLUSTER, Replicated engines, Distributed tables and
clusterAllReplicas(...) lookups. chDB is a single engine with no Keeper and no remote shards, so
the `cluster_check` target records each statement exactly as emitted (what a real cluster would
receive) and rewrites only those constructs into their one-node equivalents before running it.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

STATEMENT_SEPARATOR = "\n;\n-- statement\n"

# dbt-clickhouse always quotes the cluster name, which keeps prose such as 'on cluster day' intact
_ON_CLUSTER = re.compile(r"\s+ON\s+CLUSTER\s+(?:\"[^\"]*\"|`[^`]*`|'[^']*')(\s+SYNC\b)?", re.IGNORECASE)
_CLUSTER_TABLE_FUNCTION = re.compile(
    r"\b(?:clusterAllReplicas|cluster)\s*\(\s*(?:\"[^\"]*\"|'[^']*'|`[^`]*`|\w+)\s*,\s*([\w.`]+)\s*\)", re.IGNORECASE
)
# a single engine is shard 1 of 1
_SHARD_NUM = re.compile(r"\b_shard_num\b")
_REPLICATED_DATABASE = re.compile(r"\bENGINE\s*=?\s*Replicated\s*\([^)]*\)", re.IGNORECASE)
_REPLICATED_TABLE = re.compile(r"\bReplicated(\w*MergeTree)\b(\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\))?", re.IGNORECASE)
_DISTRIBUTED = re.compile(
    r"\bDistributed\s*\(\s*'([^']*)'\s*,\s*'([^']*)'\s*,\s*'([^']*)'"
    r"(?:\s*,[^()]*(?:\([^()]*\)[^()]*)*)?\)",
    re.IGNORECASE,
)
# before exchanging a Replicated table, dbt-clickhouse waits for the cluster's replicas to catch up (after dbt's
# query comment)
_SYNC_REPLICA = re.compile(r"^\s*(?:/\*.*?\*/\s*)*SYSTEM\s+SYNC\s+REPLICA\b", re.IGNORECASE | re.DOTALL)
_QUOTED_ARGUMENT = re.compile(r"^\s*'(?:[^'\\]|\\.)*'\s*$")


def _split_arguments(text: str) -> list[str]:
    """Top-level comma split of an engine's argument list."""
    arguments, depth, current, quoted = [], 0, "", False
    for char in text:
        if char == "'" and not current.endswith("\\"):
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
        if char == "," and depth == 0 and not quoted:
            arguments.append(current)
            current = ""
        else:
            current += char
    if current.strip():
        arguments.append(current)
    return arguments


def _unreplicated_engine(match: re.Match[str]) -> str:
    family, arguments = match.group(1), match.group(3) or ""
    parts = _split_arguments(arguments)
    # ReplicatedXMergeTree('zk path', 'replica', args...) -> XMergeTree(args...); with no path
    # the server's default_replica_path applies and every argument belongs to the engine
    if len(parts) >= 2 and _QUOTED_ARGUMENT.match(parts[0]) and _QUOTED_ARGUMENT.match(parts[1]):
        parts = parts[2:]
    return f"{family}({', '.join(part.strip() for part in parts)})"


def _local_buffer(match: re.Match[str]) -> str:
    # A Buffer whose thresholds are all 0 writes each insert straight through to the shard table
    # and reads it back: on one node that is what Distributed(cluster, db, table) does for both
    # the INSERT dbt-clickhouse sends to the distributed table and every later SELECT.
    database, table = match.group(2), match.group(3)
    return f"Buffer('{database}', '{table}', 1, 0, 0, 0, 0, 0, 0)"


def to_single_node(sql: str) -> str:
    """The statement a one-engine warehouse can run in place of the cluster statement `sql`."""
    if _SYNC_REPLICA.match(sql):
        # one engine holds the only copy of every table: there is no replica to wait for
        return "SELECT 1"
    sql = _ON_CLUSTER.sub("", sql)
    sql = _CLUSTER_TABLE_FUNCTION.sub(r"\1", sql)
    sql = _SHARD_NUM.sub("toUInt32(1)", sql)
    sql = _REPLICATED_DATABASE.sub("ENGINE = Atomic", sql)
    sql = _REPLICATED_TABLE.sub(_unreplicated_engine, sql)
    return _DISTRIBUTED.sub(_local_buffer, sql)


_started_logs: set[Path] = set()
_started_lock = threading.Lock()


class StatementLog:
    """Appends each statement to one file, emptied when a process first opens it.

    The file then holds what the latest dbt process sent; dbt opens a connection per thread.
    """

    def __init__(self, path: Path) -> None:
        self.path = path.resolve()
        self._lock = _started_lock
        with _started_lock:
            if self.path not in _started_logs:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.path.write_text("", encoding="utf-8")
                _started_logs.add(self.path)

    def record(self, sql: str) -> None:
        with self._lock, self.path.open("a", encoding="utf-8") as log:
            log.write(sql.strip() + STATEMENT_SEPARATOR)


def read_statements(path: Path) -> list[str]:
    """The statements a `StatementLog` recorded, in order."""
    text = path.read_text(encoding="utf-8")
    return [statement.strip() for statement in text.split(STATEMENT_SEPARATOR) if statement.strip()]


class SingleNodeClient:
    """Wraps the chDB client: records what dbt-clickhouse sends, runs the single-node rewrite."""

    def __init__(self, client: Any, log: StatementLog | None, emulate_cluster: bool) -> None:
        self._client = client
        self._log = log
        self._emulate_cluster = emulate_cluster

    def _prepare(self, sql: str) -> str:
        if self._log is not None:
            self._log.record(sql)
        return to_single_node(sql) if self._emulate_cluster else sql

    def query(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        return self._client.query(self._prepare(sql), *args, **kwargs)

    def command(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        return self._client.command(self._prepare(sql), *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)
