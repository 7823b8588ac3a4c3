"""Pure parsing for the git source: repository identity, the `git log -z --raw --numstat` stream and blame."""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pyarrow as pa

from devhealth.extract.git.settings import FIELD_SEPARATOR, RECORD_SEPARATOR

REPO_NAMESPACE = uuid.UUID("6f1c3a52-8d1e-4c55-9a57-2d0f4b8c1e11")
_SCP_LIKE = re.compile(r"^(?:[\w.-]+@)?(?P<host>[\w.-]+):(?P<path>[^/].*)$")
_RECORD = RECORD_SEPARATOR.encode()
# `--raw` statuses beyond the contract's A/M/D/R: a type change edits the file, a copy adds one
_CHANGE_TYPES = {"A": "A", "M": "M", "D": "D", "R": "R", "T": "M", "C": "A"}
_UTC = "UTC"


def _key(name: str) -> pa.Field:
    # key columns are NOT NULL in the raw table (ClickHouse keys cannot be Nullable); say so in Arrow too
    return pa.field(name, pa.string(), nullable=False)


COMMIT_SCHEMA = pa.schema([
    _key("org_id"), _key("repo_id"), ("repo_name", pa.string()), _key("sha"),
    ("parent_shas", pa.string()), ("is_merge", pa.bool_()),
    ("author_name", pa.string()), ("author_email", pa.string()), ("authored_at", pa.timestamp("us", _UTC)),
    ("author_tz_offset_minutes", pa.int64()),
    ("committer_name", pa.string()), ("committer_email", pa.string()), ("committed_at", pa.timestamp("us", _UTC)),
    ("message_subject", pa.string()), ("message_length", pa.int64()), ("is_removed", pa.bool_()),
    ("extracted_at", pa.timestamp("us", _UTC)),
])
FILE_SCHEMA = pa.schema([
    _key("org_id"), _key("repo_id"), _key("sha"), _key("path"), ("old_path", pa.string()),
    ("change_type", pa.string()), ("lines_added", pa.int64()), ("lines_deleted", pa.int64()),
    ("is_binary", pa.bool_()), ("extracted_at", pa.timestamp("us", _UTC)),
])
BLAME_SCHEMA = pa.schema([
    _key("org_id"), _key("repo_id"), ("repo_name", pa.string()), ("head_sha", pa.string()), _key("path"),
    _key("author_email"), ("lines", pa.int64()), ("extracted_at", pa.timestamp("us", _UTC)),
])


def normalise_remote_url(url: str) -> str:
    """`git@github.com:Acme/API.git` and `https://github.com/acme/api` both become `github.com/acme/api`."""
    url = url.strip()
    scp = _SCP_LIKE.match(url) if "://" not in url else None
    if scp:
        host, path = scp.group("host"), scp.group("path")
    else:
        rest = url.split("://", 1)[-1]
        host, _, path = rest.rpartition("@")[2].partition("/")
        host = host.split(":")[0]
    path = path.strip("/").removesuffix(".git")
    return f"{host.lower()}/{path.lower()}"


def repo_identity(remote_url: str | None, path: Path) -> tuple[str, str]:
    """A repo id stable across machines (UUID5 of the remote, else of the path) and its display name."""
    if remote_url:
        normalised = normalise_remote_url(remote_url)
        owner_and_name = "/".join(normalised.split("/")[1:][-2:])
        return str(uuid.uuid5(REPO_NAMESPACE, normalised)), owner_and_name
    absolute = path.resolve()
    return str(uuid.uuid5(REPO_NAMESPACE, str(absolute))), absolute.name


