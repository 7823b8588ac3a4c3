"""Pure parsing for the git source: repository identity, the `git log -z --raw --numstat` stream and blame."""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

import pyarrow as pa

from devhealth.extract.git.settings import LOG_FIELDS, RECORD_MARK
from devhealth.extract.raw_contract import arrow_schema

REPO_NAMESPACE = uuid.UUID("6f1c3a52-8d1e-4c55-9a57-2d0f4b8c1e11")
_SCP_LIKE = re.compile(r"^(?:[\w.-]+@)?(?P<host>[\w.-]+):(?P<path>[^/].*)$")
# `--raw` statuses beyond the contract's A/M/D/R: a type change edits the file, a copy adds one
_CHANGE_TYPES = {"A": "A", "M": "M", "D": "D", "R": "R", "T": "M", "C": "A"}
_UTC = "UTC"


# the raw contract's shapes (src/devhealth/extract/raw_contract.yml): keys NOT NULL, every other column nullable
COMMIT_SCHEMA = arrow_schema("commits", "git")
FILE_SCHEMA = arrow_schema("commit_files", "git")
BLAME_SCHEMA = arrow_schema("blame", "git")


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


class LogFormatError(ValueError):
    """The `git log` stream does not have the shape `LOG_FORMAT` asks for."""


@dataclass(frozen=True)
class LogRecord:
    """One commit of the stream: its `LOG_FIELDS` and its `--raw` then `--numstat` tokens.

    `clean` is False when its bytes were not all UTF-8: its text then carries surrogate escapes to fix up.
    """

    header: list[str]
    diff: list[str]
    clean: bool = True


class LogReader:
    """Cuts the `git log -z` byte stream into commits by structure, wherever the pipe's chunks end.

    Every field ends in NUL, so a message or a name holding any other byte cannot move a boundary. A record
    is the mark, a fixed number of header fields, then `--raw` entries (an entry and one path, or two for a
    rename or a copy) and as many `--numstat` entries: its length follows from its own tokens.
    """

    def __init__(self, fields: int = len(LOG_FIELDS)) -> None:
        self._fields = fields
        self._partial = b""
        self._tokens: list[str] = []
        self._clean = True

    def feed(self, chunk: bytes) -> Iterator[LogRecord]:
        """The commits `chunk` completes; a commit cut by the chunk's end waits for the next chunk."""
        data = self._partial + chunk
        cut = data.rfind(b"\0")
        if cut < 0:
            self._partial = data
            return
        self._partial = data[cut + 1:]
        self._add_tokens(data[:cut])
        yield from self._records(final=False)

    def finish(self) -> Iterator[LogRecord]:
        """The commits left once the stream has ended; a commit cut short is a `LogFormatError`."""
        if self._partial:
            self._add_tokens(self._partial)
            self._partial = b""
        yield from self._records(final=True)

    def _add_tokens(self, data: bytes) -> None:
        try:
            text = data.decode()
        except UnicodeDecodeError:
            # rare: keep every byte as a surrogate, and let the batch pick replace or escape per column
            text = data.decode("utf-8", "surrogateescape")
            self._clean = False
        self._tokens.extend(text.split("\0"))

    def _records(self, final: bool) -> Iterator[LogRecord]:
        tokens, fields, clean = self._tokens, self._fields, self._clean
        count = len(tokens)
        position = 0
        while True:
            while position < count and not tokens[position]:
                position += 1  # the empty token git puts between commits without a diff
            if position >= count:
                break
            if tokens[position] != RECORD_MARK:
                raise LogFormatError(f"unexpected git log output {tokens[position][:40]!r}")
            diff_start = position + 1 + fields
            end = _record_end(tokens, diff_start, final)
            if end is None:
                if final:
                    raise LogFormatError(f"git log output ends inside commit {tokens[position + 1:][:1]}")
                break
            yield LogRecord(tokens[position + 1:diff_start], tokens[diff_start:end], clean)
            position = end
        del tokens[:position]
        if not tokens:
            self._clean = True


def _record_end(tokens: list[str], position: int, final: bool) -> int | None:
    """Index just past the record whose diff starts at `position`; None while tokens may still be missing."""
    count = len(tokens)
    if position > count:
        return None
    entries = 0
    while position < count and tokens[position].startswith((":", "\n:")):
        status = tokens[position].rsplit(" ", 1)[-1]
        position += 3 if status[:1] in ("R", "C") else 2
        entries += 1
    if position >= count and not final:
        # more entries, or this commit's diff, may be in the next chunk
        return None
    for _ in range(entries):
        if position >= count:
            return None
        # a rename's numstat entry is `added\tdeleted\t` with both paths after it; a path may end in a tab
        entry = tokens[position]
        position += 3 if entry.endswith("\t") and entry.count("\t") == 2 else 1
    return position if position <= count else None


