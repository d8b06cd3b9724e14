"""`UrlTable`: one table when it fits the console; else the table without URLs and each URL whole below it."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from pyserverless.dev.route_table import UrlTable

URL = "https://0dad1e5ab0c2d3e4f5a6b7c8d9e0f1a2.lambda-url.us-east-1.on.aws"
TABLE = UrlTable(
    "Live routes (dev)",
    ("Route", "Visibility", "URL"),
    [
        ("/sms/reply", Text("protected", style="yellow"), f"{URL}/sms/reply"),
        ("/message.txt", "private", "not served over HTTP (Runtime only)"),
    ],
)


def printed(table: UrlTable, width: int) -> list[str]:
    output = io.StringIO()
    Console(file=output, width=width, color_system=None).print(table, crop=False)
    return [line.rstrip() for line in output.getvalue().splitlines()]


def test_a_table_that_fits_keeps_its_url_column() -> None:
    lines = printed(TABLE, 200)
    assert lines[0] == "Live routes (dev)"
    assert any(line.startswith("│ /sms/reply") and f"{URL}/sms/reply │" in line for line in lines)
    assert len(lines) == 7


def test_at_80_columns_each_url_is_printed_whole_below_a_narrower_table() -> None:
    lines = printed(TABLE, 80)
    assert lines == [
        "Live routes (dev)",
        "┏━━━━━━━━━━━━━━┳━━━━━━━━━━━━┓",
        "┃ Route        ┃ Visibility ┃",
        "┡━━━━━━━━━━━━━━╇━━━━━━━━━━━━┩",
        "│ /sms/reply   │ protected  │",
        "│ /message.txt │ private    │",
        "└──────────────┴────────────┘",
        f"/sms/reply  {URL}/sms/reply",
        "/message.txt  not served over HTTP (Runtime only)",
    ]
    assert len(lines[-2]) > 80


def test_another_url_column_is_the_one_left_out() -> None:
    columns = ("Environment", "URL", "Code hash")
    table = UrlTable("Environments", columns, [("dev", URL, "a" * 44)], url_column=1)
    lines = printed(table, 80)
    assert lines[2] == "┃ Environment ┃ Code hash                                    ┃"
    assert lines[-1] == f"dev  {URL}"
