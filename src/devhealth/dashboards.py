"""Expands Grafana ClickHouse-datasource queries the way the datasource does, so every panel can be
run and checked outside Grafana (tests, `bench/panels.py`).

Covers the official plugin's macros ($__timeFilter, $__timeFilter_ms, $__dateFilter, $__fromTime,
$__toTime and their _ms forms, $__interval_s, $__timeInterval, $__conditionalAll) and Grafana's
variable interpolation ($var, ${var}, ${var:singlequote|sqlstring|csv|raw}), including multi-value
variables and "All".
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ALL = "$__all"
_VARIABLE = re.compile(r"\$\{(?P<braced>\w+)(?::(?P<format>\w+))?\}|\$(?P<plain>(?!__)\w+)")
_FUNCTION_MACRO = re.compile(r"\$__(?P<name>timeFilter_ms|timeFilter|dateFilter|timeInterval)\(")


@dataclass(frozen=True)
class TimeRange:
    start: datetime
    end: datetime

    @property
    def start_s(self) -> int:
        return int(self.start.timestamp())

    @property
    def end_s(self) -> int:
        return int(self.end.timestamp())


@dataclass(frozen=True)
class Panel:
    dashboard: str
    title: str
    sql: str
    format: str
    columns: tuple[str, ...] = field(default_factory=tuple)
    # a key panel must return rows on a populated organization, not merely succeed
    key: bool = False
    type: str = ""


def _balanced_arguments(text: str, start: int, quote_aware: bool = True) -> tuple[list[str], int]:
    """Split the arguments of a macro call whose '(' ends at `start`; return them and the index after ')'.

    The plugin's frontend splits $__conditionalAll's arguments on brackets and commas only, blind to quotes
    (`quote_aware=False`), so a quoted comma there breaks the macro in Grafana too.
    """
    depth, current, arguments = 1, [], []
    index = start
    quote: str | None = None
    while index < len(text):
        char = text[index]
        if quote:
            current.append(char)
            if char == quote:
                quote = None
        elif char in "'\"" and quote_aware:
            quote = char
            current.append(char)
        elif char == "(":
            depth += 1
            current.append(char)
        elif char == ")":
            depth -= 1
            if depth == 0:
                arguments.append("".join(current).strip())
                return arguments, index + 1
            current.append(char)
        elif char == "," and depth == 1:
            arguments.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        index += 1
    raise ValueError(f"unbalanced macro call near: {text[start - 20:start + 40]!r}")


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class Interpolator:
    """Grafana's variable substitution, given the dashboard's variables and the user's selection."""

    def __init__(self, selected: Mapping[str, str | Sequence[str]], options: Mapping[str, Sequence[str]],
                 all_values: Mapping[str, str | None]) -> None:
        self.selected = selected
        self.options = options
        self.all_values = all_values

    def values(self, name: str) -> list[str]:
        chosen = self.selected.get(name, "")
        chosen_list = [chosen] if isinstance(chosen, str) else list(chosen)
        if ALL in chosen_list:
            return list(self.options.get(name, []))
        return chosen_list

    def is_all(self, name: str) -> bool:
        chosen = self.selected.get(name, "")
        return chosen == ALL or (not isinstance(chosen, str) and ALL in chosen)

    def is_all_or_empty(self, name: str) -> bool:
        """$__conditionalAll's test: the variable's current value, joined, is '' or '$__all'."""
        chosen = self.selected.get(name, "")
        joined = chosen if isinstance(chosen, str) else ",".join(chosen)
        return joined in ("", ALL)

    def render(self, name: str, fmt: str | None) -> str:
        if self.is_all(name) and self.all_values.get(name) is not None:
            return str(self.all_values[name])
        values = self.values(name)
        if fmt in ("raw", "csv"):
            return ",".join(values)
        if fmt == "singlequote":
            return ",".join(_quote(value) for value in values)
        if fmt == "sqlstring":
            return ",".join("'" + value.replace("'", "''") + "'" for value in values)
        chosen = self.selected.get(name, "")
        if isinstance(chosen, str) and not self.is_all(name):
            return chosen
        # the datasource's own formatter for multi-value selections: quoted, joined, not escaped
        return "'" + "','".join(values) + "'"

    def substitute(self, sql: str) -> str:
        def replace(match: re.Match[str]) -> str:
            name = match.group("braced") or match.group("plain")
            if name not in self.selected and name not in self.options:
                return match.group(0)
            return self.render(name, match.group("format"))

        return _VARIABLE.sub(replace, sql)


def expand(sql: str, time_range: TimeRange, interpolator: Interpolator, interval_s: int = 86_400) -> str:
    """The SQL the datasource would send to ClickHouse for this panel query."""
    sql = _expand_function_macros(sql, time_range, interpolator, interval_s)
    sql = sql.replace("$__fromTime_ms", f"fromUnixTimestamp64Milli({time_range.start_s * 1000})")
    sql = sql.replace("$__toTime_ms", f"fromUnixTimestamp64Milli({time_range.end_s * 1000})")
    sql = sql.replace("$__fromTime", f"toDateTime({time_range.start_s})")
    sql = sql.replace("$__toTime", f"toDateTime({time_range.end_s})")
    sql = sql.replace("$__interval_s", str(interval_s))
    return interpolator.substitute(sql)


def _expand_conditional_all(sql: str, interpolator: Interpolator) -> str:
    """The frontend expands $__conditionalAll before interpolation, last occurrence first; at a call without
    exactly two arguments it stops, leaving that call and those before it as written (they then fail as SQL)."""
    macro = "$__conditionalAll("
    search_end = len(sql)
    while (index := sql.rfind(macro, 0, search_end)) != -1:
        arguments, end = _balanced_arguments(sql, index + len(macro), quote_aware=False)
        search_end = index
        if len(arguments) != 2:
            return sql
        variable = re.search(r"(?<=\$\{)\w+(?=\})|(?<=\$)\w+", arguments[1])
        text = "1=1" if variable and interpolator.is_all_or_empty(variable.group(0)) else arguments[0]
        sql = sql[:index] + text + sql[end:]
    return sql


