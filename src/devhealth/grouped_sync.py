"""Grouped syncs (`devhealth sync prs|cicd|deployments|incidents|work-items --provider P`).

`plan_group_sync` decides which scopes to load (named on the command line, else the org's enabled sync
configurations) and which resources make up the group; `load_scope` runs one scope's load as a sync run.
Every scope is checked before anything loads, so a typo in the last one costs no partial run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dlt.common.pipeline import LoadInfo
from dlt.common.runtime.collector import Collector
from sqlalchemy import Engine

from devhealth.errors import ConfigError, InputError
from devhealth.extract.resource_groups import (
    SCOPE_KINDS,
    Group,
    Provider,
    SourceRules,
    check_provider,
    group_resources,
)
from devhealth.orgs import OrgRef, configured_scopes, recorded_sync, register_repository


@dataclass(frozen=True)
class ScopeLoad:
    """One load of a grouped sync: a repository or project of one provider, and the resources to read."""

    provider: Provider
    group: Group
    scope: str
    resources: tuple[str, ...]
    configuration_id: int | None = None

    @property
    def label(self) -> str:
        return f"{self.provider} {self.scope}"


def check_scope(provider: Provider, scope: str) -> str:
    """The scope as its source spells it (owner/name, group/name, a Jira key), or a ConfigError naming it."""
    if provider == "github":
        from devhealth.extract.github.helpers import check_repo_name

        return check_repo_name(scope)
    if provider == "gitlab":
        from devhealth.extract.gitlab.helpers import check_project_path

        return check_project_path(scope)
    from devhealth.extract.jira.helpers import check_project_keys

    return check_project_keys([scope])[0]


def _named_scopes(group: str, provider: Provider, repos: Sequence[str], projects: Sequence[str]) -> list[str]:
    if provider == "github" and projects:
        raise InputError(f"sync {group} --provider github: name repositories with --repo owner/name, not --project")
    if provider != "github" and repos:
        raise InputError(f"sync {group} --provider {provider}: name projects with --project, not --repo")
    return list(repos or projects)


def plan_group_sync(org: OrgRef, provider: str, group: str, *, repos: Sequence[str] = (),
                    projects: Sequence[str] = (), engine: Engine | None = None) -> list[ScopeLoad]:
    """The loads of one grouped sync, every scope checked.

    Raises:
        InputError: the provider has no such group, a scope flag does not fit the provider, or no scope is
            named and the org has no enabled sync configuration for this provider and group.
        ConfigError: a scope is malformed.
    """
    resources = group_resources(provider, group)
    checked: Provider = check_provider(provider)
    kind = SCOPE_KINDS[checked]
    named = _named_scopes(group, checked, repos, projects)
    if named:
        scopes = [(check_scope(checked, scope), None) for scope in named]
    else:
        configured = configured_scopes(org, checked, group, engine=engine)
        if not configured:
            flag = "--repo" if checked == "github" else "--project"
            raise InputError(
                f"sync {group} --provider {checked}: organization {org.name} has no enabled {checked} {kind} "
                f"configured for {group}; pass {flag} or add one with `devhealth admin configure-sync --org "
                f"{org.name} --provider {checked} --scope SCOPE --target {group}`")
        scopes = [(check_scope(checked, row.scope), row.configuration_id) for row in configured]
    unique = dict(scopes)
    return [ScopeLoad(checked, group, scope, resources, configuration_id)  # type: ignore[arg-type]
            for scope, configuration_id in unique.items()]


def api_root(provider: Provider, base_url: str | None) -> str:
    """The API root to read from: the provider's public one unless given; Jira has none, its site is required."""
    if base_url:
        return base_url.rstrip("/")
    if provider == "github":
        from devhealth.extract.github.settings import API_URL

        return API_URL
    if provider == "gitlab":
        from devhealth.extract.gitlab.settings import API_URL as GITLAB_API_URL

        return GITLAB_API_URL
    raise ConfigError("--site is required with --provider jira: the Jira site root, such as "
                      "https://acme.atlassian.net")


def load_scope(org: OrgRef, job: ScopeLoad, *, api_root: str, since: str | None = None,
               access_token: str | None = None, web_host: str | None = None,
               progress: Collector | None = None, rules: SourceRules = SourceRules()) -> LoadInfo:
    """Load one scope's resources of the group, recorded as a sync run (linked to its configuration, if any)."""
    from devhealth.pipelines import loaded_rows

    with recorded_sync(org, job.provider, job.scope, configuration_id=job.configuration_id) as record:
        info = _load(org, job, api_root, since, access_token, web_host, progress, rules)
        record.rows_loaded = sum(loaded_rows(info).values())
    if job.provider in ("github", "gitlab"):
        # a GitHub repository or GitLab project scope is a repository the organization now tracks
        register_repository(org, job.provider, job.scope)
    return info


def _load(org: OrgRef, job: ScopeLoad, api_root: str, since: str | None, access_token: str | None,
          web_host: str | None, progress: Collector | None, rules: SourceRules) -> LoadInfo:
    if job.provider == "github":
        from devhealth.extract.github_pipeline import sync_github

        return sync_github(job.scope, since=since, access_token=access_token, org_id=org.id, base_url=api_root,
                           incident_label=rules.incident_label, resources=job.resources, progress=progress,
                           commit_details=rules.commit_details)
    if job.provider == "gitlab":
        from devhealth.extract.gitlab.settings import WEB_HOST
        from devhealth.extract.gitlab_pipeline import sync_gitlab

        return sync_gitlab(job.scope, since=since, access_token=access_token, org_id=org.id, base_url=api_root,
                           web_host=web_host or WEB_HOST, resources=job.resources, progress=progress)
    from devhealth.extract.jira_pipeline import sync_jira

    return sync_jira(api_root, [job.scope], since=since, access_token=access_token, org_id=org.id,
                     story_points_field=rules.story_points_field, incident_types=rules.incident_types,
                     resources=job.resources, progress=progress)
