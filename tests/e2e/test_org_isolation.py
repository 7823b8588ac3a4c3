"""Two organizations with the same repository names, ids and emails, built together: each one's marts
equal those of the same organization built alone.

The synthetic generator derives repositories and emails from their index, so two seeds give two
organizations that share every repository and email but not their activity, nor their last day.
Each build runs in its own process with its own DEVHEALTH_HOME (chDB is one engine per process).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from dbt_parse import start_from_this_parse

BUILD = Path(__file__).with_name("org_build.py")
ORG_A = "101:5:21"  # org id : seed : days
ORG_B = "102:6:28"


def start_build(home: Path, *orgs: str) -> tuple[subprocess.Popen[str], Path]:
    out = home.with_suffix(".json")
    # each build keeps its own dbt target folder: three builds at once must not share a manifest
    env = {"PATH": "/usr/bin:/bin", "DEVHEALTH_HOME": str(home), "HOME": str(home),
           "DBT_TARGET_PATH": str(start_from_this_parse(home / "target")), "DBT_LOG_PATH": str(home / "logs")}
    process = subprocess.Popen([sys.executable, str(BUILD), str(out), *orgs], env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return process, out


def finish(build: tuple[subprocess.Popen[str], Path]) -> dict[str, dict[str, list]]:
    process, out = build
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 0, output[-3000:]
    return json.loads(out.read_text())


# marts that hold rows only for data out of the ordinary: the synthetic organizations have no event time out of range
EMPTY_ON_CLEAN_DATA = {"rows_out_of_time_range"}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, dict[str, list]]]:
    root = tmp_path_factory.mktemp("org-builds")
    started = {"shared": start_build(root / "shared", ORG_A, ORG_B), "a": start_build(root / "a", ORG_A),
               "b": start_build(root / "b", ORG_B)}
    return {name: finish(build) for name, build in started.items()}


def test_each_org_policy_filter_lets_through_only_its_own_rows(builds) -> None:
    shared = builds["shared"]
    policies = shared["policies"]
    marts = shared["marts"]
    # one policy per organization per mart, each for that organization's role
    assert sorted((p["table"], p["role"]) for p in policies) == sorted(
        (f"marts.{mart}", f"devhealth_bi_org_{org}") for mart in marts for org in ("101", "102"))
    for policy in policies:
        org = policy["role"].removeprefix("devhealth_bi_org_")
        mart = policy["table"].removeprefix("marts.")
        assert policy["filter"] == f"org_id = '{org}'"
        own = len(marts[mart].get(org, []))
        assert policy["visible"] == ({org: own} if own else {}), policy


def test_every_mart_carries_org_id_and_holds_both_organizations(builds) -> None:
    shared = builds["shared"]["marts"]
    assert len(shared) >= 15
    for mart, by_org in shared.items():
        if mart in EMPTY_ON_CLEAN_DATA:
            assert by_org == {}, mart
            continue
        assert set(by_org) == {"101", "102"}, f"{mart}: organizations {sorted(by_org)}"


@pytest.mark.parametrize(("org_id", "alone"), [("101", "a"), ("102", "b")])
def test_each_organization_reads_the_same_figures_as_when_built_alone(builds, org_id: str, alone: str) -> None:
    shared, single = builds["shared"]["marts"], builds[alone]["marts"]
    assert set(single) == set(shared)
    assert set().union(*(set(by_org) for by_org in single.values())) == {org_id}
    for mart in shared:
        together, by_itself = shared[mart].get(org_id, []), single[mart].get(org_id, [])
        extra = [row for row in together if row not in by_itself][:3]
        missing = [row for row in by_itself if row not in together][:3]
        assert together == by_itself, f"{mart} for org {org_id}: extra {extra}, missing {missing}"


@pytest.mark.parametrize(("org_id", "other", "alone"), [("101", "102", "a"), ("102", "101", "b")])
def test_each_summary_and_report_holds_only_its_own_organizations_figures(builds, org_id: str, other: str,
                                                                           alone: str) -> None:
    shared, single = builds["shared"], builds[alone]
    summary = shared["summaries"][org_id]
    # two seeds, two histories: a summary or chart that mixed the orgs could not equal both builds
    assert summary["dora"] and summary["trend"] and summary["hotspots"]
    assert summary != shared["summaries"][other] | {"org_id": org_id, "org_name": f"org {org_id}"}
    assert summary == single["summaries"][org_id]
    for chart, data in shared["reports"][org_id].items():
        assert data == single["reports"][org_id][chart], f"report chart {chart} of org {org_id}"
    differing = [chart for chart, data in shared["reports"][org_id].items() if data != shared["reports"][other][chart]]
    assert {"dora_trends", "pr_cycle_breakdown", "team_heatmap"} <= set(differing), differing
    assert shared["report_points"][f"org {org_id}"] == single["report_points"][f"org {org_id}"]
    assert all(points > 0 for points in shared["report_points"][f"org {org_id}"].values())
