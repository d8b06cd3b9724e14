"""Test helpers for this project: call a function's handler the way the pyserverless runtime calls it.

`call_function("sms/reply.protected.py", {"Body": "hi"})` imports `functions/sms/reply.protected.py` as the
runtime imports it, builds an `event` (your parameters plus `event["request"]` with headers and cookies) and a
`context` (the variables you pass as `env`, plus PATH and DOMAIN_NAME), calls `handler` with `Runtime` pointing
at this project, and gives back what the handler passed to `callback` (or returned). A handler that calls back
with an error makes the call raise it. `load_function("state.protected.py")` imports a function file.
"""

from pathlib import Path
from types import SimpleNamespace

import pytest

from pyserverless.project import load_project
from pyserverless.runtime.loader import ModuleCache
from pyserverless.runtime.runtime_api import RuntimeScope, current_scope

PROJECT = Path(__file__).resolve().parents[1]


class LoadedProject:
    """This project's routes, with its function modules imported on demand."""

    def __init__(self, env):
        self.routes = load_project(PROJECT).routes
        self.scope = RuntimeScope(routes=self.routes, env=env, modules=ModuleCache())

    def route(self, relative_path):
        source = f"functions/{relative_path}"
        for route in self.routes.functions:
            if route.source == source:
                return route
        raise LookupError(f"{source} is not a function of this project")

    def load(self, relative_path):
        return self.scope.modules.load(self.route(relative_path))

    def call(self, relative_path, parameters=None, *, cookies=None, headers=None):
        route = self.route(relative_path)
        event = dict(parameters or {})
        event["request"] = {"headers": dict(headers or {}), "cookies": dict(cookies or {})}
        context = SimpleNamespace(
            **self.scope.env,
            PATH=route.path,
            DOMAIN_NAME="localhost:3000",
            SERVICE_SID=None,
            ENVIRONMENT_SID=None,
        )
        results = []
        token = current_scope.set(self.scope)
        try:
            handler = self.scope.modules.load(route).handler
            returned = handler(
                context, event, lambda error=None, payload=None: results.append((error, payload))
            )
        finally:
            current_scope.reset(token)
        error, payload = results[0] if results else (None, returned)
        if error is not None:
            raise error if isinstance(error, BaseException) else RuntimeError(error)
        return payload


@pytest.fixture
def functions_folder():
    """The project's functions/ folder."""
    return PROJECT / "functions"


@pytest.fixture
def load_function():
    """`load_function("sms/reply.protected.py")` imports that function file as the runtime does."""
    return LoadedProject(env={}).load


@pytest.fixture
def call_function():
    """`call_function(file, parameters, cookies=..., headers=..., env=...)`: what the handler answers."""

    def call(relative_path, parameters=None, *, cookies=None, headers=None, env=None):
        project = LoadedProject(env=dict(env or {}))
        return project.call(relative_path, parameters, cookies=cookies, headers=headers)

    return call
