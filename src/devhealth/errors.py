"""The one family of user-facing errors; the CLI boundary prints them as a single line."""

import re

_PASSWORD_IN_URI = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s]*@", re.IGNORECASE)


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


def mask_secrets(text: str) -> str:
    """Hide passwords in any URI inside `text`."""
    return _PASSWORD_IN_URI.sub(lambda m: f"{m.group('scheme')}***@", text)


def one_line(error: BaseException) -> str:
    """The error's message on one line, passwords masked: what the CLI prints and sync runs record."""
    message = " ".join(str(error).split()) or type(error).__name__
    return mask_secrets(message)


def dlt_setting_error(error: BaseException, section: str, fields: tuple[str, ...] = ()) -> ConfigError | None:
    """dlt's "cannot be coerced" for one of its own `[section]` settings (any, or one of `fields`), as one
    line naming the variable to fix."""
    from dlt.common.configuration.exceptions import ConfigValueCannotBeCoercedException

    from devhealth.unreachable import error_chain

    for link in error_chain(error):
        if isinstance(link, ConfigValueCannotBeCoercedException) and (not fields or link.field_name in fields):
            variable = f"{section}__{link.field_name}".upper()
            expected = getattr(link.hint, "__name__", str(link.hint))
            return ConfigError(f"{variable}={link.field_value!r}: expected {expected} "
                               f"(dlt's {section}.{link.field_name})")
    return None
