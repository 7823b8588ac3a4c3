"""`devhealth sync`: run one provider's dlt pipeline into the warehouse's raw database, for one organization.

Each command resolves `--org` (the only organization when omitted), stamps its id on every row, reads its
stored credential, and records every load as a sync run in the semantic layer.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from dlt.common.pipeline import LoadInfo

    from devhealth.extract.resource_groups import SourceRules
    from devhealth.orgs import OrgRef

from devhealth.errors import InputError

app = typer.Typer(help="Extract provider data into the raw database with dlt.", no_args_is_help=True)
console = Console(soft_wrap=True)


OrgName = Annotated[str | None, typer.Option("--org", help="Organization name; the only one when omitted.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print what was loaded as JSON instead of tables.")]

# what the running command loaded, one entry per input, for --json
_loads: list[dict[str, object]] = []


def _begin(as_json: bool) -> None:
    """With --json, the tables and progress lines stay silent and only the JSON reaches stdout."""
    _loads.clear()
    console.quiet = as_json


def _record(label: str, rows: dict[str, int], seconds: float | None) -> None:
    _loads.append({"input": label, "tables": rows, "rows": sum(rows.values()),
                   "seconds": None if seconds is None else round(seconds, 3)})


def _finish(as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps({"loads": _loads}, indent=2))


def _check_since(value: str | None) -> str | None:
    """--since is checked as the command line is parsed, before the semantic layer is opened or migrated."""
    if value is not None:
        from devhealth.extract.batching import parse_since

        parse_since(value)
    return value


def _register_repository(org: OrgRef, provider: str, full_name: str, *, url: str | None = None) -> None:
    from devhealth.orgs import register_repository

    register_repository(org, provider, full_name, url=url)


def _org(name: str | None) -> OrgRef:
    from devhealth.orgs import resolve_org

    return resolve_org(name)


def _recorded_load(org: OrgRef, provider: str, scope: str, run: Callable[[], LoadInfo]) -> LoadInfo:
    """Run one load inside its sync-run record, which gets the rows loaded or the error."""
    from devhealth.orgs import recorded_sync
    from devhealth.pipelines import loaded_rows

    with recorded_sync(org, provider, scope) as record:
        info = run()
        record.rows_loaded = sum(loaded_rows(info).values())
    return info


def _run_and_report(org: OrgRef, label: str, run: Callable[[], LoadInfo], report: Table) -> None:
    from devhealth.pipelines import loaded_rows

    started = time.perf_counter()
    with console.status(f"loading {label}"):
        info = _recorded_load(org, "git", label, run)
    seconds = time.perf_counter() - started
    rows = loaded_rows(info)
    _add_loaded_rows(report, label, rows, seconds)
    console.print(f"{label}: {sum(rows.values()):,} rows in {seconds:.1f}s")


def _add_loaded_rows(report: Table, label: str, rows: dict[str, int], seconds: float) -> None:
    """One report row per raw table loaded for `label`, or one saying nothing new arrived."""
    _record(label, rows, seconds)
    for table, count in rows.items():
        report.add_row(label, table, f"{count:,}", f"{count / seconds:,.0f}")
    if not rows:
        report.add_row(label, "(nothing new)", "0", "")


def _report_table() -> Table:
    report = Table(title="rows loaded")
    for column in ("input", "table", "rows", "rows/s"):
        report.add_column(column, justify="left" if column in ("input", "table") else "right")
    return report


@app.command("git")
def sync_git(
    paths: Annotated[list[Path] | None, typer.Argument(help="Local repositories to extract.")] = None,
    repos: Annotated[list[Path] | None, typer.Option("--repo", help="A repository (repeatable).")] = None,
    branch: Annotated[str | None, typer.Option(help="Branch or revision to read; HEAD by default.")] = None,
    blame: Annotated[bool, typer.Option("--blame", help="Also load lines owned per author at the head.")] = False,
    provider: Annotated[str | None, typer.Option(
        "--provider", help="github or gitlab: read commits from its API instead of a clone, for --repo owner/name "
                           "or --project group/name (else the org's sync configurations with target git).")] = None,
    projects: Annotated[list[str] | None, typer.Option("--project", help="With --provider gitlab: group/name.")]
    = None,
    commit_details: Annotated[int, typer.Option(
        help="With --provider github: read files and line counts of at most this many commits per run, newest "
             "first (one request each).")] = 0,
    since: Since = None,
    base_url: Annotated[str | None, typer.Option(help="With --provider: the API root.")] = None,
    web_host: WebHost = None,
    org: OrgName = None,
    as_json: JsonOption = False,
) -> None:
    """Extract commits, commit files and optionally blame from local git repositories, or with --provider
    the commits of repositories without a clone from the GitHub or GitLab API."""
    from devhealth.extract.git import git_repository, git_repository_name
    from devhealth.extract.git.settings import DATASET_NAME, PIPELINE_NAME
    from devhealth.extract.resource_groups import SourceRules
    from devhealth.pipelines import load

    if provider is not None:
        if paths:
            raise InputError("sync git --provider: name repositories with --repo owner/name, not paths")
        _begin(as_json)
        _sync_group("git", provider, [str(repo) for repo in repos or []], projects or [], since, base_url, web_host,
                    org, SourceRules(commit_details=commit_details))
        _finish(as_json)
        return
    targets = [*(paths or []), *(repos or [])]
    if not targets:
        raise InputError("sync git: name at least one repository path")
    _begin(as_json)
    organization = _org(org)
    # every path is checked before anything loads, so a typo in the last one costs no partial run
    sources = [(path, git_repository(path, branch=branch, blame=blame, org_id=organization.id)) for path in targets]
    report = _report_table()
    for path, source in sources:
        _run_and_report(organization, str(path), lambda source=source: load(source, PIPELINE_NAME, DATASET_NAME),
                        report)
        name, url = git_repository_name(path)
        _register_repository(organization, "git", name, url=url)
    console.print(report)
    _finish(as_json)


@app.command("synthetic")
def sync_synthetic(
    seed: Annotated[int | None, typer.Option(help="Seed; the same options always load the same rows. [7]")] = None,
    teams: Annotated[int | None, typer.Option(help="Teams. [4]")] = None,
    people: Annotated[int | None, typer.Option(help="People, spread over the teams. [24]")] = None,
    repos: Annotated[int | None, typer.Option(help="Repositories, each owned by a team. [8]")] = None,
    days: Annotated[int | None, typer.Option(help="Days of history. [90]")] = None,
    commits_per_day: Annotated[int | None, typer.Option(help="Average commits per weekday. [40]")] = None,
    commits: Annotated[int | None, typer.Option(help="Total commits wanted; sets --commits-per-day.")] = None,
    org: OrgName = None,
    as_json: JsonOption = False,
) -> None:
    """Generate a deterministic synthetic organization and load it, as the organization `--org`, into the
    git, github, events, jira and semantic datasets."""
    from devhealth.extract.synthetic import load_synthetic_for_org
    from devhealth.extract.synthetic.generator import SyntheticSpec, per_day_for_total

    chosen = {"seed": seed, "teams": teams, "people": people, "repos": repos, "days": days,
              "commits_per_day": commits_per_day}
    spec = SyntheticSpec(**{name: value for name, value in chosen.items() if value is not None})
    if commits is not None:
        spec = dataclasses.replace(spec, commits_per_day=per_day_for_total(commits, spec.days))
    _begin(as_json)
    organization = _org(org)
    report = _report_table()
    started = time.perf_counter()
    with console.status(f"generating and loading the synthetic organization (seed {spec.seed}) as "
                        f"{organization.name}"):
        rows = load_synthetic_for_org(spec, organization)
    seconds = time.perf_counter() - started
    for table, count in rows.items():
        report.add_row(f"seed {spec.seed}", table, f"{count:,}", f"{count / seconds:,.0f}")
    _record(f"seed {spec.seed}", dict(rows), seconds)
    console.print(report)
    total = sum(rows.values())
    console.print(f"synthetic: {total:,} rows in {seconds:.1f}s ({total / seconds:,.0f} rows/s)")
    _finish(as_json)


def _report(label: str, info: LoadInfo) -> None:
    """One line per load: rows per raw table, dlt's own state tables left out."""
    from devhealth.pipelines import loaded_rows

    rows = loaded_rows(info)
    _record(label, rows, None)
    tables = ", ".join(f"{table} {count}" for table, count in rows.items())
    console.print(f"{label}: loaded {tables or 'nothing new'}")


