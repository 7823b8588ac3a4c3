"""The HTTP layer every REST source shares: dlt's RESTClient on dlt's retrying session, plus what dlt lacks.

dlt retries 429, 5xx and dropped connections with exponential backoff, honours `Retry-After` and reads its
settings from `[runtime]` (`RUNTIME__REQUEST_MAX_ATTEMPTS`, `_BACKOFF_FACTOR`, `_MAX_RETRY_DELAY`, `_TIMEOUT`).
Added here: GitHub's rate-limit 403s, waiting for the `*RateLimit-Reset` refill, pausing once the quota is
spent, retrying JSON bodies cut off in transit, and one-line `ProviderError`s naming provider and resource.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from dlt.sources.helpers.requests.retry import Client, _get_retry_response, wait_exponential_retry_after
from dlt.sources.helpers.requests.session import Session
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.paginators import BasePaginator
from requests import PreparedRequest, Response
from requests.auth import AuthBase
from requests.exceptions import ChunkedEncodingError, ConnectionError, HTTPError, Timeout
from requests.exceptions import JSONDecodeError as ResponseJSONError
from requests.structures import CaseInsensitiveDict
from tenacity import RetryCallState

from devhealth.errors import ProviderError, dlt_setting_error

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


def quota_reset(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds until a spent quota refills, or None while some is left or no reset time is given.

    GitHub sends `X-RateLimit-Reset` and GitLab `RateLimit-Reset` as epoch seconds, in any letter case.
    """
    headers = CaseInsensitiveDict(headers)
    for prefix in RATE_LIMIT_PREFIXES:
        remaining, reset = headers.get(prefix + "remaining"), headers.get(prefix + "reset")
        if remaining is not None and remaining.strip() == "0" and reset and reset.strip().isdigit():
            return max(float(reset) - now, 0.0)
    return None


def is_rate_limited(response: Response) -> bool:
    """GitHub answers an exhausted rate limit with 403, not 429: a spent quota or a body that says so
    (a secondary limit, or a proxy that drops the reset header) tell it from a missing permission."""
    if response.status_code == 429:
        return True
    if response.status_code != 403:
        return False
    headers = response.headers
    if headers.get("retry-after") or any((headers.get(prefix + "remaining") or "").strip() == "0"
                                         for prefix in RATE_LIMIT_PREFIXES):
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


def should_retry(response: Response | None, error: BaseException | None) -> bool:
    """Retries on top of dlt's 429/5xx/connection ones; a predicate in dlt's `retry_condition` form."""
    return response is not None and (is_rate_limited(response) or has_malformed_json(response))


class RateLimitWait(wait_exponential_retry_after):
    """dlt's wait, which honours only `Retry-After`, also waiting for `*RateLimit-Reset` (capped at the maximum)."""

    def _get_retry_after(self, retry_state: RetryCallState) -> float | None:
        asked = super()._get_retry_after(retry_state)
        response = _get_retry_response(retry_state)
        if asked is None and response is not None:
            reset = quota_reset(response.headers, time.time())
            asked = None if reset is None else min(reset, self.max)
        return asked


class ProviderClient(Client):
    """dlt's retrying requests client with the provider rate-limit handling above."""

    def _make_session(self) -> Session:
        session = super()._make_session()
        dlt_wait = session.send.retry.wait  # type: ignore[attr-defined]
        retried_send = session.send.retry_with(  # type: ignore[attr-defined]
            wait=RateLimitWait(multiplier=dlt_wait.multiplier, max=dlt_wait.max))

        def send(request: PreparedRequest, **kwargs: Any) -> Response:
            response = retried_send(request, **kwargs)
            # the quota is spent: wait for it to refill now rather than earn a 403/429 on the next call
            pause = quota_reset(response.headers, time.time()) if response.ok else None
            if pause:
                time.sleep(min(pause, dlt_wait.max))
            return response

        session.send = send  # type: ignore[method-assign]
        return session


def make_client(base_url: str, auth: AuthBase | None, paginator: BasePaginator | None = None,
                headers: dict[str, str] | None = None) -> RESTClient:
    """A RESTClient on the rate-limit aware retrying session, tuned by dlt's `[runtime] request_*` settings."""
    try:
        session = ProviderClient(raise_for_status=False, retry_condition=should_retry).session
    except ValueError as error:
        raise (dlt_setting_error(error, "runtime") or error) from None
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
