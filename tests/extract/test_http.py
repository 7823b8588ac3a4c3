"""The shared HTTP layer's pure parts: rate-limit waits, jittered backoff, tokens, cursors, settings."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from devhealth.errors import ConfigError
from devhealth.extract.batching import batched, parse_since
from devhealth.extract.credentials import resolve_token
from devhealth.extract.github.helpers import check_repo_name
from devhealth.extract.http import RetryPolicy, TokenAuth, backoff_seconds, rate_limit_wait
from devhealth.extract.rows import utc
from devhealth.settings import batch_size, max_workers

NOW = 1_700_000_000.0


@pytest.mark.parametrize(("headers", "wait"), [
    ({"Retry-After": "7"}, 7.0),
    ({"Retry-After": "Tue, 14 Nov 2023 22:13:30 GMT"}, 10.0),
    ({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(NOW) + 42)}, 42.0),
    ({"RateLimit-Remaining": "0", "RateLimit-Reset": str(int(NOW) + 5)}, 5.0),
    ({"X-RateLimit-Remaining": "12", "X-RateLimit-Reset": str(int(NOW) + 42)}, None),
    ({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(NOW) - 3)}, 0.0),
    ({}, None),
])
def test_rate_limit_wait_reads_each_providers_headers(headers: dict[str, str], wait: float | None) -> None:
    assert rate_limit_wait(headers, NOW) == wait


def test_backoff_is_exponential_jittered_and_capped() -> None:
    policy = RetryPolicy(backoff_base=1.0, max_delay=10.0)
    ceilings = []
    backoff_seconds(1, policy, lambda low, high: ceilings.append(high) or high)
    for attempt in (2, 3, 4, 5, 9):
        backoff_seconds(attempt, policy, lambda low, high: ceilings.append(high) or high)
    assert ceilings == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    draws = {backoff_seconds(3, policy) for _ in range(20)}
    assert len(draws) > 1 and all(0 <= draw <= 4.0 for draw in draws)


def test_retry_policy_from_environment_rejects_garbage() -> None:
    assert RetryPolicy.from_environment({"DEVHEALTH_HTTP_BACKOFF_BASE": "0.5"}).backoff_base == 0.5
    with pytest.raises(ConfigError, match="DEVHEALTH_HTTP_MAX_ATTEMPTS='many'"):
        RetryPolicy.from_environment({"DEVHEALTH_HTTP_MAX_ATTEMPTS": "many"})


def test_token_auth_never_shows_the_secret() -> None:
    auth = TokenAuth("Authorization", "Bearer s3cr3t-value")
    assert "s3cr3t" not in repr(auth) and "s3cr3t" not in str(auth)


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


def test_workers_and_batch_size_come_from_the_environment() -> None:
    assert max_workers({"MAX_WORKERS": "3"}) == 3 and max_workers({}) == 5
    assert batch_size({"BATCH_SIZE": "250"}) == 250
    with pytest.raises(ConfigError, match="BATCH_SIZE='0'"):
        batch_size({"BATCH_SIZE": "0"})


def test_repository_names_are_checked() -> None:
    assert check_repo_name("acme/api.git") == "acme/api"
    with pytest.raises(ConfigError, match="github repository 'acme': expected owner/name"):
        check_repo_name("acme")


def test_a_spent_quota_pauses_before_the_next_call(replay, monkeypatch) -> None:
    from devhealth.extract import http

    pauses: list[float] = []
    monkeypatch.setattr(http.time, "sleep", pauses.append)
    reset = str(int(http.time.time()) + 30)
    replay.add("/spent", [1], headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset})
    replay.add("/plenty", [2], headers={"X-RateLimit-Remaining": "4999", "X-RateLimit-Reset": reset})
    client = http.make_client(replay.base, None, RetryPolicy(max_attempts=2, backoff_base=0.001, max_delay=5.0))

    assert client.get("/plenty").json() == [2] and pauses == []
    assert client.get("/spent").json() == [1]
    assert pauses == [5.0]  # capped at max_delay


@pytest.mark.parametrize("headers", [
    {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "RESET"},  # api.github.com as recorded
    {"ratelimit-remaining": "0", "ratelimit-reset": "RESET"},  # gitlab.com
    {"RateLimit-Remaining": "0", "RateLimit-Reset": "RESET"},
])
def test_a_spent_quota_in_any_spelling_pauses(replay, monkeypatch, headers: dict[str, str]) -> None:
    from devhealth.extract import http

    pauses: list[float] = []
    monkeypatch.setattr(http.time, "sleep", pauses.append)
    reset = str(int(http.time.time()) + 30)
    replay.add("/spent", [1], headers={name: value.replace("RESET", reset) for name, value in headers.items()})
    client = http.make_client(replay.base, None, RetryPolicy(max_attempts=2, backoff_base=0.001, max_delay=5.0))
    assert client.get("/spent").json() == [1]
    assert pauses == [5.0]
    assert rate_limit_wait({name: value.replace("RESET", str(int(NOW) + 7)) for name, value in headers.items()},
                           NOW) == 7.0