def _sync_repositories(provider: str, names: list[str], org: str | None, as_json: bool,
                       run: Callable[[str, str | None, str], LoadInfo]) -> None:
    """Load each of a provider's repositories (`run(name, token, org_id)`) as its own recorded sync run, with the
    organization's stored credential, and register it."""
    from devhealth.orgs import org_credential

    _begin(as_json)
    organization = _org(org)
    token = org_credential(organization, provider)
    for name in names:
        with console.status(f"{provider} {name}"):
            info = _recorded_load(organization, provider, name, lambda name=name: run(name, token, organization.id))
        _register_repository(organization, provider, name)
        _report(f"{provider} {name}", info)
    _finish(as_json)


Since = Annotated[str | None, typer.Option("--since", callback=_check_since, help="Backfill from this date "
                                           "(2024-01-31), leaving the incremental cursors alone.")]


@app.command("github")
def sync_github(
    repos: Annotated[list[str], typer.Option("--repo", help="owner/name; repeat for several.")],
    since: Since = None,
    incident_label: Annotated[str, typer.Option(help="Issues with this label are incidents.")] = "incident",
    base_url: Annotated[str, typer.Option(help="API root (GitHub Enterprise: https://host/api/v3).")]
    = "https://api.github.com",
    org: OrgName = None,
    as_json: JsonOption = False,
) -> None:
    """Pull requests, reviews, Actions runs, deployments, issues and releases from GitHub (token: GITHUB_TOKEN)."""
    from devhealth.extract.github_pipeline import sync_github as run

    _sync_repositories("github", repos, org, as_json, lambda repo, token, org_id: run(
        repo, since=since, access_token=token, org_id=org_id, incident_label=incident_label, base_url=base_url))


