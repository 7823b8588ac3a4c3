"""The job record every sync writes: started, progress, rows loaded, finished with a status or an error."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from devhealth.errors import InputError
from devhealth.semantic_db.models import RUN_STATUSES, SyncConfiguration, SyncRun
from devhealth.semantic_db.services import required

FINISHED_STATUSES = tuple(status for status in RUN_STATUSES if status != "running")
MAX_ERROR_LENGTH = 4000


def start_sync_run(session: Session, org_id: int, provider: str, *, scope: str | None = None,
                   configuration_id: int | None = None) -> int:
    """Record a sync as running; returns the run id to pass to `update_sync_progress`/`finish_sync_run`."""
    run = SyncRun(org_id=org_id, provider=provider, scope=scope, sync_configuration_id=configuration_id)
    session.add(run)
    session.flush()
    return run.id


def _require(session: Session, run_id: int) -> SyncRun:
    return required(session.get(SyncRun, run_id), f"unknown sync run {run_id}")


def update_sync_progress(session: Session, run_id: int, progress: float, rows_loaded: int | None = None) -> None:
    if not 0 <= progress <= 1:
        raise InputError(f"sync progress {progress} is not a fraction between 0 and 1")
    run = _require(session, run_id)
    run.progress = progress
    if rows_loaded is not None:
        run.rows_loaded = rows_loaded
    session.flush()


def finish_sync_run(session: Session, run_id: int, status: str, *, rows_loaded: int | None = None,
                    error: str | None = None) -> SyncRun:
    """Close the run (succeeded, failed or cancelled) and stamp its configuration's last run.

    `error` is stored as given: callers pass a message already free of secrets (a one-line DevhealthError).
    """
    if status not in FINISHED_STATUSES:
        raise InputError(f"sync run status '{status}' is not one of {', '.join(FINISHED_STATUSES)}")
    run = _require(session, run_id)
    if run.status != "running":
        raise InputError(f"sync run {run_id} already finished as {run.status}")
    run.status = status
    run.finished_at = func.now()
    if status == "succeeded":
        run.progress = 1.0
    if rows_loaded is not None:
        run.rows_loaded = rows_loaded
    run.error = error[:MAX_ERROR_LENGTH] if error else None
    if run.sync_configuration_id is not None:
        configuration = session.get(SyncConfiguration, run.sync_configuration_id)
        if configuration is not None:
            configuration.last_run_at = func.now()
            configuration.last_run_status = status
    session.flush()
    session.refresh(run)
    return run


def recent_sync_runs(session: Session, org_id: int, limit: int = 20) -> list[SyncRun]:
    return list(session.scalars(select(SyncRun).where(SyncRun.org_id == org_id)
                                .order_by(SyncRun.started_at.desc(), SyncRun.id.desc()).limit(limit)))
