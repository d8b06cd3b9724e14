"""Panels, tables and file trees drawn without rich: exact lines, wrapped to the width, coloured if shown."""

from __future__ import annotations

import io

import pytest

from pyserverless.cli.file_tree import file_tree
from pyserverless.cli.plain_output import (
    BOLD,
    CYAN,
    GREEN,
    Line,
    cell_width,
    colours_shown,
    panel,
    print_lines,
    table,
    wrap,
)


def plain(lines: list[Line]) -> list[str]:
    return ["".join(text for text, _ in line) for line in lines]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_panel_is_as_wide_as_its_widest_line_and_its_title() -> None:
    assert plain(panel("Done", [[("a line of text", "")], [], [("b", BOLD)]], GREEN, 80)) == [
        "╭─ Done ─────────╮",
        "│ a line of text │",
        "│                │",
        "│ b              │",
        "╰────────────────╯",
    ]
    assert plain(panel("A longer title", [[("ab", "")]], GREEN, 80)) == [
        "╭─ A longer title ─╮",
        "│ ab               │",
        "╰──────────────────╯",
    ]


def test_a_panel_wraps_what_is_wider_than_the_terminal() -> None:
    assert plain(panel("T", [[("one two three four", "")]], GREEN, 14)) == [
        "╭─ T ────────╮",
        "│ one two    │",
        "│ three four │",
        "╰────────────╯",
    ]


def test_a_table_gives_up_width_from_its_widest_column_but_the_first() -> None:
    rows = [["name", "a description that is long", "x\ny"], ["n2", "short", "nothing"]]
    assert plain(table("Group", ["Name", "Description", "Needs"], rows, [CYAN, "", ""], 36)) == [
        "Group",
        "┏━━━━━━┳━━━━━━━━━━━━━━━━━┳━━━━━━━━━┓",
        "┃ Name ┃ Description     ┃ Needs   ┃",
        "┡━━━━━━╇━━━━━━━━━━━━━━━━━╇━━━━━━━━━┩",
        "│ name │ a description   │ x       │",
        "│      │ that is long    │ y       │",
        "│ n2   │ short           │ nothing │",
        "└──────┴─────────────────┴─────────┘",
    ]


def test_wrap_keeps_short_and_empty_lines() -> None:
    assert wrap("a b c\n\nd", 3, BOLD) == [[("a b", BOLD)], [("c", BOLD)], [("", BOLD)], [("d", BOLD)]]


def test_wide_characters_take_two_cells() -> None:
    assert cell_width("日本abc") == 7


def test_the_file_tree_lists_subfolders_before_files() -> None:
    assert plain(
        file_tree("demo", ["b.txt", "functions/sms/reply.py", "functions/a.py", "assets/x.css"])
    ) == [
        "demo/",
        "├── assets/",
        "│   └── x.css",
        "├── functions/",
        "│   ├── sms/",
        "│   │   └── reply.py",
        "│   └── a.py",
        "└── b.txt",
    ]


def test_colours_go_to_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FORCE_COLOR", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    terminal, pipe = Terminal(), io.StringIO()
    print_lines([[("Next:", BOLD), (" go", "")]], terminal)
    print_lines([[("Next:", BOLD), (" go", "")]], pipe)
    assert terminal.getvalue() == "\x1b[1mNext:\x1b[0m go\n"
    assert pipe.getvalue() == "Next: go\n"


@pytest.mark.parametrize(
    ("variables", "terminal", "shown"),
    [
        ({"NO_COLOR": "1"}, True, False),
        ({"TERM": "dumb"}, True, False),
        ({"FORCE_COLOR": "1"}, False, True),
        ({}, True, True),
        ({}, False, False),
    ],
)
def test_colour_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], terminal: bool, shown: bool
) -> None:
    for name in ("FORCE_COLOR", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert colours_shown(Terminal() if terminal else io.StringIO()) is shown
