"""`--org` resolution, per-org credentials and sync-run records, on the session's pgserver."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine

from devhealth.errors import InputError, ProviderError
from devhealth.orgs import OrgRef, org_credential, recorded_sync, resolve_org
from devhealth.semantic_db import db
from devhealth.semantic_db.secret_keys import Keyring
from devhealth.semantic_db.services import credentials, organizations, sync_runs


@pytest.fixture
def engine(semantic_database: str) -> Engine:
    return db.get_engine(semantic_database)


def create_orgs(engine: Engine, *names: str) -> list[OrgRef]:
    with db.admin_session(engine) as session:
        return [OrgRef(id=str(info.id), name=info.name)
                for info in (organizations.get_or_create_organization(session, name) for name in names)]


def test_no_organization_says_how_to_create_one(engine: Engine) -> None:
    for name in (None, "acme"):
        with pytest.raises(InputError) as raised:
            resolve_org(name, engine)
        assert "devhealth admin create-org" in str(raised.value)
    assert "'acme': unknown organization" in str(raised.value)


def test_the_only_organization_is_the_default(engine: Engine) -> None:
    [acme] = create_orgs(engine, "Acme")
    assert resolve_org(None, engine) == acme == OrgRef(id=acme.id, name="Acme")
    assert acme.id.isdigit() and acme.semantic_id == int(acme.id)


def test_several_organizations_need_a_name(engine: Engine) -> None:
    acme, globex = create_orgs(engine, "Acme", "Globex")
    assert resolve_org("Globex", engine) == globex
    assert resolve_org("  Acme ", engine) == acme
    with pytest.raises(InputError) as raised:
        resolve_org(None, engine)
    assert str(raised.value) == "2 organizations exist; choose one with --org: Acme, Globex"
    with pytest.raises(InputError) as raised:
        resolve_org("Initech", engine)
    assert str(raised.value) == "--org 'Initech': unknown organization; choose one of Acme, Globex"


def test_a_credential_is_read_for_its_own_organization_only(engine: Engine, monkeypatch) -> None:
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("DEVHEALTH_SECRET_KEY", key)
    acme, globex = create_orgs(engine, "Acme", "Globex")
    with db.admin_session(engine) as session:
        credentials.set_credential(session, acme.semantic_id, "github", "ghp_acme_secret",
                                   keyring=Keyring((key.encode(),), "test"))
    assert org_credential(acme, "github", engine=engine) == "ghp_acme_secret"
    assert org_credential(globex, "github", engine=engine) is None
    assert org_credential(acme, "gitlab", engine=engine) is None


def test_a_sync_is_recorded_with_its_rows_or_its_error(engine: Engine) -> None:
    acme, globex = create_orgs(engine, "Acme", "Globex")
    with recorded_sync(acme, "github", "acme/api", engine=engine) as record:
        with db.org_session(acme.semantic_id, engine) as session:
            [running] = sync_runs.recent_sync_runs(session, acme.semantic_id)
        record.rows_loaded = 42
    assert running.status == "running" and running.id == record.run_id

    with pytest.raises(ProviderError), recorded_sync(acme, "github", "acme/web", engine=engine) as record:
        record.rows_loaded = 3
        raise ProviderError("github pull_requests: HTTP 401\n Bad credentials at https://bot:hunter2@ghe.example/x")
    with pytest.raises(RuntimeError), recorded_sync(acme, "jira", engine=engine):
        raise RuntimeError("token=hunter2 leaked by a library")

    with db.org_session(acme.semantic_id, engine) as session:
        runs = [(run.provider, run.scope, run.status, run.rows_loaded, run.error)
                for run in reversed(sync_runs.recent_sync_runs(session, acme.semantic_id))]
    assert runs == [
        ("github", "acme/api", "succeeded", 42, None),
        ("github", "acme/web", "failed", 3,
         "github pull_requests: HTTP 401 Bad credentials at https://bot:***@ghe.example/x"),
        # a foreign exception's text may hold a secret: only its type is kept
        ("jira", None, "failed", 0, "RuntimeError"),
    ]
    with db.org_session(globex.semantic_id, engine) as session:
        assert sync_runs.recent_sync_runs(session, globex.semantic_id) == []
