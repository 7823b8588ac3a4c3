"""Constants for the synthetic organization: default size, planted behaviours, names and rates."""

from datetime import date

DEFAULT_SEED = 7
DEFAULT_TEAMS = 4
DEFAULT_PEOPLE = 24
DEFAULT_REPOS = 8
DEFAULT_DAYS = 90
DEFAULT_COMMITS_PER_DAY = 40
DEFAULT_START = date(2024, 1, 1)
# rows per Arrow batch: bounds memory whatever the size of the organization
BATCH_COMMITS = 50_000

# datasets the synthetic organization loads into: the same ones as the providers it imitates
GIT_DATASET = "git"
GITHUB_DATASET = "github"
JIRA_DATASET = "jira"
EVENTS_DATASET = "events"
SEMANTIC_DATASET = "semantic"
REMOTE_TEMPLATE = "https://github.com/{repo_name}"
ORG_LOGIN = "acme"
EMAIL_DOMAIN = "acme.example"

# planted behaviour the marts must reveal; indices into teams and repos
WEEKEND_TEAM = 0
SLOW_REVIEW_REPO = 1
INCIDENT_PRONE_REPO = 2
GROWING_WIP_TEAM = -1  # the last team

# review delay in hours (slow repo vs the rest), incident odds per successful deployment
REVIEW_HOURS = (1.0, 8.0)
SLOW_REVIEW_HOURS = (48.0, 120.0)
INCIDENT_ODDS = 0.04
INCIDENT_PRONE_ODDS = 0.4
DEPLOY_FAILURE_ODDS = 0.05
CI_FAILURE_ODDS = 0.1
# a run's wait for a runner: its number times this, modulo the longest wait plus one (seconds)
CI_QUEUE_STEP_SECONDS = 37
CI_QUEUE_MAX_SECONDS = 180
# rework (seeds/rework_link_rules.csv): odds that a repository's working day brings a pull request reverting its
# latest change, that such a revert is itself reverted later, and that an incident gets a hotfix deployed at once
REVERT_ODDS = 0.04
REVERT_OF_REVERT_ODDS = 0.5
HOTFIX_ODDS = 0.5
# a hotfix is merged this many hours after its incident opened, and deployed minutes later, before it resolves
HOTFIX_MERGE_HOURS = (0.2, 0.5)
BINARY_FILE_ODDS = 0.03
RENAME_ODDS = 0.05
PR_SIZE = (1, 4)
# a pull request opens in the author's afternoon; its commits fall on the same working day or 1 or 2 before
PR_OPEN_LOCAL_HOURS = (11.0, 17.5)
WORKDAY_LOCAL_HOURS = (9.0, 18.0)
CODING_DAYS_BACK_WEIGHTS = (0.65, 0.25, 0.1)
EVENING_COMMIT_ODDS = 0.1
ROOT_COMMIT_LOCAL_HOUR = 8.5
FILES_PER_COMMIT = (1, 4)
DEPLOY_HOUR_UTC = 16
WORK_ITEMS_PER_TEAM_DAY = 2
WIP_TEAM_WORK_ITEMS_PER_DAY = 4
# chance that an item started by the growing-WIP team is ever finished within the window
WIP_TEAM_FINISH_ODDS = 0.3

TEAM_NAMES = ["Payments", "Platform", "Growth", "Mobile", "Data", "Search", "Identity", "Billing"]
SERVICES = ["checkout", "gateway", "ledger", "web", "ios", "pipeline", "search", "auth", "billing", "notify",
            "catalog", "orders"]
FIRST_NAMES = ["ana", "ben", "chloé", "dev", "eli", "fatima", "goran", "hana", "ivan", "jun", "kofi", "lena",
               "mateo", "nadia", "omar", "priya", "quinn", "rosa", "sven", "tomás", "uma", "viktor", "wei", "yara"]
LAST_NAMES = ["okafor", "schmidt", "garcía", "tanaka", "novak", "haddad", "silva", "kim", "müller", "singh"]
TZ_OFFSETS_MINUTES = [-480, -300, 0, 60, 120, 330]
WORK_ITEM_TYPES = ["story", "bug", "task"]
SEVERITIES = ["sev1", "sev2", "sev3"]