def _offset_minutes(iso_like: str) -> int:
    # `%ai` ends in the author's offset as +hhmm; git stores whatever the committing tool wrote, and reads the
    # digits before the last two as hours (rails 4cf94979: `+051800`, printed +51800, 518 hours), as this does:
    # raw keeps what git says, and int_commits_enriched takes an offset no clock has for unknown
    offset = iso_like.rsplit(" ", 1)[-1]
    digits = offset[1:]
    if offset[:1] not in ("+", "-") or len(digits) < 4 or not digits.isdigit():
        raise ValueError(iso_like)
    sign = -1 if offset[0] == "-" else 1
    return sign * (int(digits[:-2]) * 60 + int(digits[-2:]))


class FileChange(NamedTuple):
    """One file of a commit's diff against its first parent (a tuple: a long history makes millions)."""

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
    count = len(tokens)
    while position < count and tokens[position].startswith((":", "\n:")):
        status = tokens[position].rsplit(" ", 1)[-1][:1]
        statuses.append(status)
        position += 3 if status in ("R", "C") else 2
    changes: list[FileChange] = []
    for status in statuses:
        added, deleted, path = tokens[position].split("\t", 2)
        old_path = None
        position += 1
        if not path:
            old_path, path = tokens[position], tokens[position + 1]
            position += 2
        if added == "-":
            changes.append(FileChange(path, old_path, _CHANGE_TYPES.get(status, "M"), 0, 0, True))
        else:
            changes.append(FileChange(path, old_path, _CHANGE_TYPES.get(status, "M"), int(added), int(deleted),
                                      False))
    return changes


# the columns a batch fills per commit and per file, in the order of its row tuples; the rest are constants
_COMMIT_COLUMNS = ("sha", "parent_shas", "is_merge", "author_name", "author_email", "authored_at",
                   "author_tz_offset_minutes", "committer_name", "committer_email", "committed_at",
                   "message_subject", "message_length")
_FILE_COLUMNS = ("sha", "path", "old_path", "change_type", "lines_added", "lines_deleted", "is_binary")


@dataclass
class LogBatch:
    """Commits and files of a run of records, held as row tuples that become Arrow columns in one transpose."""

    org_id: str
    repo_id: str
    repo_name: str
    extracted_at: datetime
    # a tombstone batch: commits a force push dropped from the branch, so staging stops counting them
    removed: bool = False
    # a shallow clone's cut: commits whose parents the clone lacks, which git shows as roots diffed against the
    # empty tree (every file of the tree added); their diff is unknown, so they get no file rows
    cut: frozenset[str] = frozenset()
    commits: list[tuple] = field(default_factory=list)
    files: list[tuple] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.commits)

    def add(self, record: LogRecord) -> None:
        """Append one commit of `LogReader`; a field git would never print so is a `LogFormatError`."""
        header = record.header if record.clean else [replaced_text(text) for text in record.header]
        try:
            (sha, parents, author_name, author_email, author_time, author_iso, committer_name, committer_email,
             committer_time, subject, message) = header
            authored_at, committed_at = int(author_time) * 1_000_000, int(committer_time) * 1_000_000
            offset = _offset_minutes(author_iso)
            changes = (parse_file_changes(record.diff) if record.diff and not self.removed and sha not in self.cut
                       else [])
        except (ValueError, IndexError):
            raise LogFormatError(f"git log printed a commit this parser cannot read: {header[:1]}") from None
        parent_shas = parents.split()
        self.commits.append((
            # a JSON array in text: dlt stores nested values as JSON strings on ClickHouse
            sha, '["' + '", "'.join(parent_shas) + '"]' if parent_shas else "[]", len(parent_shas) > 1,
            author_name, author_email.lower(), authored_at, offset, committer_name, committer_email.lower(),
            committed_at, subject, len(message.rstrip("\n")),
        ))
        if not changes:
            return
        if record.clean:
            self.files.extend((sha, *change) for change in changes)
        else:
            self.files.extend((sha, printable_path(path), None if old_path is None else printable_path(old_path),
                               *rest) for path, old_path, *rest in changes)

    def tables(self) -> tuple[pa.Table, pa.Table]:
        """The batch as a `commits` table and a `commit_files` table."""
        return (_as_table(self, self.commits, _COMMIT_COLUMNS, COMMIT_SCHEMA),
                _as_table(self, self.files, _FILE_COLUMNS, FILE_SCHEMA))


def replaced_text(text: str) -> str:
    """Names and messages that were not UTF-8 read with U+FFFD for each invalid byte, as git shows them."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def printable_path(path: str) -> str:
    """`path` as text; bytes that are not UTF-8 (surrogate escapes) show as `\\x` escapes."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _as_table(batch: LogBatch, rows: list[tuple], names: tuple[str, ...], schema: pa.Schema) -> pa.Table:
    count = len(rows)
    columns = dict(zip(names, zip(*rows, strict=True), strict=True)) if rows else dict.fromkeys(names, ())
    constants = {"org_id": batch.org_id, "repo_id": batch.repo_id, "repo_name": batch.repo_name,
                 "is_removed": batch.removed, "extracted_at": batch.extracted_at}
    arrays = []
    for column in schema:
        if column.name in columns:
            arrays.append(pa.array(columns[column.name], column.type))
        else:
            arrays.append(pa.repeat(pa.scalar(constants[column.name], column.type), count))
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
