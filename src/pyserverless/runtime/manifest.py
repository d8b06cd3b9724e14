"""How a packaged project is laid out, and how the Lambda entry point reads it back at cold start.

The deploy package puts the project's `functions/` and `assets/` under `project/` at the root of the zip, next
to the vendored `pyserverless` runtime and the dependencies. Beside them, `project/pyserverless.json` lists
every route (written at package time by `pyserverless.deploy.package`), so a cold start reads one small file
instead of scanning folders. The function's configuration carries the names of the project's variables in
`PYSERVERLESS_ENV_KEYS` and the execution limit in `PYSERVERLESS_TIMEOUT`: they change with `.env`, not with
the code, so a changed `.env` never changes the zip.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pyserverless.runtime.routes import Route, RouteTable

PROJECT_DIR = "project"
MANIFEST_NAME = "pyserverless.json"
MANIFEST_FORMAT = 1
ENV_KEYS_VARIABLE = "PYSERVERLESS_ENV_KEYS"
TIMEOUT_VARIABLE = "PYSERVERLESS_TIMEOUT"


def manifest_bytes(routes: Iterable[Route]) -> bytes:
    """The manifest of these routes as stable JSON bytes (sorted keys, routes in path order)."""
    document = {"format": MANIFEST_FORMAT, "routes": [route.to_manifest() for route in routes]}
    return (json.dumps(document, indent=1, sort_keys=True) + "\n").encode("utf-8")


def read_manifest(project_root: Path) -> RouteTable:
    """The route table of `project_root/pyserverless.json`, files resolved under `project_root`."""
    document: dict[str, Any] = json.loads((project_root / MANIFEST_NAME).read_text(encoding="utf-8"))
    if document.get("format") != MANIFEST_FORMAT:
        raise ValueError(f"unsupported route manifest format {document.get('format')!r}")
    return RouteTable(Route.from_manifest(entry, project_root) for entry in document["routes"])


def project_env(environ: Mapping[str, str]) -> dict[str, str]:
    """The project's own variables: only the names listed in PYSERVERLESS_ENV_KEYS, never Lambda's own
    (AWS credentials, AWS_LAMBDA_*, ...)."""
    names = [name for name in environ.get(ENV_KEYS_VARIABLE, "").split(",") if name]
    return {name: environ[name] for name in names if name in environ}
