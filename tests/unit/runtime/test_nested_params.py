"""Bracketed query keys nest as Express's qs parser nests them (each expected value is what qs 6 gives)."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyserverless.runtime.event import merge_pairs
from pyserverless.runtime.nested_params import DEPTH, nest_parameters


def nested(query: str) -> dict[str, object]:
    return nest_parameters(merge_pairs(parse_qsl(query, keep_blank_values=True)))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("b[c]=3&arr[]=1&arr[]=2", {"b": {"c": "3"}, "arr": ["1", "2"]}),
        ("a[b]=1&a[b]=2", {"a": {"b": ["1", "2"]}}),
        ("a[1]=y&a[0]=x", {"a": ["x", "y"]}),
        ("a[]=1&a[]=2&a[0]=3", {"a": ["1", "2", "3"]}),
        ("a[][b]=1&a[][b]=2", {"a": [{"b": ["1", "2"]}]}),
        ("a[x]=1&a[]=2", {"a": {"0": "2", "x": "1"}}),
        ("a[]=1&a[b]=2", {"a": {"0": "1", "b": "2"}}),
        ("a=1&a[b]=2", {"a": ["1", {"b": "2"}]}),
        ("a[b]=2&a=1", {"a": [{"b": "2"}, "1"]}),
        ("a[b]=1&a[b][c]=2", {"a": {"b": ["1", {"c": "2"}]}}),
        ("x[]=", {"x": [""]}),
        ("[a]=b", {"a": "b"}),
        ("a[=1", {"a": {"[": "1"}}),
        ("a]=1&b[c]=2", {"a]": "1", "b": {"c": "2"}}),
        ("a[b]c=1", {"a": {"b": "1"}}),
        ("a%5Bb%5D=1", {"a": {"b": "1"}}),
        ("a[01]=x", {"a": {"01": "x"}}),
        ("a[0]x=v&a[0]y=w&a[0]z=u&a[1]=t", {"a": ["v", "w", "u", "t"]}),
    ],
)
def test_bracketed_keys_nest_as_qs_nests_them(query: str, expected: dict[str, object]) -> None:
    assert nested(query) == expected


def test_keys_without_brackets_are_left_as_they_were() -> None:
    query = "From=%2B15550001111&Body=hi&MediaUrl0=x&a=1&a=2"
    assert nested(query) == {"From": "+15550001111", "Body": "hi", "MediaUrl0": "x", "a": ["1", "2"]}


def test_nesting_stops_at_five_levels_and_keeps_the_rest_as_one_name() -> None:
    assert nested("a[b][c][d][e][f][g][h]=i") == {"a": {"b": {"c": {"d": {"e": {"f": {"[g][h]": "i"}}}}}}}


def test_an_index_from_20_up_is_a_dict_key_not_a_long_list() -> None:
    assert nested("a[25]=y") == {"a": {"25": "y"}}
    assert nested("a[0]=x&a[25]=y") == {"a": {"0": "x", "25": "y"}}
    assert nested("a[999999999999]=y") == {"a": {"999999999999": "y"}}
    assert nested("&".join(["a[]=v"] * 20)) == {"a": ["v"] * 20}
    assert nested("&".join(["a[]=v"] * 21)) == {"a": {str(index): "v" for index in range(21)}}


def depth_of(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max((depth_of(item) for item in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth_of(item) for item in value), default=0)
    return 0


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab0129[]=&%", max_size=80))
def test_any_query_nests_boundedly_with_short_lists(query: str) -> None:
    # The result, the parent and five groups are containers, and each level may put a conflict in a list.
    result = nested(query)
    assert depth_of(result) <= 1 + 2 * (DEPTH + 1)

    def short_lists(value: object) -> bool:
        if isinstance(value, dict):
            return all(short_lists(item) for item in value.values())
        if isinstance(value, list):
            return len(value) <= len(query) and all(short_lists(item) for item in value)
        return True

    assert short_lists(result)
