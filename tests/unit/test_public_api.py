"""What users import, pinned: modules may move behind these names, the names may not move.

Handlers import `pyserverless.Response` and `Runtime`; deployed functions name `lambda_entry.handler`;
containers run `pyserverless.asgi:create_app`; pytest loads `pyserverless.testing` through its entry point;
projects made by `init` import `load_project` and the runtime's module cache in their tests/conftest.py.
"""

from __future__ import annotations

import ast
import importlib
from importlib.metadata import entry_points
from pathlib import Path

import pyserverless
import pyserverless.asgi
import pyserverless.project
import pyserverless.project.folder
import pyserverless.testing
import pyserverless.types
from pyserverless.deploy.package import HANDLER
from pyserverless.runtime import lambda_entry
from pyserverless.runtime.response import Response as RuntimeResponse
from pyserverless.runtime.runtime_api import Runtime as RuntimeRuntime
from pyserverless.server.container import create_app

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_top_level_names() -> None:
    assert pyserverless.__all__ == ["Response", "Runtime", "__version__"]


def test_response_and_runtime_are_the_runtime_classes() -> None:
    from pyserverless import Response, Runtime

    assert Response is RuntimeResponse
    assert Runtime is RuntimeRuntime


def test_testing_names() -> None:
    assert pyserverless.testing.__all__ == [
        "TEST_AUTH_TOKEN",
        "TwilioSim",
        "simulator_for_tests",
        "twilio_sim",
        "twilio_sim_env",
        "twilio_sim_project",
    ]


def test_types_names() -> None:
    assert pyserverless.types.__all__ == [
        "CallStatusCallback",
        "DialResult",
        "GatherResult",
        "MessageStatusCallback",
        "RecordResult",
        "SmsWebhook",
        "TranscriptionResult",
        "VoiceWebhook",
        "WebhookRequest",
    ]
    from pyserverless.types import SmsWebhook, VoiceWebhook

    assert {"AccountSid", "From", "To", "Body", "request"} <= set(SmsWebhook.__annotations__)
    assert {"CallSid", "CallStatus", "Called", "Caller", "request"} <= set(VoiceWebhook.__annotations__)


def test_asgi_create_app_is_the_container_factory() -> None:
    assert pyserverless.asgi.__all__ == ["create_app"]
    assert pyserverless.asgi.create_app is create_app


def test_project_reexports_load_project_for_init_projects() -> None:
    assert pyserverless.project.__all__ == ["Project", "find_root", "load_project"]
    assert pyserverless.project.load_project is pyserverless.project.folder.load_project


def test_the_handler_written_into_deployed_functions_is_the_lambda_entry() -> None:
    assert HANDLER == "pyserverless.runtime.lambda_entry.handler"
    module, _, name = HANDLER.rpartition(".")
    assert getattr(importlib.import_module(module), name) is lambda_entry.handler
    assert callable(lambda_entry.handler)


def test_pytest_plugin_entry_point_is_pyserverless_testing() -> None:
    (plugin,) = entry_points(group="pytest11", name="pyserverless")
    assert plugin.value == "pyserverless.testing"
    assert plugin.load() is pyserverless.testing


def test_console_script_is_the_cli_main() -> None:
    (script,) = entry_points(group="console_scripts", name="pyserverless")
    assert script.value == "pyserverless.cli.main:main"
    assert script.load() is importlib.import_module("pyserverless.cli.main").main


def test_names_the_templates_import_exist() -> None:
    imported = {
        (node.module, alias.name)
        for path in TEMPLATES.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "pyserverless"
        for alias in node.names
    }
    assert imported == {
        ("pyserverless", "Response"),
        ("pyserverless", "Runtime"),
        ("pyserverless.project", "load_project"),
        ("pyserverless.runtime.loader", "ModuleCache"),
        ("pyserverless.runtime.runtime_api", "RuntimeScope"),
        ("pyserverless.runtime.runtime_api", "current_scope"),
        *[
            ("pyserverless.types", name)
            for name in (
                "DialResult",
                "GatherResult",
                "MessageStatusCallback",
                "RecordResult",
                "SmsWebhook",
                "TranscriptionResult",
                "VoiceWebhook",
            )
        ],
    }
    for module, name in sorted(imported):
        assert hasattr(importlib.import_module(module), name), f"{module}.{name}"
