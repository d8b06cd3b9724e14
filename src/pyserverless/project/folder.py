"""The project model: where a project is, which files are routes, and its environment.

A project is a folder holding `functions/` and/or `assets/`. Every file below them is scanned in sorted order
and given a route by its name (`route_for`): a `.protected`/`.private`/`.public` part of the name sets the
visibility, nested folders nest the path, whitespace becomes `-`. Names starting with `_` or `.` are
helpers, not routes. Symlinks that lead out of functions/ or assets/ are never routes. Problems a user must
fix (a bad character, a path too long, two files on one route) raise `UserError` naming the files.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pyserverless.errors import UserError
from pyserverless.project.config import read_config
from pyserverless.project.env_dialect import env_dialect_warnings
from pyserverless.runtime.routes import Kind, Route, RouteTable, Visibility

FUNCTIONS_DIR = "functions"
ASSETS_DIR = "assets"
#: The folders whose files are routes, with the kind of route their files become.
ROUTE_FOLDERS: tuple[tuple[str, Kind], ...] = ((FUNCTIONS_DIR, "function"), (ASSETS_DIR, "asset"))
FUNCTION_SUFFIX = ".py"
#: Visibility markers, most restrictive first: a name holding several gets the most restrictive.
VISIBILITY_MARKERS: tuple[Visibility, ...] = ("private", "protected", "public")
INVALID_ROUTE_CHARACTERS = "#;,?:@+&$()'\""
MAX_ROUTE_LENGTH = 255
_WHITESPACE = re.compile(r"\s")


@dataclass
class Project:
    """A scanned project: its root folder, route table, `.env` variables and `[tool.pyserverless]` config."""

    root: Path
    routes: RouteTable
    env: dict[str, str]
    env_file: Path | None
    config: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def split_visibility(name: str) -> tuple[str, Visibility]:
    """Take the visibility markers out of a file name: ("message.txt", "private") for "message.private.txt".

    A marker is any dot-separated part after the first (`x.private.tar.gz` and `README.private` are private),
    and a name with several gets the most restrictive, so no spelling of a private file's name can make it
    public. This is stricter than Twilio's Node toolkit, which reads a marker only right before the last
    extension (`x.private.js`; there `x.private.tar.gz` is the public `/x.private.tar.gz`) and lets
    `.protected` win over `.private` (docs/runtime.md, "Parity").
    """
    first, *rest = name.split(".")
    visibility: Visibility = next((marker for marker in VISIBILITY_MARKERS if marker in rest), "public")
    return ".".join([first, *(part for part in rest if part not in VISIBILITY_MARKERS)]), visibility


def route_for(relative: PurePosixPath, kind: Kind) -> tuple[str, Visibility] | None:
    """The route and visibility of a file given relative to `functions/` or `assets/`; None if it is no route.

    Functions drop their `.py`; assets keep their extension with the marker taken out
    (`message.private.txt` -> `/message.txt`, private).
    """
    if any(part.startswith(("_", ".")) for part in relative.parts):
        return None
    name = relative.name
    if kind == "function":
        if not name.endswith(FUNCTION_SUFFIX):
            return None
        name = name[: -len(FUNCTION_SUFFIX)]
    base, visibility = split_visibility(name)
    parts = [*relative.parts[:-1], base]
    return _WHITESPACE.sub("-", "/" + "/".join(parts)), visibility


def check_route(path: str, source: str) -> None:
    """Refuse a route that Twilio would refuse: a reserved character, or 256 characters and more."""
    bad = sorted({char for char in path if char in INVALID_ROUTE_CHARACTERS})
    if bad:
        listed = " ".join(bad)
        raise UserError(
            f"{source}: its route {path} contains {listed}, which a route may not contain.",
            hint=f"Rename the file without any of {' '.join(INVALID_ROUTE_CHARACTERS)}",
        )
    if len(path) > MAX_ROUTE_LENGTH:
        raise UserError(
            f"{source}: its route is {len(path)} characters long; a route must be shorter than 256.",
            hint="Shorten the file name or its folders.",
        )


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` that holds `functions/` or `assets/`."""
    start = start.resolve()
    if not start.is_dir():
        raise UserError(f"{start} is not a folder.", hint="Pass the folder of your project.")
    for folder in (start, *start.parents):
        if (folder / FUNCTIONS_DIR).is_dir() or (folder / ASSETS_DIR).is_dir():
            return folder
    raise UserError(
        f"No pyserverless project found in {start} or the folders above it.",
        hint="A project is a folder with functions/ or assets/. Create one with `pyserverless init NAME`, "
        "or pass the project folder with --cwd.",
    )


def walk_project_files(top: Path) -> Iterator[tuple[Path, PurePosixPath]]:
    """Files below `top` in sorted order, with their path relative to `top`; links that lead out of `top` are
    skipped (a link to another place of the project, its .env say, is neither a route nor packaged)."""
    resolved_top = top.resolve()
    for folder, dirnames, filenames in os.walk(top):
        dirnames.sort()
        for name in sorted(filenames):
            file = Path(folder) / name
            if not file.resolve().is_relative_to(resolved_top) or not file.is_file():
                continue
            yield file, PurePosixPath(file.relative_to(top).as_posix())


def scan_routes(root: Path) -> RouteTable:
    """Every route of the project at `root`, checked; two files on one route raise `UserError` naming both."""
    routes: dict[str, Route] = {}
    for folder, kind in ROUTE_FOLDERS:
        top = root / folder
        if not top.is_dir():
            continue
        for file, relative in walk_project_files(top):
            mapped = route_for(relative, kind)
            if mapped is None:
                continue
            path, visibility = mapped
            source = f"{folder}/{relative}"
            check_route(path, source)
            if path in routes:
                raise UserError(
                    f"{routes[path].source} and {source} both map to the route {path}.",
                    hint="Rename or remove one of them: each route must come from one file.",
                )
            routes[path] = Route(path=path, kind=kind, visibility=visibility, file=file, source=source)
    return RouteTable(routes.values())


def load_env(path: Path) -> dict[str, str]:
    """The variables of a `.env` file; a key with no value is the empty string."""
    from dotenv import dotenv_values

    try:
        values = dotenv_values(path, interpolate=False)
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(
            f"Cannot read {path}: {error}", hint="Check that the file is readable UTF-8 text."
        ) from error
    return {key: value or "" for key, value in values.items()}


def load_project(root: Path, env_file: Path | None = None) -> Project:
    """Scan the project at `root`; `env_file` replaces the default `.env` and must exist when given."""
    root = root.resolve()
    if env_file is not None:
        env_file = (root / env_file).resolve() if not env_file.is_absolute() else env_file
        if not env_file.is_file():
            raise UserError(
                f"The env file {env_file} does not exist.", hint="Check the path given with --env."
            )
    elif (root / ".env").is_file():
        env_file = root / ".env"
    env = load_env(env_file) if env_file is not None else {}
    config, warnings = read_config(root)
    if env_file is not None:
        warnings.extend(env_dialect_warnings(env_file))
    return Project(
        root=root, routes=scan_routes(root), env=env, env_file=env_file, config=config, warnings=warnings
    )
