"""Constants for the generic JSON Lines events source."""

import re
from datetime import UTC, datetime, timedelta

DATASET_NAME = "events"
PROVIDER = "events"
# a bare `owner/name` is taken to live on GitHub, so its repo id matches a GitHub or git clone of it
DEFAULT_REPO_HOST = "github.com"
KINDS = ("change", "deployment", "incident")
DEPLOYMENT_STATUSES = ("success", "failure")
SHA = re.compile(r"^[0-9a-fA-F]{40}$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
REPO = re.compile(r"^[\w.-]+(/[\w.-]+)+$")
# the range of times an event may carry (docs/raw_contract.md, "Time that cannot be"): from the Unix epoch
# to now plus a day, which leaves room for clocks that run ahead and for every time zone's "today"
EARLIEST_EVENT_TIME = datetime(1970, 1, 1, tzinfo=UTC)
FUTURE_TOLERANCE = timedelta(days=1)
