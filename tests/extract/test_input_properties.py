"""Property-based checks of every parser of outside input: any input ends in rows or a one-line error.

Git log streams (as git prints them, and as arbitrary bytes), events lines, `--since`, provider issue pages,
rate-limit headers, and every provider page a parser turns into rows (recorded pages with keys dropped, nulled,
or given values of another type). Hypothesis draws the inputs; a traceback of any other kind fails the test.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from requests import Response
from requests.structures import CaseInsensitiveDict

from devhealth.errors import ConfigError, InputError, ProviderError
from devhealth.extract.batching import parse_since
from devhealth.extract.events.helpers import parse_lines
from devhealth.extract.git.helpers import LogBatch, LogFormatError, LogReader
from devhealth.extract.github import helpers as github
from devhealth.extract.github.helpers import is_pull_request
from devhealth.extract.gitlab import helpers as gitlab
from devhealth.extract.jira import helpers as jira
from devhealth.extract.rest_client import is_rate_limited, quota_reset

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
    wait = quota_reset(headers, now)
    assert wait is None or wait >= 0
    response = Response()
    response.status_code, response.headers, response._content = status, CaseInsensitiveDict(headers), body.encode()
    limited = is_rate_limited(response)
    assert isinstance(limited, bool) and (not limited or status in (403, 429))



FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REPO_ID = "repo-1"
# what a raw row may hold: the contract's scalar types, never a nested object a page smuggled through
ROW_TYPES = (str, int, float, bool, datetime, type(None))
odd_times = st.sampled_from(["2024-02-30T10:00:00Z", "0000-01-01T00:00:00Z", "2024-01-01T00:00:00+99:00",
                             "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "2999-01-01T00:00:00Z",
                             "2024-06-01T12:00:00.123+0200", "yesterday", "", " "]) | time_like
odd_scalars = (st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | field_text | odd_times
               | st.text(st.characters(whitelist_categories=("Zl", "Zp", "Cc", "Mn", "So")), max_size=8))
odd_values = odd_scalars | st.lists(odd_scalars, max_size=2) | st.dictionaries(field_text, odd_scalars, max_size=2)


def _load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def _slots(value: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) in a JSON value: the places a mutation can drop or replace a value."""
    found: list[tuple[Any, Any]] = []
    if isinstance(value, tuple):  # pages of two calls parsed together (a deployment and its statuses)
        return [slot for part in value for slot in _slots(part)]
    if isinstance(value, dict):
        for key, inner in value.items():
            found.append((value, key))
            found.extend(_slots(inner))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found.append((value, index))
            found.extend(_slots(inner))
    return found


@st.composite
def mutated(draw: st.DrawFn, recorded: Any) -> Any:
    """A recorded page with a few values dropped, nulled or swapped for a value of any other shape."""
    page = copy.deepcopy(recorded)
    for _ in range(draw(st.integers(0, 4))):
        slots = _slots(page)
        if not slots:
            break
        container, key = draw(st.sampled_from(slots))
        if isinstance(container, dict) and draw(st.booleans()):
            del container[key]
        else:
            container[key] = draw(odd_values)
    if isinstance(page, list) and draw(st.integers(0, 9)) == 0:
        page.append(draw(odd_values))  # an item that is not an object at all
    return page


def _each(parse: Callable[[Any], Any]) -> Callable[[list[Any]], list[Any]]:
    return lambda page: [parse(item) for item in page]


def _kept(rows: list[Any]) -> list[Any]:
    return [row for row in rows if row is not None]


def _transitions(histories: list[Any]) -> list[Any]:
    work_item = {"work_item_id": "10101", "work_item_key": "OPS-1"}
    return jira.parse_transitions(histories, work_item, {"1": "todo", "3": "in_progress"}, ORG)