@app.command("gitlab")
def sync_gitlab(
    projects: Annotated[list[str], typer.Option("--project", help="group/name; repeat for several.")],
    since: Since = None,
    base_url: Annotated[str, typer.Option(help="API root of a self-managed instance.")]
    = "https://gitlab.com/api/v4",
    web_host: Annotated[str, typer.Option(help="Host in the projects' clone URLs.")] = "gitlab.com",
    org: OrgName = None,
    as_json: JsonOption = False,
) -> None:
    """Merge requests, approvals, notes, pipelines, deployments, issues and incidents (token: GITLAB_TOKEN)."""
    from devhealth.extract.gitlab_pipeline import sync_gitlab as run

    _sync_repositories("gitlab", projects, org, as_json, lambda project, token, org_id: run(
        project, since=since, access_token=token, org_id=org_id, base_url=base_url, web_host=web_host))


@app.command("jira")
def sync_jira(
    site: Annotated[str, typer.Option("--site", help="Site root, such as https://acme.atlassian.net.")],
    projects: Annotated[list[str], typer.Option("--project", help="Project key; repeat for several.")],
    since: Since = None,
    story_points_field: Annotated[str, typer.Option(help="Custom field holding story points.")]
    = "customfield_10016",
    incident_type: Annotated[list[str] | None, typer.Option(help="Issue type that is an incident; repeatable.")]
    = None,
    org: OrgName = None,
    as_json: JsonOption = False,
) -> None:
    """Issues, status transitions and incidents from Jira (token: JIRA_API_TOKEN, with JIRA_EMAIL on Cloud)."""
    from devhealth.extract.jira_pipeline import sync_jira as run
    from devhealth.orgs import org_credential

    _begin(as_json)
    organization = _org(org)
    token = org_credential(organization, "jira")
    with console.status(f"jira {', '.join(projects)}"):
        info = _recorded_load(organization, "jira", ",".join(projects), lambda: run(
            site, projects, since=since, access_token=token, org_id=organization.id,
            story_points_field=story_points_field, incident_types=tuple(incident_type or ("Incident",))))
    _report(f"jira {', '.join(projects)}", info)
    _finish(as_json)


@app.command("events")
def sync_events(
    file: Annotated[Path, typer.Option("--file", help="JSON Lines: change, deployment and incident events.")],
    org: OrgName = None,
    as_json: JsonOption = False,
) -> None:
    """Deployments, incidents and changes from any tool, as JSON Lines; a bad line loads nothing."""
    from devhealth.extract.events_pipeline import sync_events as run

    _begin(as_json)
    organization = _org(org)
    _report(f"events {file}", _recorded_load(organization, "events", str(file),
                                             lambda: run(file, org_id=organization.id)))
    _finish(as_json)


