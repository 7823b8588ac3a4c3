"""Constants for the GitHub REST source."""

DATASET_NAME = "github"
PROVIDER = "github"
API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
PAGE_SIZE = 100
DEFAULT_START = "2000-01-01T00:00:00Z"
DEFAULT_INCIDENT_LABEL = "incident"
TOKEN_ENV = "GITHUB_TOKEN"

REPO_PATH = "/repos/{repo}"
PULLS_PATH = "/repos/{repo}/pulls"
PULL_PATH = "/repos/{repo}/pulls/{number}"
REVIEWS_PATH = "/repos/{repo}/pulls/{number}/reviews"
PR_COMMITS_PATH = "/repos/{repo}/pulls/{number}/commits"
RUNS_PATH = "/repos/{repo}/actions/runs"
DEPLOYMENTS_PATH = "/repos/{repo}/deployments"
DEPLOYMENT_STATUSES_PATH = "/repos/{repo}/deployments/{deployment_id}/statuses"
ISSUES_PATH = "/repos/{repo}/issues"
RELEASES_PATH = "/repos/{repo}/releases"

REVIEW_STATES = {"APPROVED": "approved", "CHANGES_REQUESTED": "changes_requested",
                 "COMMENTED": "commented", "DISMISSED": "dismissed"}
# a deployment's outcome is its newest terminal status; `inactive` marks a once-successful deploy superseded
DEPLOYMENT_OUTCOMES = {"success": "success", "inactive": "success", "failure": "failure", "error": "failure"}
RUN_CONCLUSIONS = {"success": "success", "failure": "failure", "cancelled": "cancelled", "timed_out": "failure",
                   "startup_failure": "failure", "skipped": "skipped", "neutral": "neutral",
                   "action_required": "action_required", "stale": "stale"}
SEVERITY_LABEL_PREFIXES = ("severity:", "severity/", "sev:", "sev/")

COMMITS_PATH = "/repos/{repo}/commits"
COMMIT_PATH = "/repos/{repo}/commits/{sha}"
# each commit's files and line counts cost one request: at most this many per run unless the caller asks for more
DEFAULT_COMMIT_DETAILS = 0
# GitHub file statuses as git's --raw letters; `changed` is a mode change, `unchanged` a rename without edits
FILE_CHANGE_TYPES = {"added": "A", "removed": "D", "modified": "M", "renamed": "R", "copied": "C", "changed": "M",
                     "unchanged": "M"}
