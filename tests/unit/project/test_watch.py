"""Which file changes restart the server: what the project watcher reports, and when its threads end."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from watchfiles import Change

from pyserverless.project.watch import ProjectWatcher


@pytest.fixture
def watcher(tmp_path: Path) -> ProjectWatcher:
    return ProjectWatcher(tmp_path, None, lambda batch: None)


@pytest.mark.parametrize(
    ("change", "relative", "seen"),
    [
        (
            Change.modified,
            "functions/sms/reply.protected.py",
            ("modified", "functions/sms/reply.protected.py"),
        ),
        (Change.added, "functions/_helpers.py", ("added", "functions/_helpers.py")),
        (Change.deleted, "functions/data.json", ("deleted", "functions/data.json")),
        (Change.added, "assets/logo.png", ("added", "assets/logo.png")),
        (Change.deleted, "assets/old.txt", ("deleted", "assets/old.txt")),
        (Change.modified, "assets/index.html", None),
        (Change.modified, ".env", ("modified", ".env")),
        (Change.added, "pyproject.toml", ("added", "pyproject.toml")),
        (Change.modified, "README.md", None),
        (Change.modified, "functions/__pycache__/a.cpython-311.pyc", None),
        (Change.added, "functions/.venv/lib/x.py", None),
        (Change.modified, "functions/.git/index", None),
        (Change.added, "functions/.pyserverless/state.json", None),
        (Change.added, "functions/.hello.py.swp", None),
        (Change.added, "functions/hello.py~", None),
        (Change.added, "functions/4913", None),
        (Change.modified, "tests/test_x.py", None),
    ],
)
def test_relevant_changes(
    watcher: ProjectWatcher, tmp_path: Path, change: Change, relative: str, seen: tuple[str, str] | None
) -> None:
    assert watcher.relevant(change, str(tmp_path / relative)) == seen


def test_env_file_given_with_env_counts_wherever_it_is(tmp_path: Path) -> None:
    env_file = tmp_path / "elsewhere" / "dev.env"
    watcher = ProjectWatcher(tmp_path / "project", env_file, lambda batch: None)
    assert watcher.relevant(Change.modified, str(env_file)) == ("modified", str(env_file))
    assert watcher.relevant(Change.modified, str(tmp_path / "project" / ".env")) is None


def test_transient_files_of_one_batch_are_not_reported(tmp_path: Path) -> None:
    reported: list[list[tuple[str, str]]] = []
    watcher = ProjectWatcher(tmp_path, None, reported.append)
    (tmp_path / "functions").mkdir()
    (tmp_path / "functions" / "hello.py").write_text("x")
    temporary = str(tmp_path / "functions" / "sedAbC123")
    hello = str(tmp_path / "functions" / "hello.py")
    watcher.report({(Change.added, temporary), (Change.deleted, temporary), (Change.added, hello)})
    assert reported == [[("added", "functions/hello.py")]]


@pytest.mark.parametrize("folders", [(), ("functions",), ("functions", "assets")])
def test_stop_ends_the_watch_threads(tmp_path: Path, folders: tuple[str, ...]) -> None:
    for name in folders:
        (tmp_path / name).mkdir()
    before = set(threading.enumerate())
    watcher = ProjectWatcher(tmp_path, None, lambda batch: None)
    watcher.start()
    watcher.stop()
    assert [thread.name for thread in set(threading.enumerate()) - before] == []
