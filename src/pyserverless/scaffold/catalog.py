"""The project templates bundled with pyserverless, used by `init`, `new` and `list-templates`.

Templates are folders of plain files under the top-level `templates/` folder of the source tree, which the
wheel carries as `pyserverless/templates/`. An installed wheel finds them beside this module; an editable
install finds them at the root of the repository. A template folder holds `template.toml` and any of
`functions/`, `assets/`, `tests/` and a `.env` of the variables its functions read. `template.toml` gives
the template's `name` (the folder's), a one-line `description`, its `group` (messaging, voice or other) and
what it `needs` to work (short phrases; none when it needs nothing). Folders whose name starts with `_` are
not templates: `_project/` holds the files every new project gets.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pyserverless.errors import UserError
from pyserverless.tomlcompat import tomllib

DEFAULT_TEMPLATE = "default"
#: The groups `list-templates` shows, in its order.
GROUPS = ("messaging", "voice", "other")
PROJECT_FILES_FOLDER = "_project"
_IGNORED_NAMES = ("__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache")


@dataclass(frozen=True)
class Template:
    """One bundled template: its `name` (the folder's name), a one-line `description`, its `group` (one of
    `GROUPS`), what it `needs` (short phrases) and its `folder`."""

    name: str
    description: str
    group: str
    needs: tuple[str, ...]
    folder: Path

    @property
    def env_file(self) -> Path | None:
        """The template's `.env` of variables its functions read, if it has one."""
        path = self.folder / ".env"
        return path if path.is_file() else None

    def files(self, subfolder: str) -> list[Path]:
        """The files under `functions/`, `assets/` or `tests/` of the template, relative to that subfolder."""
        top = self.folder / subfolder
        return sorted(path.relative_to(top) for path in walk_files(top))


def templates_folder() -> Path:
    """The folder that holds the bundled templates."""
    package = Path(__file__).resolve().parents[1]  # pyserverless/
    packaged = package / "templates"
    if packaged.is_dir():
        return packaged
    source_tree = package.parents[1] / "templates"
    if source_tree.is_dir():
        return source_tree
    raise UserError(
        f"The bundled templates are missing (looked in {packaged} and {source_tree}).",
        hint="Reinstall pyserverless: pip install --force-reinstall pyserverless",
    )


def project_files_folder() -> Path:
    """The files every new project gets: README, pyproject.toml, .gitignore, env, the tests' helpers."""
    return templates_folder() / PROJECT_FILES_FOLDER


def list_templates() -> list[Template]:
    """Every bundled template, sorted by name (`by_group` orders them for display)."""
    root = templates_folder()
    return [
        read_template(folder)
        for folder in sorted(root.iterdir())
        if folder.is_dir() and not folder.name.startswith(("_", "."))
    ]


def by_group(templates: list[Template]) -> dict[str, list[Template]]:
    """The templates of each group that has any, in the order of `GROUPS`, each group sorted by name."""
    return {
        group: members
        for group in GROUPS
        if (members := [template for template in templates if template.group == group])
    }


def get_template(name: str) -> Template:
    """The bundled template called `name`; an unknown name is a `UserError` suggesting the closest one."""
    templates = {template.name: template for template in list_templates()}
    if name not in templates:
        close = difflib.get_close_matches(name, templates, n=1)
        suggestion = f"Did you mean {close[0]}? " if close else ""
        raise UserError(
            f'There is no template called "{name}".',
            hint=f"{suggestion}Run `pyserverless list-templates` to see the {len(templates)} templates.",
        )
    return templates[name]


def walk_files(top: Path) -> Iterator[Path]:
    """Every file below `top` in sorted order, leaving out Python and tool caches."""
    if not top.is_dir():
        return
    for path in sorted(top.iterdir()):
        if path.name in _IGNORED_NAMES or path.suffix == ".pyc":
            continue
        if path.is_dir():
            yield from walk_files(path)
        elif path.is_file():
            yield path


def read_template(folder: Path) -> Template:
    """The template in `folder` as its template.toml describes it; a missing or bad one is a `UserError`."""
    manifest = folder / "template.toml"
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise UserError(
            f"The bundled template {folder.name} has no readable template.toml: {error}",
            hint="Reinstall pyserverless: pip install --force-reinstall pyserverless",
        ) from error
    name = data.get("name", folder.name)
    description = data.get("description", "")
    group = data.get("group")
    needs = data.get("needs", [])
    if (
        name != folder.name
        or not isinstance(description, str)
        or group not in GROUPS
        or not isinstance(needs, list)
        or not all(isinstance(need, str) for need in needs)
    ):
        raise UserError(
            f"The bundled template {folder.name} has a bad template.toml: name must be {folder.name!r}, "
            f"description a string, group one of {', '.join(GROUPS)} and needs a list of strings.",
            hint="Fix the template's template.toml.",
        )
    return Template(name=name, description=description, group=group, needs=tuple(needs), folder=folder)
