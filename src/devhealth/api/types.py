"""Python types for ClickHouse column types: what OpenAPI documents and GraphQL types each column as."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from devhealth.api.catalog import Column, base_type

WIDE_INTS = ("UInt32", "UInt64", "Int64", "UInt128", "Int128", "UInt256", "Int256")


def python_type(column: Column, *, wide_int: Any = int) -> Any:
    """The column's Python type; floats may be null (NaN and infinities are served as null).

    `wide_int` stands for integers that may pass 2**31 (GraphQL's Int is 32-bit; it passes a Long scalar).
    """
    kind = _scalar(base_type(column.type), wide_int)
    return kind | None if column.nullable or kind is float else kind


def _scalar(kind: str, wide_int: Any) -> Any:
    if kind.startswith("Array("):
        inner = base_type(kind[len("Array("):-1])
        item = _scalar(inner, wide_int)
        return list[item | None] if item is float else list[item]  # type: ignore[valid-type]
    if kind in WIDE_INTS:
        return wide_int
    if kind.startswith(("Int", "UInt")):
        return int
    if kind.startswith(("Float", "Decimal")):
        return float
    if kind == "Date" or kind == "Date32":
        return date
    if kind.startswith("DateTime"):
        return datetime
    if kind == "Bool":
        return bool
    return str
