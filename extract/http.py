"""The HTTP layer every REST source shares: dlt's RESTClient on a session that retries politely.

Retries follow the provider's own rate-limit headers (`Retry-After`, GitHub's `X-RateLimit-*`,
GitLab's `RateLimit-*`), else a bounded exponential backoff with full jitter; 401/403/404 and
exhausted retries become one-line `ProviderError`s that name provider, resource and status.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

from dlt.sources.helpers.requests.retry import Client
from dlt.sources.helpers.requests.session import Session
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.paginators import BasePaginator
from requests import PreparedRequest, Response
from requests.auth import AuthBase
from requests.exceptions import ChunkedEncodingError, ConnectionError, HTTPError, Timeout
from requests.exceptions import JSONDecodeError as ResponseJSONError
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    retry_if_exception_type,
    retry_if_result,
    stop_after_attempt,
)

from devhealth.errors import ConfigError, ProviderError

RETRIED_EXCEPTIONS = (ConnectionError, Timeout, ChunkedEncodingError)
MALFORMED_BODY = (json.JSONDecodeError, ResponseJSONError)
RATE_LIMIT_PREFIXES = ("x-ratelimit-", "ratelimit-")
# GitHub's wording for both its primary ("API rate limit exceeded") and secondary limits
RATE_LIMIT_MESSAGE = "rate limit"
STATUS_HINTS = {
    401: "the token was rejected; check it is set and not expired",
    403: "the token lacks permission for this resource",
    404: "not found; check the repository, project or site name",
}


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait; tests shrink `backoff_base` so faults replay in milliseconds."""

    max_attempts: int = 6
    backoff_base: float = 1.0
    max_delay: float = 60.0
    timeout: float = 60.0

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> RetryPolicy:
        """`DEVHEALTH_HTTP_MAX_ATTEMPTS`, `_BACKOFF_BASE` and `_MAX_DELAY` override the defaults."""
        environ = os.environ if environ is None else environ
        names = {"max_attempts": "DEVHEALTH_HTTP_MAX_ATTEMPTS", "backoff_base": "DEVHEALTH_HTTP_BACKOFF_BASE",
                 "max_delay": "DEVHEALTH_HTTP_MAX_DELAY"}
        values: dict[str, Any] = {}
        for field, variable in names.items():
            raw = environ.get(variable, "").strip()
            if not raw:
                continue
            try:
                values[field] = int(raw) if field == "max_attempts" else float(raw)
            except ValueError:
                raise ConfigError(f"{variable}={raw!r}: not a number") from None
        return cls(**values)


def _header_seconds(value: str | None, now: float) -> float | None:
    """Seconds to wait from a `Retry-After` value: delta seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return parsedate_to_datetime(value).timestamp() - now
    except (TypeError, ValueError):
        return None


def rate_limit_wait(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds the provider asked us to wait, or None when its headers ask for nothing.

    GitHub sends `X-RateLimit-Reset` and GitLab `RateLimit-Reset` as epoch seconds, both only
    binding once `*-Remaining` reaches 0.
    """
    headers = _lower_case(headers)
    retry_after = _header_seconds(headers.get("retry-after"), now)
    if retry_after is not None:
        return max(retry_after, 0.0)
    for prefix in RATE_LIMIT_PREFIXES:
        remaining, reset = headers.get(prefix + "remaining"), headers.get(prefix + "reset")
        if remaining is not None and remaining.strip() == "0" and reset and reset.strip().isdigit():
            return max(float(reset) - now, 0.0)
    return None


def _lower_case(headers: Mapping[str, str]) -> dict[str, str]:
    # header names are case-insensitive and arrive as the server spells them (gitlab.com: all lower case);
    # a plain dict copy of requests' CaseInsensitiveDict would keep that spelling, so fold every name here
    return {name.lower(): value for name, value in headers.items()}


def quota_spent(headers: Mapping[str, str]) -> bool:
    """`*-Remaining: 0`, in either provider's spelling."""
    headers = _lower_case(headers)
    return any((headers.get(prefix + "remaining") or "").strip() == "0" for prefix in RATE_LIMIT_PREFIXES)


def quota_pause(headers: Mapping[str, str], now: float) -> float | None:
    """After a successful response that spent the last of the quota, how long until it refills."""
    return rate_limit_wait({name: value for name, value in headers.items() if name.lower() != "retry-after"}, now)


def backoff_seconds(attempt: int, policy: RetryPolicy, draw: Callable[[float, float], float] = random.uniform) -> float:
    """Full-jitter exponential backoff: uniform in [0, base * 2**(attempt-1)], capped at `max_delay`."""
    ceiling = min(policy.max_delay, policy.backoff_base * 2 ** max(attempt - 1, 0))
    return draw(0.0, ceiling)


def is_rate_limited(response: Response) -> bool:
    """GitHub answers an exhausted rate limit with 403, not 429: a reset time, a spent quota or a body that
    says so (a secondary limit, or a proxy that drops the reset header) tell it from a missing permission."""
    if response.status_code == 429:
        return True
    if response.status_code != 403:
        return False
    if rate_limit_wait(response.headers, time.time()) is not None or quota_spent(response.headers):
        return True
    return RATE_LIMIT_MESSAGE in response.text[:2000].lower()


