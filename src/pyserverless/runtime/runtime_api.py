"""`Runtime`: what a handler can reach besides its own request (other functions, assets, Twilio Sync).

Dispatch sets `current_scope` (a context variable, so it follows the handler into its worker thread) to the
project being served while a function is imported or runs; `Runtime`'s static methods read it. Functions are
loaded through the dispatcher's module cache, so `F.load()` returns the very module that serves the route.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from pyserverless.runtime.context import twilio_client
from pyserverless.runtime.loader import ModuleCache
from pyserverless.runtime.routes import Route, RouteTable


@dataclass(frozen=True)
class RuntimeScope:
    """The project a handler belongs to: its routes, environment and loaded modules."""

    routes: RouteTable
    env: Mapping[str, str]
    modules: ModuleCache


current_scope: ContextVar[RuntimeScope | None] = ContextVar("pyserverless_runtime_scope", default=None)


def _scope() -> RuntimeScope:
    scope = current_scope.get()
    if scope is None:
        raise RuntimeError("Runtime is only available while a pyserverless function is imported or runs.")
    return scope


@dataclass(frozen=True)
class FunctionFile:
    """A function of the project: `path` is its file; `load()` imports it (once) and returns the module."""

    path: Path
    route: Route
    modules: ModuleCache

    def load(self) -> ModuleType:
        return self.modules.load(self.route)


@dataclass(frozen=True)
class AssetFile:
    """An asset of the project: `path` is its file; `open()` returns its text."""

    path: Path

    def open(self, encoding: str = "utf-8") -> str:
        return self.path.read_text(encoding=encoding)


class Runtime:
    """`Runtime.get_functions()`, `Runtime.get_assets()`, `Runtime.get_sync()`, as on Twilio Functions."""

    @staticmethod
    def get_functions() -> dict[str, FunctionFile]:
        """Every function by route without its leading slash: `{"sms/reply": F}` (private ones included)."""
        scope = _scope()
        return {
            route.key: FunctionFile(path=route.file, route=route, modules=scope.modules)
            for route in scope.routes.functions
        }

    @staticmethod
    def get_assets() -> dict[str, AssetFile]:
        """Every private asset by route: `{"/message.txt": A}`, as on Twilio (public and protected assets have
        a URL)."""
        return {
            route.path: AssetFile(path=route.file)
            for route in _scope().routes.assets
            if route.visibility == "private"
        }

    @staticmethod
    def get_sync(service_name: str = "default", **options: Any) -> Any:
        """The Twilio Sync service (`client.sync.v1.services(service_name)`) of the project's account."""
        return twilio_client(_scope().env, **options).sync.v1.services(service_name)
