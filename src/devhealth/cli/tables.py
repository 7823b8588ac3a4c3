"""Rows for a terminal of any width: a table whose cells wrap, never cut, or one block per row when the
columns cannot fit side by side (as psql's expanded display)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

# a plain str is data, printed as written: never read as rich markup
Cell = Text | str

# a value column narrower than this wraps its longest words; names longer than it still fold, never cut
VALUE_WRAP_WIDTH = 16
# rich's table draws a border and one space of padding either side of every cell
CELL_CHROME = 3


def _plain(cell: Cell) -> str:
    return cell.plain if isinstance(cell, Text) else cell


def _text(cell: Cell) -> Text:
    return cell if isinstance(cell, Text) else Text(cell)


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def min_widths(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> list[int]:
    """The narrowest each column can be without breaking a word of its header or cutting a short value."""
    widths = []
    for index, header in enumerate(headers):
        longest_value = max((_longest_word(_plain(row[index])) for row in rows), default=0)
        widths.append(max(_longest_word(header), min(longest_value, VALUE_WRAP_WIDTH)))
    return widths


def fits(headers: Sequence[str], rows: Sequence[Sequence[Cell]], width: int) -> bool:
    return sum(column + CELL_CHROME for column in min_widths(headers, rows)) + 1 <= width


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[Cell]], width: int) -> list[int]:
    """Each column's width: its natural width when all fit, else its minimum plus a share of the room left.

    Rich's own shrinking keeps some columns wider than needed and then crops the table at the terminal's
    edge, so the widths are decided here.
    """
    least = min_widths(headers, rows)
    natural = [max([len(header), *(len(_plain(row[index])) for row in rows)])
               for index, header in enumerate(headers)]
    room = width - CELL_CHROME * len(headers) - 1
    if sum(natural) <= room:
        return natural
    widths = list(least)
    # first whole words, left to right (the leftmost column usually holds the names), then a fair share
    for index, header in enumerate(headers):
        longest = max([_longest_word(header), *(_longest_word(_plain(row[index])) for row in rows)])
        widths[index] += max(0, min(longest - widths[index], room - sum(widths)))
    spare = room - sum(widths)
    wanted = [max(most - now, 0) for most, now in zip(natural, widths, strict=True)]
    return [now + spare * extra // max(sum(wanted), 1) for now, extra in zip(widths, wanted, strict=True)]


def table(headers: Sequence[str], rows: Sequence[Sequence[Cell]], title: str | None = None,
          width: int = 80) -> Table:
    """A rich table within `width` whose columns wrap on words and fold long ones rather than cut them."""
    result = Table(title=title)
    for header, column_width in zip(headers, column_widths(headers, rows, width), strict=True):
        result.add_column(header, overflow="fold", width=column_width)
    for row in rows:
        result.add_row(*map(_text, row))
    return result


def print_rows(console: Console, headers: Sequence[str], rows: Sequence[Sequence[Cell]],
               title: str | None = None) -> None:
    """`rows` as a table when it fits the console, else each row as a block of `header: value` lines."""
    if fits(headers, rows, console.width):
        console.print(table(headers, rows, title, console.width))
        return
    if title:
        console.print(f"[bold]{title}[/]")
    label_width = max(len(header) for header in headers)
    for number, row in enumerate(rows, start=1):
        console.rule(f"row {number}", align="left")
        for header, value in zip(headers, row, strict=True):
            console.print(Text(f"{header.ljust(label_width)} : ") + _text(value), overflow="fold")