def _expand_function_macros(sql: str, time_range: TimeRange, interpolator: Interpolator, interval_s: int) -> str:
    sql = _expand_conditional_all(sql, interpolator)
    while match := _FUNCTION_MACRO.search(sql):
        arguments, end = _balanced_arguments(sql, match.end())
        name = match.group("name")
        if name == "timeFilter":
            column = arguments[0]
            text = f"{column} >= toDateTime({time_range.start_s}) AND {column} <= toDateTime({time_range.end_s})"
        elif name == "timeFilter_ms":
            column = arguments[0]
            text = (f"{column} >= fromUnixTimestamp64Milli({time_range.start_s * 1000}) AND "
                    f"{column} <= fromUnixTimestamp64Milli({time_range.end_s * 1000})")
        elif name == "dateFilter":
            column = arguments[0]
            start, end_day = time_range.start.date().isoformat(), time_range.end.date().isoformat()
            text = f"{column} >= toDate('{start}') AND {column} <= toDate('{end_day}')"
        else:  # timeInterval
            text = f"toStartOfInterval(toDateTime({arguments[0]}), INTERVAL {interval_s} second)"
        sql = sql[: match.start()] + text + sql[end:]
    return sql


def load_dashboards(folder: Path) -> Iterator[dict]:
    for path in sorted(folder.glob("*.json")):
        yield json.loads(path.read_text())


def panels(dashboard: dict) -> Iterator[Panel]:
    """Every SQL query target of every panel (rows included), with the columns the panel reads."""
    stack = list(dashboard.get("panels", []))
    while stack:
        panel = stack.pop(0)
        stack.extend(panel.get("panels", []))
        for target in panel.get("targets", []):
            sql = target.get("rawSql")
            if not sql:
                continue
            recorded = panel.get("devhealth", {})
            columns = tuple(recorded.get("columns", []))
            fmt = {0: "time_series", 1: "table"}.get(target.get("format"), str(target.get("format", "table")))
            yield Panel(dashboard["title"], panel.get("title", ""), sql, fmt, columns, bool(recorded.get("key_panel")),
                        panel.get("type", ""))


def variable_queries(dashboard: dict) -> Iterator[tuple[str, str, str | None]]:
    """(name, query, allValue) of each query variable."""
    for variable in dashboard.get("templating", {}).get("list", []):
        if variable.get("type") == "query":
            query = variable.get("query")
            sql = query.get("rawSql") if isinstance(query, dict) else query
            yield variable["name"], sql, variable.get("allValue")


def default_range(days: int = 90, now: datetime | None = None) -> TimeRange:
    from datetime import timedelta

    end = now or datetime.now(UTC)
    return TimeRange(end - timedelta(days=days), end)


def custom_options(variable: dict) -> list[str]:
    """The values of a custom variable, from its options, else its comma-separated query."""
    options = [str(option["value"]) for option in variable.get("options", [])]
    return options or [value.strip() for value in str(variable.get("query", "")).split(",") if value.strip()]


def option_choices(rows: Sequence[Sequence[object]]) -> list[tuple[str, str]]:
    """(value, text) of each option a variable query returns, as the plugin's metricFindQuery reads the result:
    one column is both; with more, the first column is the value and the second the text shown. The plugin
    goes by position, not by column names such as `__text`/`__value` (grafana/clickhouse-datasource,
    src/data/CHDatasource.ts, and its docs/sources/template-variables.md)."""
    return [(str(row[0]), str(row[1] if len(row) > 1 else row[0])) for row in rows]


def variable_choices(dashboard: dict, selected: Mapping[str, str | Sequence[str]], time_range: TimeRange,
                     run: Callable[[str], Sequence[Sequence[object]]]) -> dict[str, list[tuple[str, str]]]:
    """Each variable's options as (value, text), queried in dashboard order as Grafana refreshes them,
    so a chained variable (repo from team) sees the selection of the variables before it."""
    choices: dict[str, list[tuple[str, str]]] = {}
    allowed = all_values(dashboard)
    for variable in dashboard.get("templating", {}).get("list", []):
        if variable.get("type") == "custom":
            choices[variable["name"]] = [(value, value) for value in custom_options(variable)]
    for name, sql, _ in variable_queries(dashboard):
        values = {key: [value for value, _ in pairs] for key, pairs in choices.items()}
        rendered = expand(sql, time_range, Interpolator(selected, values, allowed))
        choices[name] = option_choices(run(rendered))
    return choices


def variable_options(dashboard: dict, selected: Mapping[str, str | Sequence[str]], time_range: TimeRange,
                     run: Callable[[str], Sequence[Sequence[object]]]) -> dict[str, list[str]]:
    """Each variable's option values (what queries receive), as `variable_choices` finds them."""
    return {name: [value for value, _ in pairs]
            for name, pairs in variable_choices(dashboard, selected, time_range, run).items()}


def all_values(dashboard: dict) -> dict[str, str | None]:
    return {variable["name"]: variable.get("allValue") for variable in dashboard.get("templating", {}).get("list", [])}


_TABLE_READ = re.compile(r"\b(?:from|join)\s+(?P<table>[A-Za-z_][\w.]*)", re.IGNORECASE)
_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)


def tables_read(sql: str) -> set[str]:
    """The tables a query names after FROM or JOIN (subqueries excluded, comments ignored), as written."""
    return {match.group("table") for match in _TABLE_READ.finditer(_COMMENT.sub(" ", sql))}
