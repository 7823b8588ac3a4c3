"""Constants for the GitLab REST source."""

DATASET_NAME = "gitlab"
PROVIDER = "gitlab"
API_URL = "https://gitlab.com/api/v4"
WEB_HOST = "gitlab.com"
PAGE_SIZE = 100
DEFAULT_START = "2000-01-01T00:00:00Z"
TOKEN_ENV = "GITLAB_TOKEN"

PROJECT_PATH = "/projects/{project}"
MERGE_REQUESTS_PATH = "/projects/{project}/merge_requests"
APPROVALS_PATH = "/projects/{project}/merge_requests/{iid}/approvals"
NOTES_PATH = "/projects/{project}/merge_requests/{iid}/notes"
MR_COMMITS_PATH = "/projects/{project}/merge_requests/{iid}/commits"
PIPELINES_PATH = "/projects/{project}/pipelines"
DEPLOYMENTS_PATH = "/projects/{project}/deployments"
ISSUES_PATH = "/projects/{project}/issues"

MR_STATES = {"opened": "open", "closed": "closed", "merged": "merged", "locked": "open"}
ISSUE_STATES = {"opened": "open", "closed": "closed"}
PIPELINE_CONCLUSIONS = {"success": "success", "failed": "failure", "canceled": "cancelled", "skipped": "skipped"}
DEPLOYMENT_OUTCOMES = {"success": "success", "failed": "failure", "canceled": "cancelled", "blocked": "blocked"}
# system notes GitLab writes on review actions, matched on their opening words
APPROVAL_NOTE = "approved this merge request"
CHANGES_REQUESTED_NOTE = "requested changes"
COMMITS_PATH = "/projects/{project}/repository/commits"
