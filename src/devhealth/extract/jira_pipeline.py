"""Load Jira projects into raw: `python src/devhealth/extract/jira_pipeline.py https://acme.atlassian.net OPS
[--since DATE] [--org NAME]` (or `python -m devhealth.extract.jira_pipeline ...`); the token is the org's stored
one, else JIRA_API_TOKEN (with JIRA_EMAIL on Cloud)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from dlt.common.pipeline import LoadInfo
from dlt.common.runtime.collector import Collector

from devhealth.extract.credentials import resolve_token
from devhealth.extract.jira import jira_source
from devhealth.extract.jira.helpers import check_project_keys
from devhealth.extract.jira.settings import (
    DATASET_NAME,
    DEFAULT_INCIDENT_TYPES,
    DEFAULT_STORY_POINTS_FIELD,
    EMAIL_ENV,
    TOKEN_ENV,
)
from devhealth.extract.script import load_for_org, recorded_load, run_for_org, script_arguments
from devhealth.orgs import org_credential
from devhealth.settings import DEFAULT_ORG_ID


def pipeline_name(projects: list[str]) -> str:
    """One pipeline per project set, so its cursors cover exactly the projects it searched."""
    return "jira__" + "_".join(sorted(check_project_keys(projects))).lower()


def sync_jira(site_url: str, projects: list[str], since: str | None = None, access_token: str | None = None,
              email: str | None = None, org_id: str = DEFAULT_ORG_ID,
              story_points_field: str = DEFAULT_STORY_POINTS_FIELD,
              incident_types: tuple[str, ...] = DEFAULT_INCIDENT_TYPES, dataset_name: str = DATASET_NAME,
              resources: Sequence[str] | None = None, progress: Collector | None = None) -> LoadInfo:
    """Load a project set; `resources` narrows the load to those resources, leaving the others' cursors alone."""
    token = resolve_token("jira", access_token, (TOKEN_ENV,))
    source = jira_source(site_url, projects, access_token=token, email=email or os.environ.get(EMAIL_ENV) or None,
                         org_id=org_id, since=since, story_points_field=story_points_field,
                         incident_types=incident_types)
    return load_for_org(source, pipeline_name(projects), org_id, dataset_name, resources, progress)


def main(argv: Sequence[str] | None = None) -> int:
    parser = script_arguments("jira_pipeline", "Load Jira projects into the warehouse's raw database.")
    parser.add_argument("site", help="site root, such as https://acme.atlassian.net")
    parser.add_argument("projects", nargs="+", help="project keys")
    parser.add_argument("--since", help="backfill from this date (2024-01-31)")
    args = parser.parse_args(argv)
    return run_for_org(args.org, lambda org: recorded_load(org, "jira", ",".join(args.projects), lambda: sync_jira(
        args.site, args.projects, since=args.since, access_token=org_credential(org, "jira"), org_id=org.id)))


if __name__ == "__main__":
    sys.exit(main())
