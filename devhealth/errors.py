"""The one family of user-facing errors; the CLI boundary prints them as a single line."""


class DevhealthError(Exception):
    """An error a user can act on; its message names the input at fault."""


class ConfigError(DevhealthError, ValueError):
    """A setting (environment variable, URI, option) is missing or malformed."""


class InputError(DevhealthError, ValueError):
    """An input file, path or repository cannot be read as asked."""


class BuildError(DevhealthError):
    """dbt reported a failing model or test."""


class WarehouseError(DevhealthError):
    """The warehouse rejected a statement or could not be reached."""


class ProviderError(DevhealthError):
    """A provider API (GitHub, GitLab, Jira) refused or garbled a request; the message names which."""
