"""Organization names, teams and identities travel from PostgreSQL to the warehouse as a full snapshot."""

import json

from cryptography.fernet import Fernet

from devhealth.extract.semantic import semantic_layer
from devhealth.pipelines import load
from devhealth.semantic_db.db import admin_session
from devhealth.semantic_db.secret_keys import Keyring
from devhealth.semantic_db.services import credentials, identities, org_settings, organizations, teams


def test_teams_and_identities_reach_raw_and_removals_follow(warehouse, semantic_database, monkeypatch) -> None:
    monkeypatch.setenv("POSTGRES_URI", semantic_database)
    with admin_session() as session:
        org = organizations.get_or_create_organization(session, "export-co")
        teams.create_team(session, org.id, "platform")
        teams.add_team_member(session, org.id, "platform", "ann@export.co")
        teams.add_team_member(session, org.id, "platform", "bob@export.co")
        teams.add_repo_pattern(session, org.id, "platform", "export/api*")
        identities.map_identity(session, org.id, "ann@export.co", "github", "login", "AnnGH", display_name="Ann")

    load(semantic_layer(), pipeline_name="semantic_test", dataset_name="semantic_test")
    org_key = str(org.id)
    members = warehouse.query(
        f"select person_id from raw.semantic_test___team_members where org_id = '{org_key}' order by person_id"
    ).rows
    assert members == [("ann@export.co",), ("bob@export.co",)]
    patterns = warehouse.scalar(f"select repo_patterns from raw.semantic_test___teams where org_id = '{org_key}'")
    assert json.loads(patterns) == ["export/api*"]
    identity = warehouse.query(
        "select identity, person_id, primary_email, display_name from raw.semantic_test___identities "
        f"where org_id = '{org_key}'"
    ).rows
    assert identity == [("anngh", "ann@export.co", "ann@export.co", "Ann")]

    with admin_session() as session:
        teams.remove_team_member(session, org.id, "platform", "bob@export.co")
    load(semantic_layer(), pipeline_name="semantic_test", dataset_name="semantic_test")
    assert warehouse.scalar(
        f"select count() from raw.semantic_test___team_members where org_id = '{org_key}'"
    ) == 1


def test_organization_settings_reach_raw_one_row_per_org(warehouse, semantic_database, monkeypatch) -> None:
    monkeypatch.setenv("POSTGRES_URI", semantic_database)
    with admin_session() as session:
        paris = organizations.get_or_create_organization(session, "paris-co")
        plain = organizations.get_or_create_organization(session, "plain-co")
        org_settings.set_setting(session, paris.id, "timezone", "Europe/Paris")
        org_settings.set_setting(session, paris.id, "business_hours", {"start": "08:30", "end": "17:00"})
        org_settings.set_setting(session, paris.id, "working_days", [1, 2, 3, 4])
        org_settings.set_setting(session, paris.id, "bot_patterns", ["^renovate", "\\[bot\\]$"])

    load(semantic_layer(), pipeline_name="semantic_settings_test", dataset_name="semantic_settings_test")
    rows = warehouse.query(
        "select org_id, timezone, business_hours_start, business_hours_end, working_days, bot_patterns "
        f"from raw.semantic_settings_test___org_settings where org_id in ('{paris.id}', '{plain.id}') order by org_id"
    ).rows
    by_org = {row[0]: row[1:] for row in rows}
    paris_row = by_org[str(paris.id)]
    assert paris_row[:4] == ("Europe/Paris", "08:30", "17:00", "[1, 2, 3, 4]")
    # an organization without settings keeps the project defaults: every column NULL
    assert by_org[str(plain.id)] == (None, None, None, None, None)
    assert json.loads(paris_row[4]) == ["^renovate", "\\[bot\\]$"]


def test_organization_names_reach_raw_and_nothing_else_of_them(warehouse, semantic_database, monkeypatch) -> None:
    monkeypatch.setenv("POSTGRES_URI", semantic_database)
    name = "x</script><script>alert(1)</script>"
    with admin_session() as session:
        org = organizations.get_or_create_organization(session, name)
        renamed = organizations.get_or_create_organization(session, "names-co")
        # an organization with a provider credential: the export still carries its id and name only
        credentials.set_credential(session, org.id, "github", "ghp_never_exported_0123456789",
                                   keyring=Keyring((Fernet.generate_key(),), "t"))

    load(semantic_layer(), pipeline_name="semantic_names_test", dataset_name="semantic_names_test")
    rows = warehouse.query(
        "select org_id, org_name, created_at is not null from raw.semantic_names_test___organizations "
        f"where org_id in ('{org.id}', '{renamed.id}') order by org_name"
    ).rows
    assert rows == [(str(renamed.id), "names-co", True), (str(org.id), name, True)]
    columns = {row[0] for row in warehouse.query(
        "select name from system.columns where database = 'raw' and table = 'semantic_names_test___organizations'"
    ).rows}
    assert columns == {"org_id", "org_name", "created_at", "_dlt_load_id", "_dlt_id"}
