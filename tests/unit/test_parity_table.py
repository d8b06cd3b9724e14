"""docs/runtime.md's parity table names every deliberate difference `bench/parity` may report."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def parity_rows() -> list[str]:
    """The first cell of every row of the table under "## Parity" in docs/runtime.md."""
    text = (ROOT / "docs" / "runtime.md").read_text(encoding="utf-8")
    section = text.split("\n## Parity\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    return [row.split(" | ", 1)[0].removeprefix("| ") for row in rows[1:] if not row.startswith("| ---")]


def bench_parity() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_parity", ROOT / "bench" / "parity.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_every_deliberate_difference_of_the_bench_is_a_row_of_the_parity_table() -> None:
    rows = parity_rows()
    deliberate = {probe.deliberate for probe in bench_parity().PROBES if probe.deliberate}
    assert deliberate, "bench/parity lists no deliberate difference"
    assert sorted(deliberate - set(rows)) == []


def test_the_table_explains_the_differences_described_elsewhere() -> None:
    rows = parity_rows()
    for row in (
        "Visibility marker in a file name",
        "A JSON body that is not an object (`[1,2]`)",
        "Execution limit (also: a handler that never calls back)",
        "`.env` syntax",
    ):
        assert row in rows
