"""Load a GitHub repository into raw: `python src/devhealth/extract/github_pipeline.py acme/api [SINCE] [--org NAME]`
(or `python -m devhealth.extract.github_pipeline ...`); the token is the org's stored one, else GITHUB_TOKEN."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from dlt.common.pipeline import LoadInfo
from dlt.common.runtime.collector import Collector

from devhealth.extract.credentials import resolve_token
from devhealth.extract.github import github_source
from devhealth.extract.github.helpers import check_repo_name
from devhealth.extract.github.settings import (
    API_URL,
    DATASET_NAME,
    DEFAULT_COMMIT_DETAILS,
    DEFAULT_INCIDENT_LABEL,
    TOKEN_ENV,
)
from devhealth.extract.script import load_for_org, repository_main
from devhealth.settings import DEFAULT_ORG_ID


def pipeline_name(repo: str) -> str:
    """One pipeline per repository, so each keeps its own cursors and a new repo starts from scratch."""
    return "github__" + check_repo_name(repo).lower().replace("/", "__").replace("-", "_").replace(".", "_")


def sync_github(repo: str, since: str | None = None, access_token: str | None = None, org_id: str = DEFAULT_ORG_ID,
                incident_label: str = DEFAULT_INCIDENT_LABEL, base_url: str = API_URL,
                dataset_name: str = DATASET_NAME, resources: Sequence[str] | None = None,
                progress: Collector | None = None, commit_details: int = DEFAULT_COMMIT_DETAILS) -> LoadInfo:
    """Load one repository; `resources` narrows the load to those resources, leaving the others' cursors alone.

    `commits` and `commit_files` load only when named in `resources`; `commit_details` bounds the detail
    requests (one per commit) that fill `commit_files`.
    """
    token = resolve_token("github", access_token, (TOKEN_ENV, "GH_TOKEN"))
    source = github_source(repo, access_token=token, org_id=org_id, since=since, incident_label=incident_label,
                           base_url=base_url, commit_details=commit_details)
    return load_for_org(source, pipeline_name(repo), org_id, dataset_name, resources, progress)


def main(argv: Sequence[str] | None = None) -> int:
    return repository_main("github_pipeline", "github", "Load one GitHub repository into the warehouse's raw database.",
                           ("repo", "owner/name"), sync_github, argv)


if __name__ == "__main__":
    sys.exit(main())
