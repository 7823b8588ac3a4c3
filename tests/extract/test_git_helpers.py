"""Pure parsing of the git source, without git or a warehouse."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from devhealth.extract.git.helpers import (
    LogBatch,
    LogFormatError,
    LogReader,
    blame_lines_by_author,
    normalise_remote_url,
    parse_file_changes,
    repo_identity,
    text_files_at_head,
)

SHA = "a" * 40
PARENT = "b" * 40


def record(sha: str, parents: str, author_iso: str, diff: bytes, email: str = "Dev@Example.COM",
           message: str = "subject line\n\nbody ünïcode\n") -> bytes:
    """One commit as `git log -z` prints LOG_FORMAT: the mark, NUL-terminated fields, then the diff."""
    header = "\0".join(["/c", sha, parents, "Dév", email, "1709595000", author_iso, "Dév", email, "1709595000",
                        message.split("\n")[0], message])
    return header.encode() + b"\0" + (diff or b"\0")


def read_all(stream: bytes, chunk: int = 1 << 16) -> list:
    reader = LogReader()
    records = [record for start in range(0, len(stream), chunk) for record in reader.feed(stream[start:start + chunk])]
    return records + list(reader.finish())


def batch_of(stream: bytes, chunk: int = 1 << 16) -> LogBatch:
    batch = LogBatch("00000000-0000-0000-0000-000000000001", "repo", "acme/api", datetime(2024, 1, 1, tzinfo=UTC))
    for parsed in read_all(stream, chunk):
        batch.add(parsed)
    return batch


def test_remote_urls_normalise_to_one_identity() -> None:
    assert normalise_remote_url("git@github.com:Acme/API.git") == "github.com/acme/api"
    assert normalise_remote_url("https://user@GitHub.com:443/acme/api/") == "github.com/acme/api"
    ssh_id, name = repo_identity("ssh://git@github.com/acme/api.git", Path("/x"))
    assert (ssh_id, name) == (repo_identity("https://github.com/Acme/API", Path("/y"))[0], "acme/api")


DIFF = (b"\n:100644 100644 a b M\0f.txt\0:100644 100644 c d R090\0old\x1e\0new\x1f\0"
        b"4\t2\tf.txt\0" b"1\t1\t\0old\x1e\0new\x1f\0")


def test_records_split_the_same_at_any_chunk_boundary() -> None:
    stream = record(SHA, PARENT, "2024-03-05 01:30:00 +0000", DIFF) + record(PARENT, "", "2024-03-05 01:30:00 +0000",
                                                                             b"")
    whole = [(parsed.header, parsed.diff) for parsed in read_all(stream)]
    assert [header[0] for header, _ in whole] == [SHA, PARENT]
    assert whole[0][1][-3:] == ["1\t1\t", "old\x1e", "new\x1f"] and whole[1][1] == []
    for size in (1, 2, 3, 7, 64):
        assert [(parsed.header, parsed.diff) for parsed in read_all(stream, size)] == whole


def test_separator_bytes_in_messages_names_and_paths_cannot_shift_a_record() -> None:
    # the old format split on \x1f and \x1e: a message holding them broke the repository for good
    hostile = "fix\x1e\x1f/c\n\n:100644 100644 a b M\n1\t2\tx\n\x1e"
    batch = batch_of(record(SHA, PARENT, "2024-03-05 01:30:00 +0100", DIFF, message=hostile)
                     + record(PARENT, "", "2024-03-05 01:30:00 +0100", b"", message=""), chunk=5)
    commits, files = batch.tables()
    assert commits.column("sha").to_pylist() == [SHA, PARENT]
    assert commits.column("message_length").to_pylist() == [len(hostile.rstrip("\n")), 0]
    assert commits.column("message_subject").to_pylist() == ["fix\x1e\x1f/c", ""]
    assert [(row["path"], row["old_path"], row["change_type"]) for row in files.to_pylist()] == [
        ("f.txt", None, "M"), ("new\x1f", "old\x1e", "R")]


def test_a_garbled_or_cut_stream_is_a_format_error() -> None:
    with pytest.raises(LogFormatError, match="unexpected git log output 'not a commit'"):
        read_all(b"not a commit\0")
    with pytest.raises(LogFormatError, match="ends inside commit"):
        read_all(record(SHA, PARENT, "2024-03-05 01:30:00 +0100", DIFF)[:-30])
    with pytest.raises(LogFormatError, match="cannot read"):
        batch_of(record(SHA, PARENT, "yesterday", b""))


def test_bytes_that_are_not_utf8_keep_the_row() -> None:
    stream = record(SHA, PARENT, "2024-03-05 01:30:00 +0100", b"\n:000000 100644 0 a A\0caf\xe9.txt\0"
                    b"1\t0\tcaf\xe9.txt\0").replace(b"D\xc3\xa9v", b"D\xe9v", 1)
    commits, files = batch_of(stream).tables()
    assert commits.column("author_name").to_pylist() == ["D\ufffdv"]
    assert files.column("path").to_pylist() == ["caf\\xe9.txt"]


def test_raw_and_numstat_tokens_pair_into_changes() -> None:
    tokens = [":100644 100644 aaa bbb M", "src/a\tb.py", ":100644 100644 ccc ddd R087", "old.txt", "new.txt",
              ":000000 100644 000 eee A", "logo.png", ":100644 000000 fff 000 D", "gone.txt",
              "3\t1\tsrc/a\tb.py", "2\t0\t", "old.txt", "new.txt", "-\t-\tlogo.png", "0\t7\tgone.txt", ""]
    changes = [(c.path, c.old_path, c.change_type, c.lines_added, c.lines_deleted, c.is_binary)
               for c in parse_file_changes(tokens)]
    assert changes == [
        ("src/a\tb.py", None, "M", 3, 1, False),
        ("new.txt", "old.txt", "R", 2, 0, False),
        ("logo.png", None, "A", 0, 0, True),
        ("gone.txt", None, "D", 0, 7, False),
    ]


def test_log_batch_builds_commit_and_file_tables() -> None:
    commits, files = batch_of(
        record(SHA, PARENT, "2024-03-05 01:30:00 -0230", b"\n:100644 100644 a b M\0f.txt\0" b"4\t2\tf.txt\0")
        + record(PARENT, f"{SHA} {SHA}", "2024-03-05 01:30:00 +0545", b"")
        # an offset no clock has, as git prints rails 4cf94979's `+051800`: hours before the last two digits
        + record(SHA, PARENT, "2011-08-29 06:50:23 +51800", b"")).tables()
    first, merge, odd = commits.to_pylist()
    assert odd["author_tz_offset_minutes"] == 518 * 60
    assert first["author_email"] == "dev@example.com"
    assert first["author_tz_offset_minutes"] == -150 and merge["author_tz_offset_minutes"] == 345
    assert first["authored_at"] == datetime(2024, 3, 4, 23, 30, tzinfo=UTC)
    assert first["message_length"] == len("subject line\n\nbody ünïcode")
    assert (first["is_merge"], merge["is_merge"], merge["parent_shas"]) == (False, True, f'["{SHA}", "{SHA}"]')
    assert files.to_pylist()[0] | {"extracted_at": None} == {
        "org_id": "00000000-0000-0000-0000-000000000001", "repo_id": "repo", "sha": SHA, "path": "f.txt",
        "old_path": None, "change_type": "M", "lines_added": 4, "lines_deleted": 2, "is_binary": False,
        "extracted_at": None,
    }


def test_head_listing_skips_binary_files_and_blame_counts_owners() -> None:
    assert text_files_at_head("3\t0\ta.txt\0-\t-\tlogo.png\0" "1\t0\tdir/ü.md\0") == ["a.txt", "dir/ü.md"]
    porcelain = "abc 1 1 2\nauthor A\nauthor-mail <A@X.io>\n\tline\nabc 2 2\nauthor-mail <a@x.io>\n\tline\n" \
                "def 1 3 1\nauthor-mail <b@x.io>\n\tother\n"
    assert blame_lines_by_author(porcelain) == {"a@x.io": 2, "b@x.io": 1}
