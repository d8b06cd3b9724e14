"""HTTP dates written and read back exactly as `email.utils` (the reference) does for IMF-fixdate."""

from __future__ import annotations

from email.utils import formatdate

import pytest

from pyserverless.runtime.http_dates import format_http_date, parse_http_date


@pytest.mark.parametrize("timestamp", [0, 784111777, 951782400, 1700000000, 4102444799])
def test_format_matches_email_utils_and_reads_back(timestamp: int) -> None:
    text = format_http_date(timestamp)
    assert text == formatdate(timestamp, usegmt=True)
    assert parse_http_date(text) == timestamp


def test_the_rfc_example() -> None:
    assert format_http_date(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not a date",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 6x Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49 GMT",
        "Sun, 32 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 25:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
    ],
)
def test_anything_else_is_none(text: str) -> None:
    assert parse_http_date(text) is None
