"""The API's key checks with accepted keys remembered in memory, on the session's pgserver: a remembered key
costs no database statement, yet a revocation is refused once the bound has passed, expiry at once, a wrong
secret under a known prefix still goes to the database (and its audit), and remembered uses reach
last_used_at in one batch. The clocks are the test's own, so nothing waits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select, update

from devhealth.api.auth import Authenticator, Denied


class Clocks:
    """The authenticator's monotonic clock and wall clock, moved by hand."""

    def __init__(self) -> None:
        self.seconds = 1000.0
        self.wall = datetime.now(UTC)

    def advance(self, seconds: float) -> None:
        self.seconds += seconds
        self.wall += timedelta(seconds=seconds)


@pytest.fixture(scope="module")
def semantic(module_semantic_database: str) -> Any:
    from devhealth.semantic_db import db
    from devhealth.semantic_db.services import organizations

    engine = db.get_engine(module_semantic_database)
    with db.admin_session(engine) as session:
        org = organizations.get_or_create_organization(session, "Acme")
    return {"engine": engine, "org_id": org.id}


@pytest.fixture
def statements(semantic: Any) -> Iterator[list[str]]:
    """Every statement the engine sends, from here on."""
    sent: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    event.listen(semantic["engine"], "before_cursor_execute", note)
    yield sent
    event.remove(semantic["engine"], "before_cursor_execute", note)


def _key(semantic: Any, name: str, **options: Any) -> str:
    from devhealth.semantic_db import db
    from devhealth.semantic_db.services import api_keys

    with db.admin_session(semantic["engine"]) as session:
        return api_keys.create_api_key(session, semantic["org_id"], name, ["metrics:read"], **options).key


def _bearer(key: str) -> str:
    return f"Bearer {key}"


def _denials(semantic: Any, prefix: str) -> list[str]:
    from devhealth.semantic_db import db
    from devhealth.semantic_db.models import AuditLog

    with db.admin_session(semantic["engine"]) as session:
        rows = session.scalars(select(AuditLog).where(AuditLog.action == "api_key.denied",
                                                      AuditLog.target == prefix).order_by(AuditLog.id))
        return [row.details["reason"] for row in rows]


def _authenticator(semantic: Any, clocks: Clocks, cache_seconds: float = 5.0) -> Authenticator:
    return Authenticator(semantic["engine"], cache_seconds=cache_seconds, clock=lambda: clocks.seconds,
                         now=lambda: clocks.wall)


def test_a_remembered_key_costs_no_statement_and_its_revocation_is_refused_once_the_bound_passes(
        semantic, statements) -> None:
    from devhealth.semantic_db import db
    from devhealth.semantic_db.services import api_keys

    clocks = Clocks()
    auth = _authenticator(semantic, clocks)
    key = _key(semantic, "portal")
    prefix = key.split("_")[1]
    assert auth.authenticate(_bearer(key), "/v1/dim_repos").org_id == str(semantic["org_id"])
    with db.admin_session(semantic["engine"]) as session:
        api_keys.revoke_api_key(session, prefix)
    statements.clear()
    clocks.advance(4.9)
    # within the bound the key is taken on trust: no statement at all
    assert auth.authenticate(_bearer(key), "/v1/dim_repos").prefix == prefix
    assert statements == []
    clocks.advance(0.2)
    with pytest.raises(Denied) as refused:
        auth.authenticate(_bearer(key), "/v1/dim_repos")
    assert refused.value.status == 401 and refused.value.message == f"API key {prefix} is revoked"
    assert _denials(semantic, prefix) == ["revoked"]
    # and it stays refused: a denial is never remembered as an acceptance
    with pytest.raises(Denied):
        auth.authenticate(_bearer(key), "/v1/dim_repos")


def test_with_no_cache_a_revocation_is_refused_at_once(semantic) -> None:
    from devhealth.semantic_db import db
    from devhealth.semantic_db.services import api_keys

    auth = _authenticator(semantic, Clocks(), cache_seconds=0)
    key = _key(semantic, "script")
    auth.authenticate(_bearer(key), "/graphql")
    with db.admin_session(semantic["engine"]) as session:
        api_keys.revoke_api_key(session, key.split("_")[1])
    with pytest.raises(Denied, match="is revoked"):
        auth.authenticate(_bearer(key), "/graphql")


def test_a_wrong_secret_under_a_remembered_prefix_is_refused_by_the_database_and_audited(semantic) -> None:
    clocks = Clocks()
    auth = _authenticator(semantic, clocks)
    key = _key(semantic, "dashboard")
    prefix = key.split("_")[1]
    auth.authenticate(_bearer(key), "/v1/dim_teams")
    forged = f"dh_{prefix}_{'x' * 43}"
    with pytest.raises(Denied) as refused:
        auth.authenticate(_bearer(forged), "/v1/dim_teams")
    assert refused.value.status == 401 and refused.value.message == "invalid API key"
    # the refusal names no key: an unknown secret is audited without a prefix; the real key still reads
    assert auth.authenticate(_bearer(key), "/v1/dim_teams").prefix == prefix
    assert forged.split("_", 2)[2] not in str(refused.value)


def test_a_remembered_key_that_expires_is_refused_at_once(semantic) -> None:
    from devhealth.semantic_db import db
    from devhealth.semantic_db.models import ApiKey

    clocks = Clocks()
    auth = _authenticator(semantic, clocks)
    key = _key(semantic, "temporary", expires_in_days=1)
    prefix = key.split("_")[1]
    auth.authenticate(_bearer(key), "/v1/dim_people")
    # a day passes, on the wall clock only: the cache's bound has not, the key's expiry has
    with db.admin_session(semantic["engine"]) as session:
        session.execute(update(ApiKey).where(ApiKey.prefix == prefix)
                        .values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    clocks.wall += timedelta(days=1, minutes=1)
    with pytest.raises(Denied, match=f"API key {prefix} has expired"):
        auth.authenticate(_bearer(key), "/v1/dim_people")
    assert _denials(semantic, prefix) == ["expired"]


def test_uses_of_a_remembered_key_reach_last_used_at_in_one_batch(semantic, statements) -> None:
    from devhealth.semantic_db import db
    from devhealth.semantic_db.models import ApiKey

    clocks = Clocks()
    auth = _authenticator(semantic, clocks)
    key, other = _key(semantic, "batched"), _key(semantic, "batched too")
    for each in (key, other):
        auth.authenticate(_bearer(each), "/v1/dim_repos")
    with db.admin_session(semantic["engine"]) as session:
        session.execute(update(ApiKey).where(ApiKey.prefix.in_([key.split("_")[1], other.split("_")[1]]))
                        .values(last_used_at=None))
    clocks.advance(1)
    auth.authenticate(_bearer(key), "/v1/dim_repos")
    auth.authenticate(_bearer(other), "/v1/dim_repos")
    clocks.advance(2)
    auth.authenticate(_bearer(key), "/v1/dim_repos")
    statements.clear()
    assert auth.flush_usage() == 2
    assert sum("update api_keys" in statement for statement in statements) == 1
    with db.admin_session(semantic["engine"]) as session:
        used = dict(session.execute(select(ApiKey.prefix, ApiKey.last_used_at)
                                    .where(ApiKey.prefix.in_([key.split("_")[1], other.split("_")[1]]))).all())
    assert used == {key.split("_")[1]: clocks.wall, other.split("_")[1]: clocks.wall - timedelta(seconds=2)}
    assert auth.flush_usage() == 0
