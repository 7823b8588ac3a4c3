"""The row policies the dbt operation renders for each organization's BI role (dry run on chDB, which has
no access control; tests/e2e/test_org_isolation.py applies each policy's filter to built marts)."""

from __future__ import annotations

import pytest

from devhealth.errors import ConfigError, InputError
from devhealth.orgs import OrgRef
from devhealth.row_policies import create_row_policies, org_policies, org_role

ACME, GLOBEX = OrgRef(id="7", name="Acme"), OrgRef(id="12", name="Globex")


@pytest.fixture(scope="module")
def statements() -> list[str]:
    return create_row_policies([ACME, GLOBEX], dry_run=True)


def test_each_org_gets_a_role_and_one_policy_per_mart(statements: list[str]) -> None:
    assert statements[:2] == ["create role if not exists devhealth_bi_org_7",
                              "create role if not exists devhealth_bi_org_12"]
    assert [statement for statement in statements if " marts.repo_metrics_daily " in f"{statement} "] == [
        "grant select on marts.repo_metrics_daily to devhealth_bi_org_7",
        "create row policy if not exists org_7_repo_metrics_daily on marts.repo_metrics_daily "
        "for select using org_id = '7' to devhealth_bi_org_7",
        "grant select on marts.repo_metrics_daily to devhealth_bi_org_12",
        "create row policy if not exists org_12_repo_metrics_daily on marts.repo_metrics_daily "
        "for select using org_id = '12' to devhealth_bi_org_12",
        # once a table has policies ClickHouse hides it from everyone else: they keep every row
        "create row policy or replace all_orgs_repo_metrics_daily on marts.repo_metrics_daily "
        "for select using 1 to all except devhealth_bi_org_7, devhealth_bi_org_12",
    ]
    policies = org_policies(statements)
    tables = {policy.table for policy in policies}
    assert {"marts.repo_metrics_daily", "marts.dora_metrics_weekly", "marts.dim_people"} <= tables
    # the names of organizations too: one org's BI role sees its own name only
    assert [(policy.role, policy.filter) for policy in policies if policy.table == "marts.dim_organizations"] == [
        ("devhealth_bi_org_7", "org_id = '7'"), ("devhealth_bi_org_12", "org_id = '12'")]
    assert not any("dora_band_thresholds" in table for table in tables)  # seeds hold no org rows
    for org in (ACME, GLOBEX):
        mine = [policy for policy in policies if policy.role == org_role(org)]
        assert sorted(policy.table for policy in mine) == sorted(tables)
        assert {policy.filter for policy in mine} == {f"org_id = '{org.id}'"}


def test_the_shared_role_name_carries_through(statements: list[str]) -> None:
    renamed = create_row_policies([ACME], "grafana_reader", dry_run=True)
    assert renamed[0] == "create role if not exists grafana_reader_org_7"
    assert len(renamed) == 1 + (len(statements) - 2) * 3 // 5


def test_bad_ids_and_roles_are_refused_before_any_sql() -> None:
    with pytest.raises(InputError) as raised:
        create_row_policies([OrgRef(id="7 or 1=1", name="x")], dry_run=True)
    assert str(raised.value) == ("create row policies: organization id '7 or 1=1' is not a semantic layer id "
                                 "(digits)")
    with pytest.raises(ConfigError, match="--bi-role 'bi; drop'"):
        create_row_policies([ACME], "bi; drop", dry_run=True)


def test_chdb_refuses_to_create_them() -> None:
    with pytest.raises(ConfigError) as raised:
        create_row_policies([ACME])
    assert str(raised.value).startswith("create row policies: row policies need a ClickHouse server with access "
                                        "control; the embedded chDB warehouse has none")
