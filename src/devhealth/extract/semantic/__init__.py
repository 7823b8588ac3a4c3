"""dlt source that exports the semantic layer's organizations (id and name), teams, identity mappings and
organization settings to the warehouse.

Each run is a full snapshot of every organization (`replace`), so a member removed in PostgreSQL
also leaves the marts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import dlt

from devhealth.extract.raw_contract import dlt_hints
from devhealth.orgs import org_key
from devhealth.semantic_db.db import admin_session
from devhealth.semantic_db.services import identities, org_settings, organizations, teams

# one column per organization setting; NULL where the organization keeps the project default (dbt vars)
SETTINGS_COLUMNS = {
    "timezone": {"data_type": "text", "nullable": True},
    "business_hours_start": {"data_type": "text", "nullable": True},
    "business_hours_end": {"data_type": "text", "nullable": True},
    "working_days": {"data_type": "text", "nullable": True},
    "bot_patterns": {"data_type": "text", "nullable": True},
}


@dlt.source(name="semantic")
def semantic_layer() -> Iterator[dlt.sources.DltResource]:
    """Names, teams, team members, identities and settings of every organization.

    Returns:
        The `organizations`, `teams`, `team_members`, `identities` and `org_settings` resources.
    """
    with admin_session() as session:
        orgs = organizations.list_organizations(session)
        org_teams = {org.id: teams.teams_for_org(session, org.id) for org in orgs}
        org_identities = {org.id: identities.identity_mappings_for_org(session, org.id) for org in orgs}
        org_values = {org.id: org_settings.get_settings(session, org.id) for org in orgs}

    @dlt.resource(name="organizations", primary_key=["org_id"], write_disposition="replace",
                  columns=dlt_hints("organizations", "semantic", keys=True))
    def organization_rows() -> Iterator[dict]:
        """Id and name only, so dashboards show names: the semantic layer's other organization data (members,
        credentials) stays in PostgreSQL."""
        for org in orgs:
            yield {"org_id": org_key(org.id), "org_name": org.name, "created_at": org.created_at}

    @dlt.resource(name="teams", primary_key=["org_id", "team_id"], write_disposition="replace",
                  columns=dlt_hints("teams", "semantic", keys=True))
    def team_rows() -> Iterator[dict]:
        for org_id, rows in org_teams.items():
            for team in rows:
                yield {"org_id": org_key(org_id), "team_id": team.team, "team_name": team.team,
                       "repo_patterns": json.dumps(list(team.repo_patterns)),
                       "work_scopes": json.dumps(list(team.work_scopes))}

    @dlt.resource(name="team_members", primary_key=["org_id", "team_id", "person_id"], write_disposition="replace",
                  columns=dlt_hints("team_members", "semantic", keys=True))
    def member_rows() -> Iterator[dict]:
        for org_id, rows in org_teams.items():
            for team in rows:
                for person in team.members:
                    yield {"org_id": org_key(org_id), "team_id": team.team, "person_id": person}

    @dlt.resource(name="identities", primary_key=["org_id", "provider", "identity"], write_disposition="replace",
                  columns=dlt_hints("identities", "semantic", keys=True))
    def identity_rows() -> Iterator[dict]:
        for org_id, rows in org_identities.items():
            for identity in rows:
                yield {"org_id": org_key(org_id), "provider": identity.provider, "identity": identity.value,
                       "person_id": identity.person,
                       "primary_email": identity.person if "@" in identity.person else None,
                       "display_name": identity.display_name}

    @dlt.resource(name="org_settings", primary_key=["org_id"], write_disposition="replace", columns=SETTINGS_COLUMNS)
    def settings_rows() -> Iterator[dict]:
        """One row per organization, so a model can join it and fall back to the project default on NULL."""
        for org_id, values in org_values.items():
            hours = values.get("business_hours") or {}
            yield {"org_id": org_key(org_id), "timezone": values.get("timezone"),
                   "business_hours_start": hours.get("start"), "business_hours_end": hours.get("end"),
                   "working_days": json.dumps(values["working_days"]) if "working_days" in values else None,
                   "bot_patterns": json.dumps(values["bot_patterns"]) if "bot_patterns" in values else None}

    return organization_rows, team_rows, member_rows, identity_rows, settings_rows
