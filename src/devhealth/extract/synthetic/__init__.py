"""dlt sources for a synthetic organization, loaded into the same raw tables as the providers they imitate.

One source per imitated provider (git, github, events, jira) plus the semantic layer's exports; each
replays the deterministic simulation and keeps only its own tables, streamed as Arrow batches.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import dlt
from dlt.sources import DltResource, DltSource

from devhealth.extract.synthetic import settings as s
from devhealth.extract.synthetic.generator import (
    CodeSimulation,
    DayActivity,
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
# what a resource yields for a spec: Arrow tables, each marked with the raw table it fills (helpers.marked)
ResourceRows = Callable[[SyntheticSpec], Iterator[object]]


def _code_days(spec: SyntheticSpec) -> Iterator[DayActivity]:
    return CodeSimulation(build_organization(spec)).days()


def _work_days(spec: SyntheticSpec) -> Iterator[DayActivity]:
    return simulate_work(build_organization(spec))


def _streamed(tables: list[str], simulate: Callable[[SyntheticSpec], Iterator[DayActivity]]) -> ResourceRows:
    """One pass of `simulate` fills every table of `tables`: a day yields rows of each, so one resource streams
    them all in batches rather than simulating once per table."""
    def rows(spec: SyntheticSpec) -> Iterator[object]:
        yield from batched(simulate(spec), tables, s.BATCH_COMMITS)
    return rows


def _repositories(spec: SyntheticSpec) -> Iterator[object]:
    yield marked("repositories", repository_rows(build_organization(spec)))


def _semantic_table(name: str) -> ResourceRows:
    def rows(spec: SyntheticSpec) -> Iterator[object]:
        yield marked(name, semantic_rows(build_organization(spec))[name])
    return rows


# per dataset, shaped like the provider it imitates (the semantic layer's exports for `semantic`), its resources
RESOURCES: dict[str, dict[str, ResourceRows]] = {
    s.GIT_DATASET: {"commits": _streamed(["commits", "commit_files"], _code_days)},
    s.GITHUB_DATASET: {"repositories": _repositories, "pull_requests": _streamed(GITHUB_TABLES, _code_days)},
    s.EVENTS_DATASET: {"incidents": _streamed(["incidents"], _code_days)},
    s.JIRA_DATASET: {"work_items": _streamed(["work_items", "work_item_transitions"], _work_days)},
    s.SEMANTIC_DATASET: {name: _semantic_table(name) for name in ("teams", "team_members", "identities")},
}


def _source(dataset: str) -> Callable[[SyntheticSpec], DltSource]:
    @dlt.source(name=f"synthetic_{dataset}")
    def synthetic(spec: SyntheticSpec) -> Iterator[DltResource]:
        """The organization's rows of one dataset, in the raw tables of the provider it imitates.

        Args:
            spec: The organization to simulate: seed, size, window and org id.

        Returns:
            The dataset's resources (`RESOURCES`); each is appended, and one may fill several tables.
        """
        for name, rows in RESOURCES[dataset].items():
            yield dlt.resource(rows(spec), name=name, write_disposition="append")
    return synthetic


SOURCES = {dataset: _source(dataset) for dataset in RESOURCES}


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
