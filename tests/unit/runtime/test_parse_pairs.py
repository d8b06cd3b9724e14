"""`parse_pairs` reads a query or form body exactly as `parse_qsl(text, keep_blank_values=True)` does."""

from __future__ import annotations

import random
from urllib.parse import parse_qsl

from pyserverless.runtime.http import parse_pairs

PIECES = [
    "a",
    "B",
    "=",
    "&",
    "+",
    "%",
    "%2",
    "%20",
    "%26",
    "%3D",
    "%2B",
    "%C3%A9",
    "%FF",
    "%zz",
    "é",
    " ",
    ";",
]


def test_pairs_in_order_with_plus_as_space_escapes_decoded_and_blank_values_kept() -> None:
    assert parse_pairs("a=1&b=x+y&c&d=&a=%C3%A9%26") == [
        ("a", "1"),
        ("b", "x y"),
        ("c", ""),
        ("d", ""),
        ("a", "é&"),
    ]


def test_empty_fields_are_skipped_bad_escapes_kept_and_bad_utf8_replaced() -> None:
    assert parse_pairs("&&x=%zz&&y=%FF&=v&") == [("x", "%zz"), ("y", "\ufffd"), ("", "v")]
    assert parse_pairs("") == []


def test_twenty_thousand_random_strings_read_as_parse_qsl_reads_them() -> None:
    chooser = random.Random(20261206)
    for _ in range(20_000):
        text = "".join(chooser.choice(PIECES) for _ in range(chooser.randrange(0, 14)))
        assert parse_pairs(text) == parse_qsl(text, keep_blank_values=True), text
