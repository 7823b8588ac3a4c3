"""Load a GitLab project into raw: `python src/devhealth/extract/gitlab_pipeline.py acme/api [SINCE] [--org NAME]`
(or `python -m devhealth.extract.gitlab_pipeline ...`); the token is the org's stored one, else GITLAB_TOKEN."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from dlt.common.pipeline import LoadInfo
from dlt.common.runtime.collector import Collector

from devhealth.extract.credentials import resolve_token
from devhealth.extract.gitlab import gitlab_source
from devhealth.extract.gitlab.helpers import check_project_path
from devhealth.extract.gitlab.settings import API_URL, DATASET_NAME, TOKEN_ENV, WEB_HOST
from devhealth.extract.script import load_for_org, repository_main
from devhealth.settings import DEFAULT_ORG_ID


def pipeline_name(project: str) -> str:
    """One pipeline per project, so each keeps its own cursors."""
    path = check_project_path(project).lower()
    return "gitlab__" + "".join(char if char.isalnum() else "_" for char in path)


def sync_gitlab(project: str, since: str | None = None, access_token: str | None = None,
                org_id: str = DEFAULT_ORG_ID, base_url: str = API_URL, web_host: str = WEB_HOST,
                dataset_name: str = DATASET_NAME, resources: Sequence[str] | None = None,
                progress: Collector | None = None) -> LoadInfo:
    """Load one project; `resources` narrows the load to those resources, leaving the others' cursors alone."""
    token = resolve_token("gitlab", access_token, (TOKEN_ENV,))
    source = gitlab_source(project, access_token=token, org_id=org_id, since=since, base_url=base_url,
                           web_host=web_host)
    return load_for_org(source, pipeline_name(project), org_id, dataset_name, resources, progress)


def main(argv: Sequence[str] | None = None) -> int:
    return repository_main("gitlab_pipeline", "gitlab", "Load one GitLab project into the warehouse's raw database.",
                           ("project", "group/name"), sync_gitlab, argv)


if __name__ == "__main__":
    sys.exit(main())
