"""Property-based checks of every parser of outside input: any input ends in rows or a one-line error.

Git log streams (as git prints them, and as arbitrary bytes), events lines, `--since`, provider issue pages
and rate-limit headers. Hypothesis draws the inputs; a traceback of any other kind fails the test.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from requests import Response
from requests.structures import CaseInsensitiveDict

from devhealth.errors import ConfigError, InputError
from devhealth.extract.batching import parse_since
from devhealth.extract.events.helpers import parse_lines
from devhealth.extract.git.helpers import LogBatch, LogFormatError, LogReader
from devhealth.extract.github.helpers import is_pull_request
from devhealth.extract.http import is_rate_limited, quota_pause, rate_limit_wait

ORG = "11111111-2222-3333-4444-555555555555"
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# any text git could print in a field: everything but NUL, surrogates and all
field_text = st.text(st.characters(blacklist_characters="\0", blacklist_categories=("Cs",)), max_size=40)
hex_sha = st.text("0123456789abcdef", min_size=40, max_size=40)
path_text = st.text(st.characters(blacklist_characters="\0", blacklist_categories=("Cs",)), min_size=1,
                    max_size=30)


@st.composite
def file_change(draw: st.DrawFn) -> tuple[str, str | None, str, int, int]:
    status = draw(st.sampled_from(["A", "M", "D", "T", "R", "C"]))
    old = draw(path_text) if status in "RC" else None
    added, deleted = draw(st.integers(0, 10**6)), draw(st.integers(0, 10**6))
    return status, old, draw(path_text), added, deleted


@st.composite
def commit(draw: st.DrawFn) -> dict:
    return {"sha": draw(hex_sha), "parents": draw(st.lists(hex_sha, max_size=3)), "name": draw(field_text),
            "email": draw(field_text), "time": draw(st.integers(-(10**9), 10**10)),
            "offset": draw(st.sampled_from(["+0000", "-0230", "+0545", "+1400"])),
            "subject": draw(field_text), "message": draw(field_text),
            "files": draw(st.lists(file_change(), max_size=4))}


def printed(commits: list[dict]) -> bytes:
    """The stream `git log -z --raw --numstat --format=LOG_FORMAT` prints for these commits."""
    out = []
    for item in commits:
        header = ["/c", item["sha"], " ".join(item["parents"]), item["name"], item["email"], str(item["time"]),
                  f"2024-01-01 00:00:00 {item['offset']}", item["name"], item["email"], str(item["time"]),
                  item["subject"], item["message"]]
        text = "\0".join(header) + "\0"
        if item["files"]:
            raw = []
            numstat = []
            for status, old, path, added, deleted in item["files"]:
                score = "100" if status in "RC" else ""
                raw.append(f":100644 100644 aaa bbb {status}{score}\0" + (f"{old}\0" if old else "") + f"{path}\0")
                numstat.append(f"{added}\t{deleted}\t\0{old}\0{path}\0" if old else f"{added}\t{deleted}\t{path}\0")
            text += "\n" + "".join(raw) + "".join(numstat)
        out.append(text.encode("utf-8", "surrogatepass"))
    return b"".join(out)


def parse(stream: bytes, cut: list[int]) -> LogBatch:
    batch = LogBatch(ORG, "repo", "acme/api", datetime(2024, 1, 1, tzinfo=UTC))
    reader = LogReader()
    start = 0
    for end in [*sorted(cut), len(stream)]:
        for record in reader.feed(stream[start:end]):
            batch.add(record)
        start = max(start, end)
    for record in reader.finish():
        batch.add(record)
    return batch


@PROPERTY
@given(st.lists(commit(), max_size=5), st.lists(st.integers(0, 4000), max_size=6))
def test_git_log_streams_parse_back_to_their_commits_wherever_the_pipe_cuts(commits: list[dict],
                                                                             cut: list[int]) -> None:
    batch = parse(printed(commits), cut)
    commit_rows, file_rows = batch.tables()
    assert commit_rows.column("sha").to_pylist() == [item["sha"] for item in commits]
    assert commit_rows.column("message_subject").to_pylist() == [item["subject"] for item in commits]
    assert commit_rows.column("message_length").to_pylist() == [len(item["message"].rstrip("\n"))
                                                                for item in commits]
    expected_files = [(item["sha"], path, old) for item in commits for _, old, path, _, _ in item["files"]]
    assert list(zip(file_rows.column("sha").to_pylist(), file_rows.column("path").to_pylist(),
                    file_rows.column("old_path").to_pylist(), strict=True)) == expected_files


@PROPERTY
@given(st.binary(max_size=600), st.lists(st.integers(0, 600), max_size=4))
def test_any_bytes_from_git_are_rows_or_a_format_error(stream: bytes, cut: list[int]) -> None:
    try:
        batch = parse(stream, cut)
    except LogFormatError as error:
        assert "\n" not in str(error)
        return
    batch.tables()


json_value = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | field_text,
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(field_text, inner, max_size=3),
                          max_leaves=8)
time_like = st.from_regex(r"\A\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})\Z")


@st.composite
def event_line(draw: st.DrawFn) -> str:
    event = {"kind": draw(st.sampled_from(["change", "deployment", "incident", "other"])),
             "repo": draw(st.sampled_from(["acme/api", "gitlab.com/a/b", "bad repo"]) | field_text),
             "sha": draw(hex_sha | json_value), "id": draw(field_text | st.integers()),
             "environment": "production", "status": draw(st.sampled_from(["success", "failure", "x"])),
             "shas": draw(st.lists(hex_sha, max_size=2) | json_value)}
    for name in ("created_at", "started_at", "finished_at", "resolved_at"):
        event[name] = draw(time_like | json_value)
    extra = draw(st.dictionaries(field_text, json_value, max_size=2))
    return json.dumps({**event, **extra})


@PROPERTY
@given(st.lists(event_line() | field_text, min_size=1, max_size=4))
def test_any_events_file_is_rows_or_one_line_naming_file_and_line(lines: list[str]) -> None:
    try:
        batch = parse_lines(lines, ORG, "fuzz.jsonl")
    except InputError as error:
        assert str(error).startswith("events file fuzz.jsonl line ") and "\n" not in str(error)
        return
    now = datetime.now(UTC)
    for kind in ("change", "deployment", "incident"):
        for row in batch.of(kind):
            for name in ("created_at", "started_at", "finished_at", "opened_at", "resolved_at"):
                if row.get(name) is not None:
                    assert datetime(1970, 1, 1, tzinfo=UTC) <= row[name] <= now.replace(year=now.year + 1)


@PROPERTY
@given(field_text | time_like)
def test_any_since_is_a_past_time_or_a_config_error(value: str) -> None:
    try:
        moment = parse_since(value)
    except ConfigError as error:
        assert str(error).startswith("--since ") and "\n" not in str(error)
        return
    assert moment <= datetime.now(UTC)


@PROPERTY
@given(st.lists(st.dictionaries(field_text, json_value, max_size=3)
                | st.fixed_dictionaries({"pull_request": json_value}), max_size=4))
def test_issue_pages_keep_an_issue_unless_its_pull_request_link_is_real(page: list[dict]) -> None:
    for issue in page:
        link = issue.get("pull_request")
        real = isinstance(link, dict) and any(isinstance(link.get(name), str) and link[name].strip()
                                              for name in ("url", "html_url"))
        assert is_pull_request(issue) is real


header_names = st.sampled_from(["Retry-After", "retry-after", "X-RateLimit-Remaining", "x-ratelimit-reset",
                                "X-RateLimit-Reset", "ratelimit-remaining", "RateLimit-Reset", "Link"])


@PROPERTY
@given(st.dictionaries(header_names, field_text | st.integers(0, 10**10).map(str), max_size=5),
       st.sampled_from([200, 403, 404, 429, 500]), field_text)
def test_any_rate_limit_headers_give_a_wait_or_none(headers: dict[str, str], status: int, body: str) -> None:
    now = time.time()
    for wait in (rate_limit_wait(headers, now), quota_pause(headers, now)):
        assert wait is None or wait >= 0
    response = Response()
    response.status_code, response.headers, response._content = status, CaseInsensitiveDict(headers), body.encode()
    limited = is_rate_limited(response)
    assert isinstance(limited, bool) and (not limited or status in (403, 429))

