"""Which dlt resources of each provider's source a grouped `devhealth sync <group> --provider P` loads.

The names are the sources' own resource names; a group is loaded with `source.with_resources(*names)`,
so resources outside it keep their incremental cursors untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, get_args

from devhealth.errors import InputError
from devhealth.extract.github.settings import DEFAULT_COMMIT_DETAILS, DEFAULT_INCIDENT_LABEL
from devhealth.extract.jira.settings import DEFAULT_INCIDENT_TYPES, DEFAULT_STORY_POINTS_FIELD

Provider = Literal["github", "gitlab", "jira"]
Group = Literal["prs", "cicd", "deployments", "incidents", "work-items", "git"]

PROVIDERS: Final[tuple[Provider, ...]] = get_args(Provider)
GROUPS: Final[tuple[Group, ...]] = get_args(Group)

# `repositories` rides along with every repository-scoped group: the marts' dim_repos needs one row per repo
RESOURCE_GROUPS: Final[dict[Provider, dict[Group, tuple[str, ...]]]] = {
    "github": {
        "prs": ("repositories", "pull_requests", "pr_reviews", "pr_commits"),
        "cicd": ("repositories", "ci_runs"),
        "deployments": ("repositories", "deployments", "releases"),
        "incidents": ("repositories", "incidents"),
        "work-items": ("repositories", "work_items"),
        # commits for organizations without local clones: a clone of the same repository wins in the marts
        "git": ("repositories", "commits", "commit_files"),
    },
    "gitlab": {
        "prs": ("repositories", "pull_requests", "pr_reviews", "pr_commits"),
        "cicd": ("repositories", "ci_runs"),
        "deployments": ("repositories", "deployments"),
        "incidents": ("repositories", "incidents"),
        "work-items": ("repositories", "work_items"),
        "git": ("repositories", "commits"),
    },
    "jira": {
        "incidents": ("incidents",),
        "work-items": ("work_items", "work_item_transitions"),
    },
}

# what a scope is called on the command line and in sync_configurations.scope_kind
SCOPE_KINDS: Final[dict[Provider, str]] = {"github": "repo", "gitlab": "project", "jira": "project"}


def check_provider(provider: str) -> Provider:
    """`provider` as one of PROVIDERS, or an InputError naming it."""
    if provider not in PROVIDERS:
        raise InputError(f"--provider {provider!r}: expected one of {', '.join(PROVIDERS)}")
    return provider  # type: ignore[return-value]


def groups_of(provider: Provider) -> tuple[Group, ...]:
    return tuple(RESOURCE_GROUPS[provider])


def default_groups(provider: Provider) -> tuple[Group, ...]:
    """What a sync configuration loads when no target is named: all but `git`, which an organization with
    local clones does not want (it reads commits from the clones, with every file's line counts)."""
    return tuple(group for group in groups_of(provider) if group != "git")


def group_resources(provider: str, group: str) -> tuple[str, ...]:
    """The resource names that make up `group` for `provider`, or an InputError naming both."""
    checked = check_provider(provider)
    if group not in GROUPS:
        raise InputError(f"sync group {group!r}: expected one of {', '.join(GROUPS)}")
    resources = RESOURCE_GROUPS[checked].get(group)  # type: ignore[call-overload]
    if resources is None:
        raise InputError(f"sync {group} --provider {checked}: {checked} has no {group} data; "
                         f"it syncs {', '.join(groups_of(checked))}")
    return resources


@dataclass(frozen=True)
class SourceRules:
    """How a source reads the provider's data: which GitHub label and Jira issue types mark incidents, and
    which Jira field holds story points, and for how many GitHub commits per run to read files and line counts
    (one request each). The same for every scope of one grouped sync."""

    incident_label: str = DEFAULT_INCIDENT_LABEL
    incident_types: tuple[str, ...] = DEFAULT_INCIDENT_TYPES
    story_points_field: str = DEFAULT_STORY_POINTS_FIELD
    commit_details: int = DEFAULT_COMMIT_DETAILS
