"""Which organization a sync or a run works for, its provider credentials, and the record of each sync.

Every command that writes raw rows calls `resolve_org` once, stamps `OrgRef.id` on every row, and
wraps each load in `recorded_sync` so the semantic layer keeps a `sync_runs` row per sync.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sqlalchemy import Engine

from devhealth import locks
from devhealth.errors import DevhealthError, InputError, one_line

CREATE_ORG_HINT = ("run `devhealth init --org NAME --email EMAIL` on a fresh home, or "
                   "`devhealth admin create-org --name NAME --owner-email EMAIL`")


@dataclass(frozen=True)
class OrgRef:
    """An organization as the warehouse knows it: `id` is the text every raw row carries in `org_id`."""

    id: str
    name: str

    @property
    def semantic_id(self) -> int:
        """The semantic layer's integer key, for its services and `org_session`."""
        return int(self.id)


def org_key(org_id: int) -> str:
    """The raw tables' `org_id` for a semantic organization id: text, so every source shares one column type."""
    return str(org_id)


def semantic_engine() -> Engine:
    """The semantic database, refusing one that is not at the latest migration."""
    from devhealth.semantic_db import migrate

    return migrate.current_engine()


def resolve_org(name: str | None, engine: Engine | None = None) -> OrgRef:
    """The organization `--org NAME` names, or the only one when no name is given.

    Reads only the directory of names, so an ordinary role (no admin scope) resolves it too.

    Raises:
        InputError: the name is unknown, no name is given while several organizations exist, or none exists.
    """
    from devhealth.semantic_db.db import directory_session
    from devhealth.semantic_db.services import organizations

    with directory_session(engine or semantic_engine()) as session:
        orgs = organizations.directory(session)
    if name is not None:
        cleaned = organizations.clean_name(name)
        match = next((org for org in orgs if org.name == cleaned), None)
        if match is None:
            known = [org.name for org in orgs]
            choices = f"; choose one of {', '.join(known)}" if known else f"; {CREATE_ORG_HINT}"
            raise InputError(f"--org {cleaned!r}: unknown organization{choices}")
        return OrgRef(id=org_key(match.id), name=match.name)
    if not orgs:
        raise InputError(f"no organization exists yet: {CREATE_ORG_HINT}")
    if len(orgs) > 1:
        raise InputError(f"{len(orgs)} organizations exist; choose one with --org: "
                         f"{', '.join(org.name for org in orgs)}")
    return OrgRef(id=org_key(orgs[0].id), name=orgs[0].name)


def list_orgs(engine: Engine | None = None) -> list[OrgRef]:
    """Every organization, by name."""
    from devhealth.semantic_db.db import directory_session
    from devhealth.semantic_db.services import organizations

    with directory_session(engine or semantic_engine()) as session:
        return [OrgRef(id=org_key(org.id), name=org.name) for org in organizations.directory(session)]


def org_credential(org: OrgRef, provider: str, *, name: str = "default", engine: Engine | None = None
                   ) -> str | None:
    """The org's stored secret for `provider`, or None when it stores none (callers then fall back to env)."""
    from devhealth.semantic_db.db import org_session
    from devhealth.semantic_db.services import credentials

    with org_session(org.semantic_id, engine or semantic_engine()) as session:
        stored = {(row.provider, row.name) for row in credentials.list_credentials(session, org.semantic_id)}
        if (provider, name) not in stored:
            return None
        return credentials.read_credential(session, org.semantic_id, provider, name=name)


@dataclass(frozen=True)
class ConfiguredScope:
    """One enabled sync configuration's scope (a repo path or project key) and its id, for the run record."""

    scope: str
    configuration_id: int


def configured_scopes(org: OrgRef, provider: str, target: str, *, engine: Engine | None = None
                      ) -> list[ConfiguredScope]:
    """The org's enabled configurations of `provider` whose targets include `target` (prs, cicd, ...)."""
    from devhealth.semantic_db.db import org_session
    from devhealth.semantic_db.services import sync_configurations

    with org_session(org.semantic_id, engine or semantic_engine()) as session:
        return [ConfiguredScope(row.scope, row.id)
                for row in sync_configurations.sync_configurations_for_org(session, org.semantic_id, provider)
                if row.enabled and target in row.targets]


@dataclass
class SyncRecord:
    """The open `sync_runs` row of one sync; set `rows_loaded` before the block ends."""

    run_id: int
    rows_loaded: int = 0


