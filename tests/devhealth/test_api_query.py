"""The API's pure parts: the SQL a page compiles to binds every value, cursors round-trip and refuse
tampering, the rate limiter's sliding minute, the bearer header parsing."""

from __future__ import annotations

from datetime import date

import pytest

from devhealth.api.auth import RateLimiter, bearer_token
from devhealth.api.catalog import Column, Mart, build_catalog
from devhealth.api.query import PageRequest, decode_cursor, encode_cursor, page_query
from devhealth.api.resources import BY_MART, RESOURCES
from devhealth.errors import ConfigError, InputError

HOSTILE = "x' or 1=1 --"


def _mart(name: str, columns: list[tuple[str, str]]) -> Mart:
    return Mart(BY_MART[name], tuple(Column(n, t) for n, t in columns))


REPO_DAILY = _mart("repo_metrics_daily", [("org_id", "String"), ("repo_id", "String"), ("day", "Date"),
                                          ("commits_count", "UInt64"), ("avg_commit_size", "Nullable(Float64)")])
DEPLOYMENTS = _mart("fct_deployments", [("org_id", "String"), ("repo_id", "String"), ("provider", "String"),
                                        ("deployment_id", "String"), ("finished_at", "DateTime64(6, 'UTC')")])


def test_every_value_is_bound_and_the_org_always_filters() -> None:
    cursor = encode_cursor(REPO_DAILY, "asc", {"repo_id": HOSTILE, "day": date(2024, 1, 2)})
    sql, params, columns = page_query(REPO_DAILY, PageRequest(
        org_id=HOSTILE, team=HOSTILE, repo=HOSTILE, date_from=date(2024, 1, 1), date_to=date(2024, 2, 1),
        fields=("day",), limit=10, cursor=cursor))
    assert HOSTILE not in sql and "2024" not in sql
    assert sql.count("org_id = {p0:String}") == 2  # the mart and the team's repositories both
    assert list(params.values()).count(HOSTILE) == 4 and params["p3"] == "2024-01-01" and 11 in params.values()
    assert "((`repo_id` > {p5:String}) or (`repo_id` = {p5:String} and `day` > {p6:Date}))" in sql
    assert sql.endswith("order by `repo_id` asc, `day` asc limit {p7:UInt32}")
    # the grain is selected for the next cursor even when the fields leave it out
    assert columns == ("day",) and sql.startswith("select `day`, `repo_id` from `marts`.`repo_metrics_daily`")


def test_a_datetime_date_column_compares_its_utc_day_and_desc_pages_backwards() -> None:
    cursor = encode_cursor(DEPLOYMENTS, "desc", {"repo_id": "r", "provider": "github", "deployment_id": "9"})
    sql, _, _ = page_query(DEPLOYMENTS, PageRequest(org_id="1", date_to=date(2024, 1, 1), order="desc",
                                                    cursor=cursor))
    assert "toDate(`finished_at`, 'UTC') <= {p1:Date}" in sql and "`deployment_id` < {p4:String}" in sql
    assert "order by `repo_id` desc, `provider` desc, `deployment_id` desc" in sql


@pytest.mark.parametrize("cursor", [
    "garbage!", encode_cursor(DEPLOYMENTS, "asc", {"repo_id": "r", "provider": "p", "deployment_id": "1"}),
    encode_cursor(REPO_DAILY, "desc", {"repo_id": "r", "day": date(2024, 1, 1)}),
    encode_cursor(REPO_DAILY, "asc", {"repo_id": 5, "day": date(2024, 1, 1)}),
    encode_cursor(REPO_DAILY, "asc", {"repo_id": "r", "day": "not a day"}),
])
def test_a_cursor_from_elsewhere_or_tampered_is_refused(cursor: str) -> None:
    with pytest.raises(InputError, match="after: not a cursor this resource issued for order=asc"):
        decode_cursor(REPO_DAILY, "asc", cursor)


def test_unknown_fields_are_named() -> None:
    with pytest.raises(InputError, match="unknown field 'nope' on repo_metrics_daily"):
        page_query(REPO_DAILY, PageRequest(org_id="1", fields=("day", "nope")))


def test_the_catalog_refuses_unbuilt_marts_and_a_changed_grain() -> None:
    rows = [(r.mart, name, "String") for r in RESOURCES for name in ("org_id", *r.grain)]
    assert set(build_catalog(rows)) == {r.mart for r in RESOURCES}
    with pytest.raises(ConfigError, match="dim_people built yet in the warehouse"):
        build_catalog([row for row in rows if row[0] != "dim_people"])
    with pytest.raises(ConfigError, match="no mart built yet"):
        build_catalog([])
    with pytest.raises(ConfigError, match="mart dim_repos has no column repo_id"):
        build_catalog([row for row in rows if row[:2] != ("dim_repos", "repo_id")])


def test_the_rate_limit_is_a_sliding_minute_per_key() -> None:
    now = [1000.0]
    limiter = RateLimiter(clock=lambda: now[0])
    assert limiter.acquire(1, 2) is None
    now[0] += 10
    assert limiter.acquire(1, 2) is None
    now[0] += 20
    assert limiter.acquire(1, 2) == pytest.approx(30.0)  # the first request leaves the window in 30 s
    assert limiter.acquire(2, 2) is None  # another key has its own budget
    now[0] += 30
    assert limiter.acquire(1, 2) is None  # the first has left the window; the refused one never counted
    assert limiter.acquire(1, 2) == pytest.approx(10.0)  # the second leaves it in 10 s


@pytest.mark.parametrize(("header", "token"), [
    (None, ""), ("  ", ""), ("Bearer dh_ab_cd", "dh_ab_cd"), ("bearer  dh_ab_cd ", "dh_ab_cd"),
    ("Basic abc", None), ("Bearer", None), ("Bearer a b", None),
])
def test_bearer_header(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token
