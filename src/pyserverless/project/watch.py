"""Which file changes in a project call for a restart of the server, as they happen.

Two watchfiles watchers run in background threads and put batches of relevant changes on a queue:
- one watches `functions/` and `assets/` recursively. Any change under `functions/` counts (code, helpers,
  data files a function reads); under `assets/` only additions and removals count, since assets are read on
  each request and an edited asset needs no restart. When one of the two folders appears or disappears, this
  watcher starts over on the folders that exist.
- one watches the project folder itself (and the env file's folder), not recursively: the `.env` file (or the
  `--env` file) and `pyproject.toml` count on any change, `functions/` and `assets/` on creation and removal.
  Caches, version control folders, virtual environments, `.pyserverless/` and editors' temporary files never
  count. The project's virtual environment is never watched at all, so a big one costs nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pyserverless.project.folder import ASSETS_DIR, FUNCTIONS_DIR

if TYPE_CHECKING:
    from watchfiles import Change

#: Folder names whose content never calls for a restart.
IGNORED_DIRS = (
    "__pycache__",
    ".git",
    ".hg",
    ".svn",
    ".tox",
    ".nox",
    ".venv",
    "venv",
    ".idea",
    ".vscode",
    "node_modules",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    ".pyserverless",
)
CONFIG_FILE = "pyproject.toml"
#: A batch of changes is reported once no new change came for this long (an editor's save is one batch).
STEP_MS = 30

#: (change kind, path relative to the project root), e.g. ("modified", "functions/hello.py").
ProjectChange = tuple[str, str]


class ProjectWatcher:
    """Reports batches of relevant changes to `on_changes` from background threads until `stop()`."""

    def __init__(
        self, root: Path, env_file: Path | None, on_changes: Callable[[list[ProjectChange]], None]
    ) -> None:
        self._root = root.resolve()
        self._env_file = (env_file or self._root / ".env").resolve()
        self._on_changes = on_changes
        self._stopped = threading.Event()
        self._rewatch = threading.Event()
        self._threads = [
            threading.Thread(target=self._watch_folders, name="watch-project-folders", daemon=True),
            threading.Thread(target=self._watch_top, name="watch-project-files", daemon=True),
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._rewatch.set()  # after `_stopped`, which `_watch_folders` checks once it has cleared `_rewatch`
        for thread in self._threads:
            thread.join(timeout=2)

    def relevant(self, change: Change, path: str) -> ProjectChange | None:
        """The change as the user sees it, or None when it calls for no restart."""
        from watchfiles import Change

        absolute = Path(path)
        if absolute == self._env_file:
            return change.name, self._show(absolute)
        try:
            relative = absolute.relative_to(self._root)
        except ValueError:
            return None
        parts = relative.parts
        if not parts or any(part in IGNORED_DIRS for part in parts) or _is_editor_file(parts[-1]):
            return None
        if parts == (CONFIG_FILE,):
            return change.name, CONFIG_FILE
        if parts[0] == FUNCTIONS_DIR or (parts[0] == ASSETS_DIR and change != Change.modified):
            return change.name, relative.as_posix()
        return None

    def _show(self, path: Path) -> str:
        return path.relative_to(self._root).as_posix() if path.is_relative_to(self._root) else str(path)

    def report(self, changes: set[tuple[Change, str]]) -> None:
        """Pass the relevant changes of one batch from watchfiles to `on_changes`, if there are any."""
        from watchfiles import Change

        # Added and deleted within one batch and gone now: a temporary file of a tool (sed -i, editors).
        added = {path for change, path in changes if change == Change.added}
        deleted = {path for change, path in changes if change == Change.deleted}
        transient = {path for path in added & deleted if not Path(path).exists()}
        batch = sorted(
            {
                seen
                for change, path in changes
                if path not in transient and (seen := self.relevant(change, path))
            }
        )
        if batch:
            self._on_changes(batch)

    def _watch_folders(self) -> None:
        """Watch the folders that exist, round after round; `_rewatch` ends a round (a folder appeared or
        disappeared, or `stop()` was called)."""
        from watchfiles import watch

        while True:
            self._rewatch.clear()
            if self._stopped.is_set():
                return
            folders = [
                self._root / name for name in (FUNCTIONS_DIR, ASSETS_DIR) if (self._root / name).is_dir()
            ]
            if not folders:
                self._rewatch.wait()
                continue
            for changes in watch(
                *folders, watch_filter=None, stop_event=self._rewatch, step=STEP_MS, rust_timeout=0
            ):
                self.report(changes)

    def _watch_top(self) -> None:
        from watchfiles import watch

        folders: Sequence[Path] = sorted({self._root, self._env_file.parent})
        for changes in watch(
            *folders,
            watch_filter=None,
            stop_event=self._stopped,
            step=STEP_MS,
            recursive=False,
            rust_timeout=0,
        ):
            tops = {Path(path).name for _, path in changes if Path(path).parent == self._root}
            if tops & {FUNCTIONS_DIR, ASSETS_DIR}:
                self._rewatch.set()
            self.report(changes)


def _is_editor_file(name: str) -> bool:
    """Swap, backup and lock files editors write beside the file being edited."""
    return (
        name.endswith(("~", ".swp", ".swx", ".swo", ".tmp", ".pyc"))
        or name.startswith((".#", "#"))
        or name == "4913"  # vim's probe file
        or "___jb_" in name
    )