@contextmanager
def recorded_sync(org: OrgRef, provider: str, scope: str | None = None, *, configuration_id: int | None = None,
                  engine: Engine | None = None) -> Iterator[SyncRecord]:
    """Record the sync as running, then as succeeded with its rows, or failed with its one-line error.

    The error is re-raised unchanged; what is stored is the message the CLI would print (passwords
    masked), and for errors that are not ours only their type, since their text may carry a secret.
    A `configuration_id` links the run to the sync configuration it served, which then shows its last run.
    """
    from devhealth.semantic_db.db import org_session
    from devhealth.semantic_db.services import sync_runs

    engine = engine or semantic_engine()
    close_abandoned_runs(engine)
    with org_session(org.semantic_id, engine) as session:
        record = SyncRecord(sync_runs.start_sync_run(session, org.semantic_id, provider, scope=scope,
                                                     configuration_id=configuration_id))
    marker = _mark_running(record.run_id, org.semantic_id)
    try:
        yield record
    except BaseException as error:
        message = one_line(error) if isinstance(error, DevhealthError) else type(error).__name__
        status = "cancelled" if isinstance(error, KeyboardInterrupt) else "failed"
        with org_session(org.semantic_id, engine) as session:
            sync_runs.finish_sync_run(session, record.run_id, status, rows_loaded=record.rows_loaded,
                                      error=message)
        _unmark(marker)
        raise
    with org_session(org.semantic_id, engine) as session:
        sync_runs.finish_sync_run(session, record.run_id, "succeeded", rows_loaded=record.rows_loaded)
    _unmark(marker)


def _running_folder() -> Path:
    from devhealth.settings import devhealth_home

    return devhealth_home() / "locks" / "sync_runs"


def _mark_running(run_id: int, org_id: int) -> tuple[Path, IO[str]] | None:
    """A file locked for as long as this process runs the sync: once the lock is free and the file still
    there, the process died (kill -9, power loss) before it could record how the sync ended."""
    folder = _running_folder()
    pending = folder / f".{run_id}.{os.getpid()}"
    handle = locks.try_lock(pending)
    if handle is None:
        return None
    handle.write(json.dumps({"org_id": org_id, "holder": json.loads(locks.holder_text())}))
    handle.flush()
    # renamed only once locked, so a reader never finds a marker whose owner has not locked it yet
    marker = folder / f"{run_id}.running"
    pending.rename(marker)
    return marker, handle


def _unmark(marker: tuple[Path, IO[str]] | None) -> None:
    if marker is not None:
        path, handle = marker
        path.unlink(missing_ok=True)
        handle.close()


def close_abandoned_runs(engine: Engine) -> list[int]:
    """Record as failed every sync run whose process died while it ran; returns their ids."""
    from devhealth.semantic_db.db import org_session
    from devhealth.semantic_db.models import SyncRun
    from devhealth.semantic_db.services import sync_runs

    closed = []
    for marker in sorted(_running_folder().glob("*.running")):
        handle = locks.try_lock(marker)
        if handle is None:
            continue  # its process is still running it
        try:
            written = json.loads(marker.read_text(encoding="utf-8") or "{}")
            run_id, org_id = int(marker.stem), int(written["org_id"])
        except (ValueError, KeyError, TypeError):
            marker.unlink(missing_ok=True)
            handle.close()
            continue
        holder = locks.describe_holder(json.dumps(written.get("holder")))
        with org_session(org_id, engine) as session:
            run = session.get(SyncRun, run_id)
            if run is not None and run.status == "running":
                sync_runs.finish_sync_run(session, run_id, "failed", error=(
                    f"abandoned: {holder} ended before recording how this sync ended; the next sync "
                    "of the same source completes any load it left pending"))
                closed.append(run_id)
        marker.unlink(missing_ok=True)
        handle.close()
    return closed


def register_repository(org: OrgRef, provider: str, full_name: str, *, url: str | None = None,
                        engine: Engine | None = None) -> None:
    """Record in the semantic layer's registry that the organization syncs this repository (idempotent)."""
    from devhealth.semantic_db.db import org_session
    from devhealth.semantic_db.services import sync_configurations

    with org_session(org.semantic_id, engine or semantic_engine()) as session:
        sync_configurations.register_repository(session, org.semantic_id, provider, full_name, url=url)
