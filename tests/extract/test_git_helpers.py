"""Pure parsing of the git source, without git or a warehouse."""

from datetime import UTC, datetime
from pathlib import Path

from devhealth.extract.git.helpers import (
    LogBatch,
    blame_lines_by_author,
    normalise_remote_url,
    parse_file_changes,
    repo_identity,
    split_records,
    text_files_at_head,
)

SHA = "a" * 40
PARENT = "b" * 40


def record(sha: str, parents: str, author_iso: str, diff: bytes, email: str = "Dev@Example.COM") -> bytes:
    header = "\x1f".join([sha, parents, "Dév", email, "1709595000", author_iso, "Dév", email, "1709595000",
                          "subject line", "subject line\n\nbody ünïcode\n"])
    return header.encode() + b"\0" + diff


def test_remote_urls_normalise_to_one_identity() -> None:
    assert normalise_remote_url("git@github.com:Acme/API.git") == "github.com/acme/api"
    assert normalise_remote_url("https://user@GitHub.com:443/acme/api/") == "github.com/acme/api"
    ssh_id, name = repo_identity("ssh://git@github.com/acme/api.git", Path("/x"))
    assert (ssh_id, name) == (repo_identity("https://github.com/Acme/API", Path("/y"))[0], "acme/api")


def test_records_split_across_arbitrary_chunk_boundaries() -> None:
    stream = b"\x1eone\0\x1etwo\0\n:x\x1ethree"
    chunks = [stream[i:i + 3] for i in range(0, len(stream), 3)]
    assert list(split_records(chunks)) == [b"one\0", b"two\0\n:x", b"three"]


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
    batch = LogBatch("00000000-0000-0000-0000-000000000001", "repo", "acme/api", datetime(2024, 1, 1, tzinfo=UTC))
    batch.add(record(SHA, PARENT, "2024-03-05 01:30:00 -0230", b"\n:100644 100644 a b M\0f.txt\0" b"4\t2\tf.txt\0"))
    batch.add(record(PARENT, f"{SHA} {SHA}", "2024-03-05 01:30:00 +0545", b""))
    commits, files = batch.tables()
    first, merge = commits.to_pylist()
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
