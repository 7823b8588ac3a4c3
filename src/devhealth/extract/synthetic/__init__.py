"""dlt sources for a synthetic organization, loaded into the same raw tables as the providers they imitate.

One source per imitated provider (git, github, events, jira) plus the semantic layer's exports; each
replays the deterministic simulation and keeps only its own tables, streamed as Arrow batches.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import TYPE_CHECKING

import dlt
from dlt.sources import DltResource

from devhealth.extract.synthetic import settings as s
from devhealth.extract.synthetic.generator import (
    CodeSimulation,
    SyntheticSpec,
    build_organization,
    repository_rows,
    semantic_rows,
    simulate_work,
)
from devhealth.extract.synthetic.helpers import batched, marked

if TYPE_CHECKING:
    from devhealth.orgs import OrgRef

GITHUB_TABLES = ["pull_requests", "pr_reviews", "pr_commits", "ci_runs", "deployments"]


def _code_days(spec: SyntheticSpec) -> Iterator:
    return CodeSimulation(build_organization(spec)).days()


@dlt.source(name="synthetic_git")
def synthetic_git(spec: SyntheticSpec) -> Iterator[DltResource]:
    """The organization's git history, shaped like the git source's tables.

    Args:
        spec: The organization to simulate: seed, size, window and org id.

    Returns:
        The `commits` resource, which also fills `commit_files`.
    """

    @dlt.resource(name="commits", write_disposition="append")
    def commits() -> Iterator[object]:
        yield from batched(_code_days(spec), ["commits", "commit_files"], s.BATCH_COMMITS)

    yield commits


@dlt.source(name="synthetic_github")
def synthetic_github(spec: SyntheticSpec) -> Iterator[DltResource]:
    """The organization's code review, CI and deployments, shaped like the GitHub source's tables.

    Args:
        spec: The organization to simulate: seed, size, window and org id.

    Returns:
        `repositories`, and `pull_requests`, which also fills pr_reviews, pr_commits, ci_runs and deployments.
    """

    @dlt.resource(name="repositories", write_disposition="append")
    def repositories() -> Iterator[object]:
        yield marked("repositories", repository_rows(build_organization(spec)))

    @dlt.resource(name="pull_requests", write_disposition="append")
    def pull_requests() -> Iterator[object]:
        yield from batched(_code_days(spec), GITHUB_TABLES, s.BATCH_COMMITS)

    yield repositories
    yield pull_requests


@dlt.source(name="synthetic_events")
def synthetic_events(spec: SyntheticSpec) -> Iterator[DltResource]:
    """The organization's incidents, shaped like the generic events source (`provider = 'events'`).

    Args:
        spec: The organization to simulate: seed, size, window and org id.

    Returns:
        The `incidents` resource.
    """

    @dlt.resource(name="incidents", write_disposition="append")
    def incidents() -> Iterator[object]:
        yield from batched(_code_days(spec), ["incidents"], s.BATCH_COMMITS)

    yield incidents


@dlt.source(name="synthetic_jira")
def synthetic_jira(spec: SyntheticSpec) -> Iterator[DltResource]:
    """The organization's work items and their status transitions, shaped like the Jira source's tables.

    Args:
        spec: The organization to simulate: seed, size, window and org id.

    Returns:
        The `work_items` resource, which also fills `work_item_transitions`.
    """

    @dlt.resource(name="work_items", write_disposition="append")
    def work_items() -> Iterator[object]:
        yield from batched(simulate_work(build_organization(spec)), ["work_items", "work_item_transitions"],
                           s.BATCH_COMMITS)

    yield work_items


@dlt.source(name="synthetic_semantic")
def synthetic_semantic(spec: SyntheticSpec) -> Iterator[DltResource]:
    """Teams, memberships and identities, shaped like the semantic layer's exports.

    Args:
        spec: The organization to simulate: seed, size, window and org id.

    Returns:
        The `teams`, `team_members` and `identities` resources.
    """
    tables = semantic_rows(build_organization(spec))
    for name, rows in tables.items():
        yield dlt.resource([marked(name, rows)], name=name, write_disposition="append")


SOURCES = {
    s.GIT_DATASET: synthetic_git,
    s.GITHUB_DATASET: synthetic_github,
    s.EVENTS_DATASET: synthetic_events,
    s.JIRA_DATASET: synthetic_jira,
    s.SEMANTIC_DATASET: synthetic_semantic,
}


def load_synthetic_for_org(spec: SyntheticSpec, org: OrgRef) -> dict[str, int]:
    """`load_synthetic` as the organization `org` (from `devhealth.orgs.resolve_org`), recorded as its sync run."""
    from devhealth.orgs import recorded_sync

    spec = dataclasses.replace(spec, org_id=org.id)
    with recorded_sync(org, "synthetic", f"seed {spec.seed}") as record:
        rows = load_synthetic(spec)
        record.rows_loaded = sum(rows.values())
    return rows


def load_synthetic(spec: SyntheticSpec, datasets: tuple[str, ...] = tuple(SOURCES)) -> dict[str, int]:
    """Generate the organization and load `datasets` (all by default); rows loaded per `dataset.table`."""
    from devhealth.pipelines import load, loaded_rows

    rows: dict[str, int] = {}
    for dataset in datasets:
        source = SOURCES[dataset]
        info = load(source(spec), pipeline_name=f"synthetic_{dataset}", dataset_name=dataset)
        rows |= {f"{dataset}.{table}": count for table, count in loaded_rows(info).items()}
    return rows
