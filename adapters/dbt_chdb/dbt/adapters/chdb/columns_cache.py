"""The columns of each relation, as dbt-clickhouse's get_columns_in_relation read them, kept for one dbt invocation.

A node asks for its own table's columns three to four times (whether it recomputes everything, when it compiles and
again in its pre-hook; which columns it adds; which columns its insert names), and each ask costs a macro context
of every macro in the project (about 7 ms of Python) plus a system.columns query. A statement that can change a
relation's columns forgets what is kept for every relation it names, and one that works on whole databases
forgets everything; reads, inserts, deletes and truncates change no columns.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from dbt_common.invocation import get_invocation_id

# dbt's query comment and any other leading comments, before the statement's first keyword
_LEADING_COMMENTS = re.compile(r"^\s*(?:(?:/\*.*?\*/|--[^\n]*\n)\s*)*", re.DOTALL)
_KEEPS_COLUMNS = frozenset(("select", "with", "insert", "delete", "truncate", "describe", "desc", "show", "explain",
                            "set", "exists", "optimize", "system", "kill", "check"))
_NAME = re.compile(r"[\w$]+")
_WHOLE_DATABASE = re.compile(r"^(?:create|drop|rename|detach|attach|undrop|exchange)\s+database\b")


class ColumnsCache:
    """Shared by dbt's threads (one adapter): a statement on one thread may change what another read."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._invocation = ""
        self._columns: dict[tuple[str | None, str], list[Any]] = {}

    def get(self, key: tuple[str | None, str]) -> list[Any] | None:
        with self._lock:
            if self._invocation != get_invocation_id():
                return None
            found = self._columns.get(key)
            return None if found is None else list(found)

    def put(self, key: tuple[str | None, str], columns: list[Any]) -> None:
        with self._lock:
            invocation = get_invocation_id()
            if self._invocation != invocation:
                self._invocation, self._columns = invocation, {}
            self._columns[key] = list(columns)

    def statement_ran(self, sql: str) -> None:
        """Forget what `sql` may have changed, once it has run (or failed)."""
        statement = _LEADING_COMMENTS.sub("", sql, count=1).lower()
        words = statement.split(None, 1)
        if words and words[0] in _KEEPS_COLUMNS:
            return
        # every name the statement holds, quoted or not, whole (`x__dbt_new_columns_…` is not `x`): one pass over
        # the statement, which may carry a model's whole SQL, rather than one per kept relation
        named = set(_NAME.findall(statement))
        with self._lock:
            if _WHOLE_DATABASE.match(statement):
                self._columns.clear()
                return
            for key in [key for key in self._columns if _names(statement, named, key[1].lower())]:
                del self._columns[key]


def _names(statement: str, named: set[str], identifier: str) -> bool:
    """Whether the statement names the relation as a whole name; a name with other characters than a word's (a
    quoted `my-table`) is looked for in the text itself."""
    if _NAME.fullmatch(identifier):
        return identifier in named
    return re.search(r"(?<![\w$])" + re.escape(identifier) + r"(?![\w$])", statement) is not None
