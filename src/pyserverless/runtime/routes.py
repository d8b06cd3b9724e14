"""The route table: which file answers which URL path, and who may call it.

`pyserverless.project.folder` builds it by scanning a project folder; a deployed function reads it from the
manifest written at package time. Lookups are exact and case-sensitive.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Kind = Literal["function", "asset"]
Visibility = Literal["public", "protected", "private"]


@dataclass(frozen=True)
class Route:
    """One servable file: `path` is the URL path ("/sms/reply"), `source` the file relative to the root."""

    path: str
    kind: Kind
    visibility: Visibility
    file: Path
    source: str

    @property
    def key(self) -> str:
        """The route without its leading slash, as `Runtime.get_functions()` names functions ("sms/reply")."""
        return self.path[1:]

    def to_manifest(self) -> dict[str, str]:
        return {"path": self.path, "kind": self.kind, "visibility": self.visibility, "source": self.source}

    @classmethod
    def from_manifest(cls, entry: dict[str, str], root: Path) -> Route:
        kind = entry["kind"]
        visibility = entry["visibility"]
        if kind not in ("function", "asset") or visibility not in ("public", "protected", "private"):
            raise ValueError(f"invalid route manifest entry: {entry!r}")
        return cls(
            path=entry["path"],
            kind=kind,  # type: ignore[arg-type]
            visibility=visibility,  # type: ignore[arg-type]
            file=root / entry["source"],
            source=entry["source"],
        )


class RouteTable:
    """Routes by exact path, in sorted order."""

    __hash__ = None  # type: ignore[assignment]  # compared by value

    def __init__(self, routes: Iterable[Route]) -> None:
        self._by_path = {route.path: route for route in sorted(routes, key=lambda r: r.path)}

    def __iter__(self) -> Iterator[Route]:
        return iter(self._by_path.values())

    def __len__(self) -> int:
        return len(self._by_path)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RouteTable) and list(self) == list(other)

    def get(self, path: str) -> Route | None:
        return self._by_path.get(path)

    @property
    def functions(self) -> list[Route]:
        return [route for route in self if route.kind == "function"]

    @property
    def assets(self) -> list[Route]:
        return [route for route in self if route.kind == "asset"]
