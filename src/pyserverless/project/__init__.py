"""The project folder on disk: its routes and their visibility, its `.env`, its `[tool.pyserverless]` config,
and watching it for changes.

`Project`, `find_root` and `load_project` stay importable from here (projects made by `pyserverless init`
import `load_project` in their tests); they are loaded on first access, so importing `project.config` alone
stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Project", "find_root", "load_project"]

if TYPE_CHECKING:
    from pyserverless.project.folder import Project, find_root, load_project


def __getattr__(name: str) -> Any:
    if name in __all__:
        from pyserverless.project import folder

        return getattr(folder, name)
    raise AttributeError(f"module 'pyserverless.project' has no attribute {name!r}")
