"""The runtime ships to AWS Lambda with stdlib and twilio only: importing it pulls in nothing else of ours."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pyserverless.runtime

FORBIDDEN = (
    "typer",
    "rich",
    "uvicorn",
    "boto3",
    "watchfiles",
    "pyngrok",
    "dotenv",
    "httpx",
    "starlette",
    "pyserverless.project",
    "pyserverless.server",
    "pyserverless.dev",
    "pyserverless.twilio_api",
    "pyserverless.simulate",
    "pyserverless.scaffold",
    "pyserverless.deploy",
    "pyserverless.operate",
    "pyserverless.cli",
    "pyserverless.errors",
    "pyserverless.signals",
    "pyserverless.tomlcompat",
    "pyserverless.testing",
    "pyserverless.asgi",
)


def test_runtime_modules_import_none_of_the_cli_or_server_dependencies() -> None:
    modules = sorted(
        f"pyserverless.runtime.{info.name}" for info in pkgutil.iter_modules(pyserverless.runtime.__path__)
    )
    assert "pyserverless.runtime.dispatch" in modules
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "import pyserverless\n"
        "pyserverless.Response, pyserverless.Runtime\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    loaded = json.loads(result.stdout)
    offending = [name for name in loaded if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)]
    assert offending == []