@app.command("teams")
def sync_teams(as_json: JsonOption = False) -> None:
    """Export teams, members and identity mappings from the semantic layer to the warehouse (full snapshot)."""
    from devhealth.extract.semantic import semantic_layer
    from devhealth.pipelines import load

    _begin(as_json)
    with console.status("semantic layer teams"):
        info = load(semantic_layer(), pipeline_name="semantic", dataset_name="semantic")
    _report("teams", info)
    _finish(as_json)


GROUP_HELP = {
    "prs": "Pull (merge) requests with their reviews and commits, and the repositories they belong to.",
    "cicd": "CI runs: GitHub Actions workflow runs, GitLab pipelines.",
    "deployments": "Deployments with their statuses (and GitHub releases).",
    "incidents": "Incidents: GitHub issues with the incident label, GitLab incidents, Jira incident issue types.",
    "work-items": "Issues as work items; with Jira also their status transitions.",
}

ProviderName = Annotated[str, typer.Option("--provider", help="github, gitlab or jira.")]
RepoNames = Annotated[list[str] | None, typer.Option(
    "--repo", help="GitHub owner/name; repeatable. Without --repo/--project: the org's sync configurations.")]
ProjectNames = Annotated[list[str] | None, typer.Option(
    "--project", help="GitLab group/name or Jira project key; repeatable.")]
ApiRoot = Annotated[str | None, typer.Option(
    "--base-url", "--site", help="API root (GitHub Enterprise, self-managed GitLab); the Jira site root, "
                                 "such as https://acme.atlassian.net, is required for jira.")]
WebHost = Annotated[str | None, typer.Option(help="GitLab host in the projects' clone URLs (default: gitlab.com).")]
IncidentLabel = Annotated[str | None, typer.Option(
    help="GitHub: issues with this label are incidents (default: incident).")]
IncidentTypes = Annotated[list[str] | None, typer.Option(
    "--incident-type", help="Jira: an issue type that is an incident; repeatable (default: Incident).")]
StoryPointsField = Annotated[str | None, typer.Option(
    help="Jira: the custom field holding story points (default: customfield_10016).")]


def _sync_group(group: str, provider: str, repos: list[str], projects: list[str], since: str | None,
                base_url: str | None, web_host: str | None, org: str | None, rules: SourceRules) -> None:
    """Load every scope of the group with a progress task per resource, then print rows per table."""
    from devhealth.extract.resource_groups import group_resources
    from devhealth.grouped_sync import api_root, load_scope, plan_group_sync
    from devhealth.orgs import org_credential
    from devhealth.pipelines import loaded_rows

    from .progress import ResourceProgress, resource_progress

    group_resources(provider, group)  # a group the provider lacks fails before the semantic layer is opened
    organization = _org(org)
    jobs = plan_group_sync(organization, provider, group, repos=repos, projects=projects)
    root = api_root(jobs[0].provider, base_url)
    token = org_credential(organization, jobs[0].provider)
    report = _report_table()
    with resource_progress(console) as progress:
        for job in jobs:
            counter = ResourceProgress(progress, job.label, job.resources)
            started = time.perf_counter()
            info = load_scope(organization, job, api_root=root, since=since, access_token=token,
                              web_host=web_host, progress=counter, rules=rules)
            counter.finish()
            seconds = max(time.perf_counter() - started, 1e-6)
            rows = loaded_rows(info)
            _add_loaded_rows(report, job.label, rows, seconds)
            progress.console.print(f"{group} {job.label}: {sum(rows.values()):,} rows in {seconds:.1f}s")
    console.print(report)


def _register_group(group: str) -> None:
    def command(provider: ProviderName, repos: RepoNames = None, projects: ProjectNames = None,
                since: Since = None, base_url: ApiRoot = None, web_host: WebHost = None,
                incident_label: IncidentLabel = None, incident_types: IncidentTypes = None,
                story_points_field: StoryPointsField = None, org: OrgName = None,
                as_json: JsonOption = False) -> None:
        from devhealth.extract.resource_groups import SourceRules

        given = {"incident_label": incident_label, "story_points_field": story_points_field,
                 "incident_types": tuple(incident_types) if incident_types else None}
        rules = SourceRules(**{name: value for name, value in given.items() if value is not None})
        _begin(as_json)
        _sync_group(group, provider, repos or [], projects or [], since, base_url, web_host, org, rules)
        _finish(as_json)

    command.__doc__ = GROUP_HELP[group]
    app.command(group)(command)


for _group in GROUP_HELP:
    _register_group(_group)
