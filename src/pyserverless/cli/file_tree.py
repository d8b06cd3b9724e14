"""A tree of files given as relative POSIX paths, for the commands that report the files they created."""

from __future__ import annotations

from pyserverless.cli.plain_output import BOLD, Line


def file_tree(root_label: str, files: list[str]) -> list[Line]:
    """`["a/b.py", "c.txt"]` under `root_label/` as tree lines, each folder's subfolders before its files."""
    children: dict[tuple[str, ...], list[tuple[str, bool]]] = {(): []}
    for file in sorted(files, key=_folders_first):
        *parents, name = file.split("/")
        for depth in range(1, len(parents) + 1):
            key = tuple(parents[:depth])
            if key not in children:
                children[key] = []
                children[key[:-1]].append((key[-1], True))
        children[tuple(parents)].append((name, False))
    lines: list[Line] = [[(f"{root_label}/", BOLD)]]
    _draw(children, (), "", lines)
    return lines


def _draw(
    children: dict[tuple[str, ...], list[tuple[str, bool]]],
    folder: tuple[str, ...],
    guide: str,
    lines: list[Line],
) -> None:
    entries = children[folder]
    for index, (name, is_folder) in enumerate(entries):
        last = index == len(entries) - 1
        lines.append(
            [
                (guide + ("└── " if last else "├── "), ""),
                (f"{name}/" if is_folder else name, BOLD if is_folder else ""),
            ]
        )
        if is_folder:
            _draw(children, (*folder, name), guide + ("    " if last else "│   "), lines)


def _folders_first(path: str) -> list[tuple[int, str]]:
    *parents, name = path.split("/")
    return [(0, parent) for parent in parents] + [(1, name)]