# (provider, resource, recorded pages, how one page becomes rows); a page is what one API call returns
PAGE_PARSERS: list[tuple[str, str, list[Any], Callable[[Any], list[Any]]]] = [
    ("github", "repositories", [_load("github/repo.json")], lambda repo: [github.parse_repository(repo, ORG)]),
    ("github", "pull_requests", [_load("github/pulls_page1.json"), _load("github/pulls_page2.json")],
     _each(github.listed_updated_at)),
    ("github", "pull_requests", [_load(f"github/pull_{n}.json") for n in (9, 12)],
     lambda pull: [github.parse_pull_request(pull, REPO_ID, "acme/api", ORG)]),
    ("github", "pr_reviews", [_load("github/reviews_12.json")],
     lambda page: _kept([github.parse_review(review, REPO_ID, 12, ORG) for review in page])),
    ("github", "pr_commits", [_load("github/commits_12.json")],
     _each(lambda commit: github.parse_pr_commit(commit, REPO_ID, 12, ORG))),
    ("github", "ci_runs", [_load("github/runs_page1.json")["workflow_runs"]],
     _each(lambda run: github.parse_workflow_run(run, REPO_ID, ORG))),
    ("github", "deployments", [(_load("github/deployments.json")[0], _load("github/statuses_700001.json"))],
     lambda pair: [github.deployment_updated_at(pair[0]),
                   github.parse_deployment(pair[0], pair[1], REPO_ID, "acme/api", ORG)]),
    ("github", "releases", [_load("github/releases.json")], _each(lambda r: github.parse_release(r, REPO_ID, ORG))),
    ("github", "work_items", [_load("github/issues_page1.json"), _load("github/issues_old_form.json")],
     lambda page: [github.parse_issue(issue, REPO_ID, "acme/api", ORG, "incident")
                   for issue in page if not github.is_pull_request(issue)]),
    ("github", "incidents", [_load("github/incidents.json")],
     _each(lambda issue: github.parse_incident(issue, REPO_ID, "acme/api", ORG))),
    ("github", "commits", [_load("github/commits_pygithub_page1.json")[:8]],
     _each(lambda commit: github.parse_commit(commit, REPO_ID, "acme/api", ORG))),
    ("github", "commit_files", [_load("github/commit_1292bf0e.json")],
     lambda detail: github.parse_commit_files(detail, REPO_ID, ORG)),
    ("gitlab", "repositories", [_load("gitlab/project.json")], lambda project: [gitlab.parse_project(project, ORG)]),
    ("gitlab", "pull_requests", [_load("gitlab/mrs_page1.json")],
     _each(lambda mr: gitlab.parse_merge_request(mr, REPO_ID, "acme/api", ORG))),
    ("gitlab", "pr_reviews", [(_load("gitlab/notes_5.json"), _load("gitlab/approvals_5.json"))],
     lambda pair: gitlab.parse_reviews(pair[0], pair[1], REPO_ID, 5, ORG)),
    ("gitlab", "pr_commits", [_load("gitlab/commits_5.json")],
     _each(lambda commit: gitlab.parse_mr_commit(commit, REPO_ID, 5, ORG))),
    ("gitlab", "ci_runs", [_load("gitlab/pipelines_page1.json")],
     _each(lambda pipeline: gitlab.parse_pipeline(pipeline, REPO_ID, ORG))),
    ("gitlab", "deployments", [_load("gitlab/deployments.json")],
     _each(lambda deployment: gitlab.parse_deployment(deployment, REPO_ID, "acme/api", ORG))),
    ("gitlab", "work_items", [_load("gitlab/issues_page1.json")],
     _each(lambda issue: gitlab.parse_issue(issue, REPO_ID, "acme/api", ORG))),
    ("gitlab", "incidents", [_load("gitlab/incidents.json")],
     _each(lambda issue: gitlab.parse_incident(issue, REPO_ID, "acme/api", ORG))),
    ("jira", "statuses", [_load("jira/statuses.json")], lambda page: [jira.category_by_status_id(page)]),
    ("gitlab", "commits", [_load("gitlab/repository_commits_page1.json")],
     _each(lambda commit: gitlab.parse_commit(commit, REPO_ID, "acme/api", ORG))),
    ("jira", "work_items", [_load("jira/search_page1.json")["issues"]],
     _each(lambda issue: jira.parse_issue(issue, ORG, "customfield_10016"))),
    ("jira", "incidents", [_load("jira/search_incidents.json")["issues"]],
     _each(lambda issue: jira.parse_incident(issue, ORG))),
    ("jira", "work_item_transitions", [_load("jira/changelog_10101_page1.json")["values"]], _transitions),
]


def _checked_rows(rows: list[Any]) -> None:
    for row in rows:
        values = row.values() if isinstance(row, dict) else [row]
        for value in values:
            assert isinstance(value, ROW_TYPES), f"{value!r} reached a row"
            if isinstance(value, datetime):
                assert value.tzinfo is not None and value.utcoffset().total_seconds() == 0


@pytest.mark.parametrize(("provider", "resource", "recorded", "parse"), PAGE_PARSERS,
                         ids=[f"{provider}-{resource}-{index}"
                              for index, (provider, resource, _, _) in enumerate(PAGE_PARSERS)])
def test_any_provider_page_is_rows_or_one_line_naming_the_item(provider: str, resource: str, recorded: list[Any],
                                                               parse: Callable[[Any], list[Any]]) -> None:
    for page in recorded:
        _checked_rows(parse(copy.deepcopy(page)))  # the recorded page itself parses

    # 25 parsers: fewer examples each keeps the whole file to seconds; the mutations are small, so few suffice
    @settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.sampled_from(recorded).flatmap(mutated))
    def any_page(page: Any) -> None:
        try:
            rows = parse(page)
        except ProviderError as error:
            assert str(error).startswith(f"{provider} {resource}") and "\n" not in str(error), str(error)
            return
        _checked_rows(rows)

    any_page()