def has_malformed_json(response: Response) -> bool:
    """A 2xx JSON body that does not parse was most likely cut off in transit, so it is worth retrying."""
    if not 200 <= response.status_code < 300 or not response.content:
        return False
    if "json" not in response.headers.get("Content-Type", "json"):
        return False
    try:
        json.loads(response.content)
    except ValueError:
        return True
    return False


def should_retry(response: Response) -> bool:
    return response.status_code >= 500 or is_rate_limited(response) or has_malformed_json(response)


def _failed_response(error: BaseException) -> Response | None:
    """RESTClient raises from a response hook inside `send`, so a bad status arrives as an HTTPError."""
    return error.response if isinstance(error, HTTPError) else None


def should_retry_error(error: BaseException) -> bool:
    response = _failed_response(error)
    return response is not None and should_retry(response)


class PoliteClient(Client):
    """dlt's retrying requests client, with rate-limit aware waits and jittered backoff."""

    def __init__(self, policy: RetryPolicy) -> None:
        super().__init__(raise_for_status=False, request_timeout=policy.timeout,
                         request_max_attempts=policy.max_attempts)
        self.policy = policy

    def _wait(self, state: RetryCallState) -> float:
        outcome = state.outcome
        if outcome is not None:
            response = _failed_response(outcome.exception()) if outcome.failed else outcome.result()
            asked = rate_limit_wait(response.headers, time.time()) if response is not None else None
            if asked is not None:
                return min(asked, self.policy.max_delay)
        return backoff_seconds(state.attempt_number, self.policy)

    def _make_session(self) -> Session:
        session = Session(timeout=self.policy.timeout, raise_for_status=False)
        session.mount("http://", self._adapter)
        session.mount("https://", self._adapter)
        retrying = Retrying(
            wait=self._wait,
            retry=(retry_if_exception_type(RETRIED_EXCEPTIONS) | retry_if_exception(should_retry_error)
                   | retry_if_result(should_retry)),
            stop=stop_after_attempt(self.policy.max_attempts),
            reraise=True,
            retry_error_callback=lambda state: state.outcome.result() if state.outcome else None,
        )
        retried_send = retrying.wraps(session.send)
        max_delay = self.policy.max_delay

        def send(request: PreparedRequest, **kwargs: Any) -> Response:
            response = retried_send(request, **kwargs)
            # the quota is spent: wait for it to refill now rather than earn a 403/429 on the next call
            pause = quota_pause(response.headers, time.time()) if response is not None else None
            if pause:
                time.sleep(min(pause, max_delay))
            return response

        session.send = send  # type: ignore[method-assign]
        return session


class TokenAuth(AuthBase):
    """Sets one authorization header; its repr never shows the secret (dlt and tracebacks print reprs)."""

    def __init__(self, header: str, value: str) -> None:
        self._header, self._value = header, value

    def __call__(self, request: PreparedRequest) -> PreparedRequest:
        request.headers[self._header] = self._value
        return request

    def __repr__(self) -> str:
        return f"TokenAuth({self._header}: ***)"


def make_client(base_url: str, auth: AuthBase | None, policy: RetryPolicy | None = None,
                paginator: BasePaginator | None = None, headers: dict[str, str] | None = None) -> RESTClient:
    """A RESTClient on the polite retrying session."""
    session = PoliteClient(policy or RetryPolicy.from_environment()).session
    return RESTClient(base_url=base_url.rstrip("/"), auth=auth, paginator=paginator, session=session,
                      headers=headers)


def _redact(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


@dataclass(frozen=True)
class Endpoint:
    """Names what is being read, so every failure says which provider, resource and path."""

    provider: str
    resource: str
    secrets: tuple[str, ...] = ()

    def error(self, path: str, detail: str) -> ProviderError:
        return ProviderError(_redact(f"{self.provider} {self.resource} ({path}): {detail}", self.secrets))

    def http_error(self, path: str, response: Response | None) -> ProviderError:
        if response is None:
            return self.error(path, "no response")
        status = response.status_code
        reason = response.reason.decode() if isinstance(response.reason, bytes) else response.reason
        if is_rate_limited(response):
            hint = "rate limit still exhausted after retries"
        elif status >= 500:
            hint = "server error persisted after retries"
        else:
            hint = STATUS_HINTS.get(status, "request rejected")
        return self.error(path, f"HTTP {status} {reason or ''}".rstrip() + f": {hint}")

    def pages(self, client: RESTClient, path: str, **kwargs: Any) -> Iterator[list[Any]]:
        """Every page of `path`, read to the last one; faults become `ProviderError`."""
        try:
            yield from client.paginate(path, **kwargs)
        except HTTPError as error:
            raise self.http_error(path, error.response) from None
        except MALFORMED_BODY as error:
            # a JSON body still cut off after every retry
            raise self.error(path, f"malformed JSON body ({type(error).__name__})") from None
        except RETRIED_EXCEPTIONS as error:
            raise self.error(path, f"connection failed after retries ({type(error).__name__})") from None

    def get_json(self, client: RESTClient, path: str, **kwargs: Any) -> Any:
        """One non-paginated GET."""
        try:
            response = client.get(path, **kwargs)
        except RETRIED_EXCEPTIONS as error:
            raise self.error(path, f"connection failed after retries ({type(error).__name__})") from None
        if response.status_code >= 400:
            raise self.http_error(path, response)
        try:
            return response.json()
        except MALFORMED_BODY as error:
            raise self.error(path, f"malformed JSON body ({type(error).__name__})") from None
