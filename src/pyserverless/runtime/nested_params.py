"""Bracketed query keys as nested dicts and lists, the way Express's `qs` parser reads a query string.

`b[c]=3&arr[]=1&arr[]=2` -> `{"b": {"c": "3"}, "arr": ["1", "2"]}`, so a handler ported from a Twilio
Function finds `event["b"]["c"]` where JavaScript found `event.b.c`. Parameters whose keys hold no `[` (all
of Twilio's own) are left exactly as they were.

How it works: `nest_parameters` takes the parameters already grouped by key (a repeated key's values in a
list). Each bracketed key is cut into its parent and at most `DEPTH` bracket groups (`a[b][c]` -> `a`, `[b]`,
`[c]`); what follows the last group read stays one literal name (`a[1][2][3][4][5][6]` ends in `[6]`, the
name `"[6]"`). From the leaf up, `[]` makes a list of the values, `[n]` (a plain number below `LIST_LIMIT`)
an entry of a list, any other `[name]` an entry of a dict; lists are held as `_Indexed` ({index: value})
while building, so `a[1]=y&a[0]=x` sorts into `["x", "y"]`. Each key's tree is merged into the result: two
dicts merge key by key, two lists index by index (an index already taken appends), a list meeting a dict
becomes a dict keyed by its indexes, and a value meeting anything else is kept beside it in a list. At the
end a list whose indexes reach `LIST_LIMIT` becomes a dict keyed by the indexes as text. The limits are
qs's defaults, and they keep hostile input cheap: nothing nests past 5 levels and no index allocates a long
list, so the work is linear in the length of the query (how many parameters a request may carry is the
transport's limit, not this module's).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

DEPTH = 5
LIST_LIMIT = 20


class _Indexed(dict[int, Any]):
    """A list while it is being built: its items by index, and the index after the last one."""

    def __init__(self, items: Iterable[tuple[int, Any]] | Mapping[int, Any] = ()) -> None:
        super().__init__(items)
        self.next_index = max(self, default=-1) + 1

    def __setitem__(self, index: int, item: Any) -> None:
        super().__setitem__(index, item)
        self.next_index = max(self.next_index, index + 1)

    def append(self, item: Any) -> None:
        self[self.next_index] = item


def nest_parameters(grouped: Mapping[str, str | list[str]]) -> dict[str, Any]:
    """The parameters with their bracketed keys nested; see the module docstring."""
    if not any("[" in key for key in grouped):
        return dict(grouped)
    result: dict[str, Any] = {}
    for key, value in grouped.items():
        result = _merge(result, _tree(_segments(key), value) if "[" in key else {key: value})
    finished: dict[str, Any] = _finished(result)
    return finished


def _segments(key: str) -> list[str]:
    """`a[b][]` -> `["a", "[b]", "[]"]`: the parent (if any), at most DEPTH bracket groups, the rest."""
    opening = key.index("[")
    segments = [key[:opening]] if opening else []
    groups = 0
    while opening >= 0 and groups < DEPTH:
        closing = _closing_bracket(key, opening)
        if closing < 0:  # an unclosed group stays one literal name
            segments.append(f"[{key[opening:]}]")
            return segments
        segments.append(key[opening : closing + 1])
        groups += 1
        opening = key.find("[", closing + 1)
    if opening >= 0:
        segments.append(f"[{key[opening:]}]")
    return segments


def _closing_bracket(key: str, opening: int) -> int:
    """The index of the `]` that closes the `[` at `opening` (nested pairs balanced), or -1."""
    level = 0
    for index in range(opening, len(key)):
        if key[index] == "[":
            level += 1
        elif key[index] == "]":
            level -= 1
            if level == 0:
                return index
    return -1


def _tree(segments: list[str], value: str | list[str]) -> dict[str, Any] | _Indexed:
    """The nested containers `segments` name, with `value` at the leaf."""
    node: Any = _Indexed(enumerate(value)) if isinstance(value, list) else value
    for segment in reversed(segments):
        if segment == "[]":
            items = node if isinstance(node, _Indexed) else {0: node}
            node = _Indexed(enumerate(items.values()))
            continue
        bracketed = segment.startswith("[") and segment.endswith("]")
        name = segment[1:-1] if bracketed else segment
        if bracketed and name.isascii() and name.isdigit() and str(int(name)) == name:
            node = _Indexed({int(name): node})
        else:
            node = {name: node}
    tree: dict[str, Any] | _Indexed = node
    return tree


def _merge(target: Any, source: Any) -> Any:
    """`source` merged into `target` (which may be changed), as qs merges two parsed parameters."""
    if isinstance(target, _Indexed) and isinstance(source, _Indexed):
        for index, item in source.items():
            if index not in target:
                target[index] = item
            elif isinstance(target[index], dict) and isinstance(item, dict):
                target[index] = _merge(target[index], item)
            else:
                target.append(item)
        return target
    if isinstance(target, dict) and isinstance(source, dict):
        merged = _keyed_by_text(target)
        for key, item in _keyed_by_text(source).items():
            merged[key] = _merge(merged[key], item) if key in merged else item
        return merged
    if isinstance(target, _Indexed):
        target.append(source)
        return target
    if isinstance(source, _Indexed):
        return _Indexed(enumerate([target, *(source[index] for index in sorted(source))]))
    return _Indexed({0: target, 1: source})


def _keyed_by_text(container: dict[Any, Any]) -> dict[str, Any]:
    """A dict as it is, a list being built as a dict keyed by its indexes written as text."""
    if isinstance(container, _Indexed):
        return {str(key): item for key, item in container.items()}
    return container


def _finished(value: Any) -> Any:
    """Lists being built as lists (or dicts, past LIST_LIMIT), recursively."""
    if isinstance(value, _Indexed):
        indexes = sorted(value)
        if indexes and indexes[-1] >= LIST_LIMIT:
            return {str(index): _finished(value[index]) for index in indexes}
        return [_finished(value[index]) for index in indexes]
    if isinstance(value, dict):
        return {key: _finished(item) for key, item in value.items()}
    return value
