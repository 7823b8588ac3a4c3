"""Constants for the Jira Cloud REST source."""

DATASET_NAME = "jira"
PROVIDER = "jira"
SEARCH_PATH = "/rest/api/3/search/jql"
CHANGELOG_PATH = "/rest/api/3/issue/{issue_id}/changelog"
STATUSES_PATH = "/rest/api/3/status"
PAGE_SIZE = 100
DEFAULT_START = "2000-01-01T00:00:00Z"
TOKEN_ENV = "JIRA_API_TOKEN"
EMAIL_ENV = "JIRA_EMAIL"
# Jira Cloud's usual story-points field; sites differ, so it is a source argument
DEFAULT_STORY_POINTS_FIELD = "customfield_10016"
DEFAULT_INCIDENT_TYPES = ("Incident",)
# JQL compares times in the token owner's profile time zone, at minute precision: read a day back, dedup after
JQL_LOOKBACK_HOURS = 24
BASE_FIELDS = ("summary", "issuetype", "status", "assignee", "labels", "created", "updated", "resolutiondate",
               "project", "priority")
STATUS_CATEGORIES = {"new": "todo", "indeterminate": "in_progress", "done": "done", "undefined": "todo"}
