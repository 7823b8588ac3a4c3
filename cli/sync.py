"""`devhealth sync`: run one provider's dlt pipeline into the warehouse's raw database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from devhealth.settings import DEFAULT_ORG_ID

app = typer.Typer(help="Extract provider data into the raw database with dlt.", no_args_is_help=True)
console = Console()


@app.command("git")
def sync_git(
    paths: Annotated[list[Path], typer.Argument(help="Local repositories to extract.")],
) -> None:
    """Extract commits from local git repositories."""
    from devhealth.extract.git import git_repository
    from devhealth.pipelines import load

    for path in paths:
        info = load(git_repository(path), pipeline_name="git", dataset_name="git")
        rows = sum(info.metrics_rows().values()) if hasattr(info, "metrics_rows") else None
        console.print(f"git {path}: loaded" + (f" {rows} rows" if rows is not None else ""))


def _report(label: str, info: Any) -> None:
    """One line per load: rows per raw table, dlt's own state table left out."""
    counts = info.pipeline.last_trace.last_normalize_info.row_counts
    tables = ", ".join(f"{table} {rows}" for table, rows in sorted(counts.items()) if not table.startswith("_dlt"))
    console.print(f"{label}: loaded {tables or 'nothing new'}")


Since = Annotated[str | None, typer.Option("--since", help="Backfill from this date (2024-01-31), "
                                           "leaving the incremental cursors alone.")]
OrgId = Annotated[str, typer.Option("--org-id", help="Organization id stamped on every row.")]


@app.command("github")
def sync_github(
    repos: Annotated[list[str], typer.Option("--repo", help="owner/name; repeat for several.")],
    since: Since = None,
    incident_label: Annotated[str, typer.Option(help="Issues with this label are incidents.")] = "incident",
    base_url: Annotated[str, typer.Option(help="API root (GitHub Enterprise: https://host/api/v3).")]
    = "https://api.github.com",
    org_id: OrgId = DEFAULT_ORG_ID,
) -> None:
    """Pull requests, reviews, Actions runs, deployments, issues and releases from GitHub (token: GITHUB_TOKEN)."""
    from devhealth.extract.github_pipeline import sync_github as run

    for repo in repos:
        with console.status(f"github {repo}"):
            info = run(repo, since=since, org_id=org_id, incident_label=incident_label, base_url=base_url)
        _report(f"github {repo}", info)


@app.command("gitlab")
def sync_gitlab(
    projects: Annotated[list[str], typer.Option("--project", help="group/name; repeat for several.")],
    since: Since = None,
    base_url: Annotated[str, typer.Option(help="API root of a self-managed instance.")]
    = "https://gitlab.com/api/v4",
    web_host: Annotated[str, typer.Option(help="Host in the projects' clone URLs.")] = "gitlab.com",
    org_id: OrgId = DEFAULT_ORG_ID,
) -> None:
    """Merge requests, approvals, notes, pipelines, deployments, issues and incidents (token: GITLAB_TOKEN)."""
    from devhealth.extract.gitlab_pipeline import sync_gitlab as run

    for project in projects:
        with console.status(f"gitlab {project}"):
            info = run(project, since=since, org_id=org_id, base_url=base_url, web_host=web_host)
        _report(f"gitlab {project}", info)


@app.command("jira")
def sync_jira(
    site: Annotated[str, typer.Option("--site", help="Site root, such as https://acme.atlassian.net.")],
    projects: Annotated[list[str], typer.Option("--project", help="Project key; repeat for several.")],
    since: Since = None,
    story_points_field: Annotated[str, typer.Option(help="Custom field holding story points.")]
    = "customfield_10016",
    incident_type: Annotated[list[str] | None, typer.Option(help="Issue type that is an incident; repeatable.")]
    = None,
    org_id: OrgId = DEFAULT_ORG_ID,
) -> None:
    """Issues, status transitions and incidents from Jira (token: JIRA_API_TOKEN, with JIRA_EMAIL on Cloud)."""
    from devhealth.extract.jira_pipeline import sync_jira as run

    with console.status(f"jira {', '.join(projects)}"):
        info = run(site, projects, since=since, org_id=org_id, story_points_field=story_points_field,
                   incident_types=tuple(incident_type or ("Incident",)))
    _report(f"jira {', '.join(projects)}", info)


@app.command("events")
def sync_events(
    file: Annotated[Path, typer.Option("--file", help="JSON Lines: change, deployment and incident events.")],
    org_id: OrgId = DEFAULT_ORG_ID,
) -> None:
    """Deployments, incidents and changes from any tool, as JSON Lines; a bad line loads nothing."""
    from devhealth.extract.events_pipeline import sync_events as run

    _report(f"events {file}", run(file, org_id=org_id))


@app.command("teams")
def sync_teams() -> None:
    """Export teams, members and identity mappings from the semantic layer to the warehouse (full snapshot)."""
    from devhealth.extract.semantic import semantic_layer
    from devhealth.pipelines import load

    with console.status("semantic layer teams"):
        info = load(semantic_layer(), pipeline_name="semantic", dataset_name="semantic")
    _report("teams", info)
