"""Teams: members (person keys, as in identity mappings), repository glob patterns and work scopes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from devhealth.errors import InputError
from devhealth.semantic_db.models import TeamMapping
from devhealth.semantic_db.services import audit, required


@dataclass(frozen=True)
class TeamInfo:
    org_id: int
    team: str
    members: tuple[str, ...]
    repo_patterns: tuple[str, ...]
    work_scopes: tuple[str, ...]
    updated_at: datetime


def _clean(label: str, value: str) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise InputError(f"{label} is empty")
    return cleaned


def _find(session: Session, org_id: int, team: str) -> TeamMapping | None:
    return session.scalar(select(TeamMapping).where(TeamMapping.org_id == org_id, TeamMapping.team == team))


def _require(session: Session, org_id: int, team: str) -> TeamMapping:
    return required(_find(session, org_id, _clean("team name", team)),
                    f"unknown team '{team.strip()}' in organization {org_id}")


def _info(row: TeamMapping) -> TeamInfo:
    return TeamInfo(org_id=row.org_id, team=row.team, members=tuple(row.members),
                    repo_patterns=tuple(row.repo_patterns), work_scopes=tuple(row.work_scopes),
                    updated_at=row.updated_at)


def create_team(session: Session, org_id: int, team: str, *, actor: str | None = None) -> TeamInfo:
    name = _clean("team name", team)
    if _find(session, org_id, name) is not None:
        raise InputError(f"team '{name}' already exists in organization {org_id}")
    row = TeamMapping(org_id=org_id, team=name, members=[], repo_patterns=[], work_scopes=[])
    session.add(row)
    session.flush()
    session.refresh(row)
    audit.record(session, "team.create", org_id=org_id, target=name, actor=actor)
    return _info(row)


def store_team_list(session: Session, row: TeamMapping, column: str, items: list[str], value: str, action: str,
                    actor: str | None) -> None:
    """Give the team's list `column` the new `items` and audit `action` on `value`. A new list, so the ORM sees the
    change (arrays are not mutation-tracked in place)."""
    setattr(row, column, items)
    session.flush()
    session.refresh(row)
    audit.record(session, action, org_id=row.org_id, target=row.team, details={column: value}, actor=actor)


def _append(session: Session, org_id: int, team: str, column: str, value: str, action: str,
            actor: str | None) -> TeamInfo:
    row = _require(session, org_id, team)
    current: list[str] = getattr(row, column)
    if value not in current:
        store_team_list(session, row, column, [*current, value], value, action, actor)
    return _info(row)


def add_team_member(session: Session, org_id: int, team: str, person: str, *, actor: str | None = None
                    ) -> TeamInfo:
    return _append(session, org_id, team, "members", _clean("member", person).lower(), "team.add_member", actor)


def remove_team_member(session: Session, org_id: int, team: str, person: str, *, actor: str | None = None
                       ) -> TeamInfo:
    """Take a person off the team; removing someone who is not a member changes nothing."""
    row = _require(session, org_id, team)
    person_key = _clean("member", person).lower()
    if person_key in row.members:
        store_team_list(session, row, "members", [member for member in row.members if member != person_key],
                        person_key, "team.remove_member", actor)
    return _info(row)


def add_repo_pattern(session: Session, org_id: int, team: str, pattern: str, *, actor: str | None = None
                     ) -> TeamInfo:
    """Add a glob over `owner/name` (for example `acme/payments-*`) to the team's repositories."""
    return _append(session, org_id, team, "repo_patterns", _clean("repo pattern", pattern), "team.add_repo_pattern",
                   actor)


def add_work_scope(session: Session, org_id: int, team: str, scope: str, *, actor: str | None = None) -> TeamInfo:
    """Add a work-item scope (a Jira project or board key) the team owns."""
    return _append(session, org_id, team, "work_scopes", _clean("work scope", scope), "team.add_work_scope", actor)


def teams_for_org(session: Session, org_id: int) -> list[TeamInfo]:
    """Every team of the organization with its members, repo patterns and work scopes, by team name."""
    rows = session.scalars(select(TeamMapping).where(TeamMapping.org_id == org_id).order_by(TeamMapping.team))
    return [_info(row) for row in rows]
