"""A rich tree of files given as relative POSIX paths, for commands that report the files they created."""

from __future__ import annotations

from rich.text import Text
from rich.tree import Tree


def file_tree(root_label: str, files: list[str]) -> Tree:
    """`["a/b.py", "c.txt"]` under `root_label/` as a tree, each folder's subfolders before its files."""
    tree = Tree(Text(f"{root_label}/", style="bold"))
    folders: dict[tuple[str, ...], Tree] = {(): tree}
    for file in sorted(files, key=_folders_first):
        *parents, name = file.split("/")
        for depth in range(1, len(parents) + 1):
            key = tuple(parents[:depth])
            if key not in folders:
                folders[key] = folders[key[:-1]].add(Text(f"{key[-1]}/", style="bold"))
        folders[tuple(parents)].add(Text(name))
    return tree


def _folders_first(path: str) -> list[tuple[int, str]]:
    *parents, name = path.split("/")
    return [(0, parent) for parent in parents] + [(1, name)]
