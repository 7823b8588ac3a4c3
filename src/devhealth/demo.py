"""The demo organization: the synthetic generator's teams and people, registered in the semantic layer.

Registering them in PostgreSQL (not only in the raw tables) makes the demo travel the same path as a
real organization: the team sync exports them, and identity resolution reads the mappings.
"""

from __future__ import annotations

from devhealth.extract.synthetic.generator import Organization
from devhealth.semantic_db.db import admin_session
from devhealth.semantic_db.services import identities, organizations, teams
from devhealth.semantic_db.services.organizations import OrganizationInfo


def ensure_organization(name: str) -> OrganizationInfo:
    with admin_session() as session:
        return organizations.get_or_create_organization(session, name, actor="devhealth run")


def register_synthetic_people(org_id: int, organization: Organization) -> int:
    """Create the organization's teams, members, repo patterns, work scopes and identities; idempotent.

    Returns the number of identity mappings the organization holds afterwards.
    """
    actor = "devhealth run"
    with admin_session() as session:
        existing = {team.team for team in teams.teams_for_org(session, org_id)}
        for team in organization.teams:
            if team.name not in existing:
                teams.create_team(session, org_id, team.name, actor=actor)
            for person in organization.members(team.index):
                teams.add_team_member(session, org_id, team.name, person.primary_email, actor=actor)
            for repo in organization.repos:
                if repo.team == team.index:
                    teams.add_repo_pattern(session, org_id, team.name, repo.repo_name, actor=actor)
            teams.add_work_scope(session, org_id, team.name, team.key, actor=actor)
        mapped = identities.identity_mappings_for_org(session, org_id)
        known = {(info.provider, info.kind, info.value) for info in mapped}
        for person in organization.people:
            accounts = [("git", "email", email) for email in person.emails]
            accounts += [("github", "login", person.login), ("jira", "email", person.primary_email)]
            for provider, kind, value in accounts:
                if (provider, kind, value.lower()) not in known:
                    identities.map_identity(session, org_id, person.primary_email, provider, kind, value,
                                            display_name=person.display_name, actor=actor)
        return len(identities.identity_mappings_for_org(session, org_id))
