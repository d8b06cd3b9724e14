"""`find_root`: the nearest folder at or above the start that holds functions/ or assets/."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyserverless.errors import UserError
from pyserverless.project.folder import find_root
from tests.support.project_files import write_files


@pytest.mark.parametrize("marker", ["functions/a.py", "assets/a.txt"])
def test_the_start_folder_itself(tmp_path: Path, marker: str) -> None:
    write_files(tmp_path, marker)
    assert find_root(tmp_path) == tmp_path.resolve()


def test_a_folder_inside_the_project_finds_the_project(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/sms/reply.py", "tests/test_x.py")
    assert find_root(tmp_path / "functions" / "sms") == tmp_path.resolve()
    assert find_root(tmp_path / "tests") == tmp_path.resolve()


def test_the_nearest_project_wins(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/a.py", "inner/assets/b.txt", "inner/deeper/x.txt")
    assert find_root(tmp_path / "inner" / "deeper") == (tmp_path / "inner").resolve()


def test_an_empty_functions_folder_is_enough(tmp_path: Path) -> None:
    (tmp_path / "functions").mkdir()
    assert find_root(tmp_path) == tmp_path.resolve()


def test_no_project_anywhere_above(tmp_path: Path) -> None:
    start = tmp_path / "somewhere"
    start.mkdir()
    with pytest.raises(UserError) as raised:
        find_root(start)
    assert (
        raised.value.message == f"No pyserverless project found in {start.resolve()} or the folders above it."
    )
    assert raised.value.hint == (
        "A project is a folder with functions/ or assets/. Create one with `pyserverless init NAME`, "
        "or pass the project folder with --cwd."
    )


def test_a_start_that_is_not_a_folder(tmp_path: Path) -> None:
    file = write_files(tmp_path, "functions/a.py") / "functions" / "a.py"
    with pytest.raises(UserError) as raised:
        find_root(file)
    assert raised.value.message == f"{file.resolve()} is not a folder."
    with pytest.raises(UserError) as raised:
        find_root(tmp_path / "missing")
    assert raised.value.message == f"{(tmp_path / 'missing').resolve()} is not a folder."