def split_records(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Whole commit records out of a byte stream, however the pipe happened to cut it."""
    pending = b""
    for chunk in chunks:
        pending += chunk
        *complete, pending = pending.split(_RECORD)
        yield from (record for record in complete if record)
    if pending:
        yield pending


def _offset_minutes(iso_like: str) -> int:
    # `%ai` ends in the author's offset as +hhmm
    sign = -1 if iso_like[-5] == "-" else 1
    return sign * (int(iso_like[-4:-2]) * 60 + int(iso_like[-2:]))


@dataclass(frozen=True)
class FileChange:
    """One file of a commit's diff against its first parent."""

    path: str
    old_path: str | None
    change_type: str
    lines_added: int
    lines_deleted: int
    is_binary: bool


def parse_file_changes(tokens: list[str]) -> list[FileChange]:
    """The files of one record: `--raw` entries (status) then `--numstat` entries (lines), in the same order.

    Tokens are consumed by structure, not by content, so a path holding a tab or a colon parses too.
    """
    statuses: list[str] = []
    position = 0
    while position < len(tokens) and tokens[position].startswith(":"):
        status = tokens[position].rsplit(" ", 1)[-1]
        statuses.append(status[0])
        position += 3 if status[0] in "RC" else 2
    changes: list[FileChange] = []
    for status in statuses:
        added, deleted, path = tokens[position].split("\t", 2)
        old_path = None
        position += 1
        if not path:
            old_path, path = tokens[position], tokens[position + 1]
            position += 2
        is_binary = added == "-"
        changes.append(FileChange(
            path=path, old_path=old_path, change_type=_CHANGE_TYPES.get(status, "M"),
            lines_added=0 if is_binary else int(added), lines_deleted=0 if is_binary else int(deleted),
            is_binary=is_binary,
        ))
    return changes


@dataclass
class LogBatch:
    """Commits and files of a run of records, held as columns so they become Arrow without a row pass."""

    org_id: str
    repo_id: str
    repo_name: str
    extracted_at: datetime
    # a tombstone batch: commits a force push dropped from the branch, so staging stops counting them
    removed: bool = False
    commits: dict[str, list] = field(default_factory=lambda: {name: [] for name in COMMIT_SCHEMA.names})
    files: dict[str, list] = field(default_factory=lambda: {name: [] for name in FILE_SCHEMA.names})

    def __len__(self) -> int:
        return len(self.commits["sha"])

    def add(self, record: bytes) -> None:
        """Append one `LOG_FORMAT` record (header, then its NUL-separated diff)."""
        header, _, diff = record.partition(b"\0")
        (sha, parents, author_name, author_email, author_time, author_iso, committer_name, committer_email,
         committer_time, subject, message) = header.decode("utf-8", "replace").split(FIELD_SEPARATOR)
        parent_shas = parents.split()
        columns = self.commits
        columns["sha"].append(sha)
        # a JSON array in text: dlt stores nested values as JSON strings on ClickHouse
        columns["parent_shas"].append('["' + '", "'.join(parent_shas) + '"]' if parent_shas else "[]")
        columns["is_merge"].append(len(parent_shas) > 1)
        columns["author_name"].append(author_name)
        columns["author_email"].append(author_email.lower())
        columns["authored_at"].append(int(author_time) * 1_000_000)
        columns["author_tz_offset_minutes"].append(_offset_minutes(author_iso))
        columns["committer_name"].append(committer_name)
        columns["committer_email"].append(committer_email.lower())
        columns["committed_at"].append(int(committer_time) * 1_000_000)
        columns["message_subject"].append(subject)
        columns["message_length"].append(len(message.rstrip("\n")))
        columns["is_removed"].append(self.removed)
        if diff.strip(b"\n\0") and not self.removed:
            tokens = diff.lstrip(b"\n").decode("utf-8", "surrogateescape").split("\0")
            for change in parse_file_changes(tokens):
                files = self.files
                files["sha"].append(sha)
                files["path"].append(_printable(change.path))
                files["old_path"].append(None if change.old_path is None else _printable(change.old_path))
                files["change_type"].append(change.change_type)
                files["lines_added"].append(change.lines_added)
                files["lines_deleted"].append(change.lines_deleted)
                files["is_binary"].append(change.is_binary)

    def tables(self) -> tuple[pa.Table, pa.Table]:
        """The batch as a `commits` table and a `commit_files` table."""
        return _as_table(self, self.commits, COMMIT_SCHEMA), _as_table(self, self.files, FILE_SCHEMA)


def _printable(path: str) -> str:
    # a path that is not UTF-8 keeps its bytes visible as \x escapes instead of failing the load
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _as_table(batch: LogBatch, columns: dict[str, list], schema: pa.Schema) -> pa.Table:
    rows = len(columns["sha"])
    constants = {"org_id": batch.org_id, "repo_id": batch.repo_id, "repo_name": batch.repo_name}
    arrays = []
    for column in schema:
        if column.name in constants:
            arrays.append(pa.array([constants[column.name]] * rows, column.type))
        elif column.name == "extracted_at":
            arrays.append(pa.array([batch.extracted_at] * rows, column.type))
        else:
            arrays.append(pa.array(columns[column.name], column.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def text_files_at_head(numstat_z: str) -> list[str]:
    """Paths of `git diff --numstat -z <empty tree> HEAD` that are text (binary files print `-` counts)."""
    paths = []
    for entry in numstat_z.split("\0"):
        if entry:
            added, _, path = entry.split("\t", 2)
            if added != "-":
                paths.append(path)
    return paths


def blame_lines_by_author(line_porcelain: str) -> Counter[str]:
    """Lines owned by each author email in `git blame --line-porcelain` output, emails lower-cased."""
    owners: Counter[str] = Counter()
    for line in line_porcelain.splitlines():
        if line.startswith("author-mail "):
            owners[line[len("author-mail "):].strip().strip("<>").lower()] += 1
    return owners