# minimal pages the properties above found; each was a KeyError, TypeError, AttributeError or ValueError
FOUND_BY_PROPERTIES: list[tuple[Callable[[], Any], str]] = [
    (lambda: github.parse_pull_request({"id": 1, "state": "open"}, REPO_ID, "acme/api", ORG),
     "github pull_requests: item id 1: field 'number' is missing"),
    (lambda: github.parse_pull_request({"id": 1, "number": 3, "state": "open", "user": "octocat"}, REPO_ID,
                                       "acme/api", ORG),
     "github pull_requests: item number 3: field 'user': expected an object, got text"),
    (lambda: github.listed_updated_at({"number": 4, "updated_at": 1700000000}),
     "github pull_requests: item number 4: field 'updated_at': expected a time as text, got a number"),
    (lambda: github.parse_issue({"id": 7, "number": 2, "labels": [{"color": "f00"}]}, REPO_ID, "acme/api", ORG,
                                "incident"),
     "github work_items: item number 2: field 'labels': a label without a name: {'color': 'f00'}"),
    (lambda: github.parse_deployment({"id": 5}, [{"state": "success", "created_at": "2024-13-01T00:00:00Z"}],
                                     REPO_ID, "acme/api", ORG),
     "github deployments: item id 5: status 1: field 'created_at': no such time '2024-13-01T00:00:00Z'"),
    (lambda: github.parse_deployment({"id": 5}, [None], REPO_ID, "acme/api", ORG),
     "github deployments: item id 5: status 1: expected an object, got null"),
    (lambda: github.parse_workflow_run("run", REPO_ID, ORG),
     "github ci_runs: item 'run': expected an object, got text"),
    (lambda: github.parse_release({"id": True}, REPO_ID, ORG), "github releases: item without an id: field 'id': "
                                                                "expected an id, got True"),
    (lambda: gitlab.parse_issue({"id": 9, "iid": 1, "weight": "heavy"}, REPO_ID, "acme/api", ORG),
     "gitlab work_items: item iid 1: field 'weight': expected a number, got 'heavy'"),
    (lambda: gitlab.parse_reviews([{"id": 1, "system": False, "author": ["bob"]}], {}, REPO_ID, 5, ORG),
     "gitlab pr_reviews: item id 1: field 'author': expected an object, got a list"),
    (lambda: gitlab.parse_merge_request({"id": 2, "iid": 6, "reviewers": ["bob"]}, REPO_ID, "acme/api", ORG),
     "gitlab pull_requests: item iid 6: field 'reviewers': expected a list of objects, got ['bob']"),
    (lambda: gitlab.parse_deployment({"id": 3, "status": "success", "updated_at": "2024-01-01T00:00:00+99:00"},
                                     REPO_ID, "acme/api", ORG),
     "gitlab deployments: item id 3: field 'updated_at': no such time '2024-01-01T00:00:00+99:00'"),
    (lambda: jira.parse_issue({"id": "10101", "key": "OPS-1", "fields": {"created": "2024-02-30T10:00:00.000+0000"}},
                              ORG, "customfield_10016"),
     "jira work_items: item key 'OPS-1': field 'created': no such time '2024-02-30T10:00:00.000+0000'"),
    (lambda: jira.parse_incident({"id": "10102", "key": "OPS-2", "fields": {"labels": "sev1"}}, ORG),
     "jira incidents: item key 'OPS-2': field 'labels': expected a list of text, got 'sev1'"),
    (lambda: _transitions([{"id": "7", "created": "2024-01-01T00:00:00.000+0000", "items": {"field": "status"}}]),
     "jira work_item_transitions of OPS-1: item id '7': field 'items': expected a list of objects, "
     "got {'field': 'status'}"),
    (lambda: jira.category_by_status_id([{"name": "Done"}]),
     "jira statuses: item without an id: field 'id' is missing"),
]


@pytest.mark.parametrize(("parse", "message"), FOUND_BY_PROPERTIES, ids=[m.split(":")[0] + f"-{i}" for i, (_, m) in
                                                                          enumerate(FOUND_BY_PROPERTIES)])
def test_a_malformed_provider_item_is_one_line_naming_resource_and_item(parse: Callable[[], Any],
                                                                        message: str) -> None:
    with pytest.raises(ProviderError) as raised:
        parse()
    assert str(raised.value) == message


def test_optional_fields_absent_or_null_still_give_a_row() -> None:
    # only the keys are required: a provider may leave out or null anything else
    assert github.parse_release({"id": 8}, REPO_ID, ORG)["published_at"] is None
    assert github.parse_review({"id": 9, "state": "PENDING"}, REPO_ID, 12, ORG) is None
    issue = gitlab.parse_issue({"id": 9, "iid": 1, "labels": None, "assignees": None, "weight": 3}, REPO_ID,
                               "acme/api", ORG)
    assert (issue["labels"], issue["status_category"], issue["story_points"]) == ("[]", "todo", 3.0)
    work_item = jira.parse_issue({"id": 10101, "fields": None}, ORG, "customfield_10016")
    assert (work_item["work_item_id"], work_item["status_category"], work_item["created_at"]) == ("10101", None, None)
