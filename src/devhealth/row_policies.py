"""ClickHouse row policies that confine each organization's BI role to its own rows of the marts.

The SQL is written by the dbt operation `create_org_row_policies` (macros/row_policies/); this module
calls it for the semantic layer's organizations and collects the statements it logged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from dbt_common.events.base_types import EventMsg

from devhealth.errors import BuildError, ConfigError, DevhealthError, InputError
from devhealth.orgs import OrgRef

BI_ROLE = "devhealth_bi"
STATEMENT_PREFIX = "row policy sql: "
_ROLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_POLICY = re.compile(r"^create row policy if not exists \S+(?: on cluster \S+)? on (?P<table>\S+) "
                     r"for select using (?P<filter>.+) to (?P<role>\S+)$")


@dataclass(frozen=True)
class OrgPolicy:
    """One organization's row policy on one mart, read back from its SQL."""

    table: str
    filter: str
    role: str


def org_role(org: OrgRef, bi_role: str = BI_ROLE) -> str:
    """The read-only role whose users see only `org`'s rows: `devhealth_bi_org_<id>`."""
    return f"{bi_role}_org_{org.id}"


def create_row_policies(orgs: Sequence[OrgRef], bi_role: str = BI_ROLE, *, dry_run: bool = False) -> list[str]:
    """Create (or with `dry_run` only render) each org's role, grants and row policies; returns the SQL.

    Raises:
        ConfigError: the role name is not a plain identifier, or the warehouse has no access control.
        InputError: an organization id is not the semantic layer's (digits).
        BuildError: the warehouse refused a statement.
    """
    from devhealth import dbt

    if not _ROLE.match(bi_role):
        raise ConfigError(f"--bi-role {bi_role!r}: use letters, digits and '_' only")
    statements: list[str] = []
    errors: list[str] = []

    def collect(event: EventMsg) -> None:
        message = event.info.msg or ""
        if event.info.name == "JinjaLogInfo" and message.startswith(STATEMENT_PREFIX):
            statements.append(message.removeprefix(STATEMENT_PREFIX))
        elif event.info.level == "error":
            errors.append(message)

    arguments = {"orgs": [org.id for org in orgs], "bi_role": bi_role, "dry_run": dry_run}
    # dbt's own printing is off: the statements and the one-line error are reported from here
    result = dbt.invoke(["run-operation", "create_org_row_policies", "--args", json.dumps(arguments),
                         "--log-level", "none"], callbacks=[collect])
    if not result.success:
        raise _operation_error(errors, executed=len(statements))
    return statements


def _operation_error(errors: list[str], executed: int) -> DevhealthError:
    # dbt's message opens with "Encountered an error..." and ends with the macro call stack
    lines = [line.strip() for message in errors for line in message.splitlines()[1:]]
    reason = " ".join(line for line in lines if line and not line.startswith(">")) or "see the dbt log"
    if "access control" in reason:
        return ConfigError(f"create row policies: {reason}")
    if reason.startswith("row policies:"):  # the macros refused an argument
        return InputError(f"create {reason}")
    return BuildError(f"create row policies failed after {max(executed - 1, 0)} statements: {reason}")


def org_policies(statements: Sequence[str]) -> list[OrgPolicy]:
    """The per-organization row policies among `statements`: the table, filter and role of each."""
    return [OrgPolicy(match["table"], match["filter"], match["role"])
            for statement in statements if (match := _POLICY.match(statement))]
