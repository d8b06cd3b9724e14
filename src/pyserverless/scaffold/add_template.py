"""`new`: add a bundled template's functions and assets to an existing project under a namespace folder.

The template's `functions/x.py` lands in `functions/NAMESPACE/x.py` and its assets in `assets/NAMESPACE/`. The
whole plan is checked before anything is written: no file may exist already and no new route may clash with a
route of the project. Then the files are copied and the template's `.env` variables appended to the project's
`.env` (see `pyserverless.scaffold.env_merge`: a variable the project already has is added commented out).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pyserverless.errors import UserError
from pyserverless.project.folder import ROUTE_FOLDERS, check_route, find_root, route_for, scan_routes
from pyserverless.scaffold.catalog import get_template
from pyserverless.scaffold.env_merge import merge_env, write_env_file
from pyserverless.scaffold.new_project import check_name


@dataclass(frozen=True)
class AddedTemplate:
    """What `new` did: the files it created (relative to the project root) and the `.env` keys it added, or
    added commented out because the project had them."""

    root: Path
    template: str
    namespace: str
    files: list[str]
    env_added: list[str]
    env_commented: list[str]


def add_template(start: Path, template_name: str, namespace: str) -> AddedTemplate:
    """Copy a template under `namespace` into the project at or above `start`, or on a conflict nothing."""
    check_name(namespace, "name")
    template = get_template(template_name)
    root = find_root(start)
    existing_routes = {route.path: route.source for route in scan_routes(root)}
    plan: list[tuple[Path, str]] = []
    conflicts: list[str] = []
    for folder, kind in ROUTE_FOLDERS:
        for relative in template.files(folder):
            destination = f"{folder}/{namespace}/{relative.as_posix()}"
            plan.append((template.folder / folder / relative, destination))
            if (root / destination).exists() or (root / destination).is_symlink():
                conflicts.append(f"{destination} already exists")
                continue
            mapped = route_for(PurePosixPath(namespace, relative.as_posix()), kind)
            if mapped is None:
                continue
            check_route(mapped[0], destination)
            if mapped[0] in existing_routes:
                conflicts.append(
                    f"{destination} would answer {mapped[0]}, the route of {existing_routes[mapped[0]]}"
                )
    if conflicts:
        raise UserError(
            f'The template "{template.name}" cannot be added as {namespace}/: '
            + "; ".join(conflicts)
            + ". Nothing was changed.",
            hint="Pick another name for it: pyserverless new OTHER-NAME --template " + template.name,
        )
    if not plan:
        raise UserError(f'The template "{template.name}" has no functions or assets to add.')
    for source, destination in plan:
        target = root / destination
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    env_added: list[str] = []
    env_commented: list[str] = []
    if template.env_file is not None:
        env_path = root / ".env"
        current = env_path.read_text(encoding="utf-8") if env_path.is_file() else ""
        merged = merge_env(
            current,
            template.env_file.read_text(encoding="utf-8"),
            f'Variables of the template "{template.name}" in {namespace}/',
        )
        write_env_file(env_path, merged.text)
        env_added, env_commented = merged.added, merged.commented
    return AddedTemplate(
        root=root,
        template=template.name,
        namespace=namespace,
        files=[destination for _, destination in plan],
        env_added=env_added,
        env_commented=env_commented,
    )
