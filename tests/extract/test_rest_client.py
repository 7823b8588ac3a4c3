"""The shared HTTP layer: rate-limit waits, the quota pause, auth, tokens, cursors, settings."""

from __future__ import annotations

from datetime import UTC, datetime

import dlt
import pytest
from dlt.sources.helpers.rest_client.auth import BearerTokenAuth
from requests import Response
from requests.structures import CaseInsensitiveDict
from tenacity import RetryCallState, Retrying

from devhealth.errors import ConfigError
from devhealth.extract import rest_client
from devhealth.extract.batching import batched, parse_since
from devhealth.extract.credentials import resolve_token
from devhealth.extract.github.helpers import check_repo_name
from devhealth.extract.jira import jira_auth
from devhealth.extract.rest_client import RateLimitWait, quota_reset
from devhealth.extract.rows import utc
from devhealth.pipelines import load
from devhealth.settings import batch_size

NOW = 1_700_000_000.0


@pytest.mark.parametrize(("headers", "wait"), [
    ({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(NOW) + 42)}, 42.0),
    ({"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 42)}, 42.0),
    ({"RateLimit-Remaining": "0", "RateLimit-Reset": str(int(NOW) + 5)}, 5.0),
    ({"ratelimit-remaining": "0", "ratelimit-reset": str(int(NOW) + 5)}, 5.0),
    ({"X-RateLimit-Remaining": "12", "X-RateLimit-Reset": str(int(NOW) + 42)}, None),
    ({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(NOW) - 3)}, 0.0),
    ({"X-RateLimit-Remaining": "0"}, None),
    ({}, None),
])
def test_quota_reset_reads_each_providers_headers(headers: dict[str, str], wait: float | None) -> None:
    assert quota_reset(headers, NOW) == wait


def _failed_attempt(attempt: int, status: int, headers: dict[str, str]) -> RetryCallState:
    response = Response()
    response.status_code, response.headers = status, CaseInsensitiveDict(headers)
    state = RetryCallState(Retrying(), None, (), {})
    state.attempt_number = attempt
    state.set_result(response)
    return state


def test_retries_wait_for_retry_after_or_the_quota_reset_else_back_off(monkeypatch) -> None:
    monkeypatch.setattr(rest_client.time, "time", lambda: NOW)
    wait = RateLimitWait(multiplier=1.0, max=60.0)
    assert wait(_failed_attempt(1, 429, {"Retry-After": "7"})) == 7.0
    assert wait(_failed_attempt(1, 403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 42)})) == 42
    assert wait(_failed_attempt(1, 429, {"RateLimit-Remaining": "0", "RateLimit-Reset": str(int(NOW) + 900)})) == 60
    # GitHub's 403 "rate limit exceeded" with no reset header: dlt's exponential backoff, capped
    assert [wait(_failed_attempt(n, 403, {"x-ratelimit-remaining": "0"})) for n in (1, 2, 3, 7, 9)] == [
        1, 2, 4, 60, 60]


def test_auth_never_shows_the_secret() -> None:
    for auth in (jira_auth("s3cr3t-value", "bot@acme.io"), jira_auth("s3cr3t-value", None),
                 BearerTokenAuth("s3cr3t-value")):
        assert "s3cr3t" not in repr(auth) and "s3cr3t" not in str(auth)


def test_a_bad_dlt_setting_is_one_line_naming_the_variable(monkeypatch, dataset_name) -> None:
    monkeypatch.setenv("RUNTIME__REQUEST_MAX_ATTEMPTS", "many")
    with pytest.raises(ConfigError, match=r"^RUNTIME__REQUEST_MAX_ATTEMPTS='many': expected int "
                                          r"\(dlt's runtime\.request_max_attempts\)$"):
        rest_client.make_client("https://api.github.com", None)
    monkeypatch.delenv("RUNTIME__REQUEST_MAX_ATTEMPTS")
    monkeypatch.setenv("EXTRACT__WORKERS", "lots")
    with pytest.raises(ConfigError, match=r"^EXTRACT__WORKERS='lots': expected int \(dlt's extract\.workers\)$"):
        load(dlt.resource([{"n": 1}], name="rows"), pipeline_name=dataset_name, dataset_name=dataset_name)


def test_missing_token_names_where_to_set_it() -> None:
    assert resolve_token("github", None, ("GITHUB_TOKEN",), {"GITHUB_TOKEN": " abc "}) == "abc"
    with pytest.raises(ConfigError, match=r"no access token; set GITHUB_TOKEN or sources\.github\.access_token"):
        resolve_token("github", None, ("GITHUB_TOKEN",), {})


def test_times_from_every_provider_become_utc() -> None:
    expected = datetime(2024, 5, 1, 7, 0, tzinfo=UTC)
    assert utc("2024-05-01T09:00:00.000+0200") == expected  # Jira
    assert utc("2024-05-01T07:00:00Z") == expected  # GitHub
    assert utc("2024-05-01T07:00:00.000Z") == expected  # GitLab
    assert utc(None) is None
    assert parse_since("2024-05-01") == datetime(2024, 5, 1, tzinfo=UTC)
    with pytest.raises(ConfigError, match="--since 'last week'"):
        parse_since("last week")


def test_batches_honour_the_size() -> None:
    assert [len(batch) for batch in batched(range(7), 3)] == [3, 3, 1]


def test_batch_size_comes_from_the_environment() -> None:
    assert batch_size({"BATCH_SIZE": "250"}) == 250
    with pytest.raises(ConfigError, match="BATCH_SIZE='0'"):
        batch_size({"BATCH_SIZE": "0"})


def test_repository_names_are_checked() -> None:
    assert check_repo_name("acme/api.git") == "acme/api"
    with pytest.raises(ConfigError, match="github repository 'acme': expected owner/name"):
        check_repo_name("acme")


def test_a_spent_quota_pauses_before_the_next_call(replay, fast_retries, monkeypatch) -> None:
    pauses: list[float] = []
    monkeypatch.setattr(rest_client.time, "sleep", pauses.append)
    reset = str(int(rest_client.time.time()) + 30)
    replay.add("/spent", [1], headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset})
    replay.add("/plenty", [2], headers={"X-RateLimit-Remaining": "4999", "X-RateLimit-Reset": reset})
    client = rest_client.make_client(replay.base, None)

    assert client.get("/plenty").json() == [2] and pauses == []
    assert client.get("/spent").json() == [1]
    assert pauses == [0.05]  # capped at RUNTIME__REQUEST_MAX_RETRY_DELAY


@pytest.mark.parametrize("headers", [
    {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "RESET"},  # api.github.com as recorded
    {"ratelimit-remaining": "0", "ratelimit-reset": "RESET"},  # gitlab.com
    {"RateLimit-Remaining": "0", "RateLimit-Reset": "RESET"},
])
def test_a_spent_quota_in_any_spelling_pauses(replay, fast_retries, monkeypatch, headers: dict[str, str]) -> None:
    pauses: list[float] = []
    monkeypatch.setattr(rest_client.time, "sleep", pauses.append)
    reset = str(int(rest_client.time.time()) + 30)
    replay.add("/spent", [1], headers={name: value.replace("RESET", reset) for name, value in headers.items()})
    client = rest_client.make_client(replay.base, None)
    assert client.get("/spent").json() == [1]
    assert pauses == [0.05]
    assert quota_reset({name: value.replace("RESET", str(int(NOW) + 7)) for name, value in headers.items()},
                       NOW) == 7.0
