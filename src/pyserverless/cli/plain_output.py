"""Output without rich, for the commands that finish in a blink: `--json` documents, panels and tables.

`init`, `new` and `list-templates` take about a tenth of a second; importing rich and laying their output out
with it added about 40 ms of CPU to each (bench/help_speed). They draw it here instead, in rich's look: a
rounded panel with its title in the top border, a table with a heavy header. A line is a list of spans, each a
text and its style (SGR parameters: "1" bold, "36" cyan, "" none); lines wider than the terminal (`COLUMNS`
first) are wrapped at spaces, widths counted in terminal cells (East Asian wide characters take two). Colours
are written only to a terminal, and as rich decides: never with `NO_COLOR` or `TERM=dumb`, always with
`FORCE_COLOR`. Every other command prints with rich (`cli/output.py`).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import textwrap
import unicodedata
from typing import Any, TextIO

Span = tuple[str, str]
Line = list[Span]

BOLD, ITALIC, GREEN, YELLOW, CYAN = "1", "3", "32", "33", "36"


def print_json(data: Any) -> None:
    """Machine-readable output for `--json`: one JSON document on stdout, nothing else."""
    print(json.dumps(data, indent=2, sort_keys=True, default=str))


def print_lines(lines: list[Line], stream: TextIO | None = None) -> None:
    """Write `lines` to `stream` (stdout), coloured when it is a terminal that shows colours."""
    out = stream if stream is not None else sys.stdout
    colour = colours_shown(out)
    out.write("".join(_render(line, colour) + "\n" for line in lines))
    out.flush()


def colours_shown(stream: TextIO) -> bool:
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR") or os.environ.get("TERM", "").lower() in ("dumb", "unknown"):
        return False
    return stream.isatty()


def terminal_width() -> int:
    return shutil.get_terminal_size().columns


def cell_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def line_width(line: Line) -> int:
    return sum(cell_width(text) for text, _ in line)


def wrap(text: str, width: int, style: str = "") -> list[Line]:
    """`text` wrapped at spaces to `width` cells, each of its own lines kept (an empty one too)."""
    lines: list[Line] = []
    for part in text.split("\n"):
        pieces = (
            textwrap.wrap(part, max(width, 1), break_on_hyphens=False) if cell_width(part) > width else []
        )
        lines += [[(piece, style)] for piece in pieces or [part]]
    return lines


def panel(title: str, body: list[Line], border: str, width: int) -> list[Line]:
    """`body` in a rounded box as wide as it needs (at most `width`), `title` in the top border."""
    inner = max([line_width(line) for line in body] + [cell_width(title) + 2])
    inner = min(inner, width - 4)
    fitted = [part for line in body for part in _fit(line, inner)]
    top = [("╭─ ", border), (title, ""), (" " + "─" * max(inner - cell_width(title) - 1, 0) + "╮", border)]
    rows = [[("│ ", border), *line, (" " * (inner - line_width(line)) + " │", border)] for line in fitted]
    return [top, *rows, [("╰" + "─" * (inner + 2) + "╯", border)]]


def table(title: str, headers: list[str], rows: list[list[str]], styles: list[str], width: int) -> list[Line]:
    """A table with `title` above it: a heavy header, then each row, its cells wrapped to their column.

    Each column starts as wide as its widest line; while the table is wider than `width`, the widest column
    but the first gives up a cell (none below 10).
    """
    columns = zip(headers, *rows, strict=True)
    widths = [max(cell_width(line) for cell in column for line in cell.split("\n")) for column in columns]
    while sum(widths) + 3 * len(widths) + 1 > width and max(widths[1:]) > 10:
        widths[max(range(1, len(widths)), key=lambda index: widths[index])] -= 1
    lines: list[Line] = [[(title, ITALIC)], _rule("┏━┳┓", widths)]
    lines += _row(
        [wrap(header, size, BOLD) for header, size in zip(headers, widths, strict=True)], widths, "┃"
    )
    lines.append(_rule("┡━╇┩", widths))
    for cells in rows:
        wrapped = [wrap(cell, size, style) for cell, size, style in zip(cells, widths, styles, strict=True)]
        lines += _row(wrapped, widths, "│")
    lines.append(_rule("└─┴┘", widths))
    return lines


def _row(cells: list[list[Line]], widths: list[int], edge: str) -> list[Line]:
    """The lines of one table row: each cell's lines side by side, padded to its column's width."""
    lines: list[Line] = []
    for index in range(max(len(cell) for cell in cells)):
        line: Line = [(edge, "")]
        for cell, size in zip(cells, widths, strict=True):
            part = cell[index] if index < len(cell) else []
            line += [(" ", ""), *part, (" " * (size - line_width(part)) + f" {edge}", "")]
        lines.append(line)
    return lines


def _rule(glyphs: str, widths: list[int]) -> Line:
    """A border line: `glyphs` are its left end, its line, the joint between columns and its right end."""
    left, rule, joint, right = glyphs[0], glyphs[1], glyphs[2], glyphs[3]
    return [(left + joint.join(rule * (size + 2) for size in widths) + right, "")]


def _fit(line: Line, width: int) -> list[Line]:
    """`line` as it is when it fits in `width`, else its text wrapped, in the style of its last span."""
    if line_width(line) <= width:
        return [line]
    return wrap("".join(text for text, _ in line), width, line[-1][1])


def _render(line: Line, colour: bool) -> str:
    if not colour:
        return "".join(text for text, _ in line)
    return "".join(f"\x1b[{style}m{text}\x1b[0m" if style and text else text for text, style in line)
