"""dlt column hints for the raw contract's shared tables, derived from src/devhealth/extract/raw_contract.yml.

Every source passes these to its resources so that a column absent in a whole load (a provider that
never sends author emails, a run not finished yet) is still created with the contract's type.
"""

from __future__ import annotations

from devhealth.extract.raw_contract import dlt_hints

REPOSITORIES = dlt_hints("repositories")
PULL_REQUESTS = dlt_hints("pull_requests")
PR_REVIEWS = dlt_hints("pr_reviews")
PR_COMMITS = dlt_hints("pr_commits")
CI_RUNS = dlt_hints("ci_runs", "gitlab")
# GitHub workflow runs also carry their creation time and attempt number, which give their queue time
GITHUB_CI_RUNS = dlt_hints("ci_runs", "github")
DEPLOYMENTS = dlt_hints("deployments")
RELEASES = dlt_hints("releases")
INCIDENTS = dlt_hints("incidents")
WORK_ITEMS = dlt_hints("work_items")
WORK_ITEM_TRANSITIONS = dlt_hints("work_item_transitions")
# the API commits (GitHub, GitLab): git's shape plus provider, author_login and line totals
COMMITS = dlt_hints("commits", "github")
COMMIT_FILES = dlt_hints("commit_files", "github")
CHANGES = dlt_hints("changes")
