"""On Lambda a sync handler runs on the main thread (no hand-off per request, no event loop), its limit kept
by SIGALRM; its file is imported there too, under the same limit; an async handler gets the event loop."""

from __future__ import annotations

import json
import logging
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pyserverless.project.folder import scan_routes
from pyserverless.runtime import lambda_entry
from pyserverless.runtime.loader import module_name
from pyserverless.runtime.manifest import MANIFEST_NAME, PROJECT_DIR, manifest_bytes
from tests.support.function_url_events import function_url_event

FUNCTIONS = {
    "where.py": (
        "import threading\n\n\ndef handler(context, event):\n    return threading.current_thread().name\n"
    ),
    "spin.py": (
        "import time\n\n\ndef handler(context, event, callback):\n    while True:\n        try:\n"
        "            time.sleep(0.05)\n        except Exception:\n            pass\n"
    ),
    "waits.py": (
        "import asyncio\nimport threading\n\n\nasync def handler(context, event):\n"
        "    await asyncio.sleep(0.01)\n    return f'awaited on {threading.current_thread().name}'\n"
    ),
    "broken.py": "raise RuntimeError('the module broke')\n",
    "slow_import.py": (
        "import time\n\ntime.sleep(30)\n\n\ndef handler(context, event):\n    return 'imported'\n"
    ),
    "listing.py": (
        "from pyserverless import Runtime\n\nROUTES = sorted(Runtime.get_functions())\n\n\n"
        "def handler(context, event):\n    return ','.join(ROUTES)\n"
    ),
    "late.py": (
        "import threading\n\n\ndef handler(context, event, callback):\n"
        "    threading.Timer(0.05, callback, (None, 'called back later')).start()\n"
    ),
}


@pytest.fixture
def handler(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    project = tmp_path / PROJECT_DIR
    (project / "functions").mkdir(parents=True)
    for name, source in FUNCTIONS.items():
        (project / "functions" / name).write_text(source)
    (project / MANIFEST_NAME).write_bytes(manifest_bytes(scan_routes(project)))
    monkeypatch.setenv("LAMBDA_TASK_ROOT", str(tmp_path))
    monkeypatch.setenv("PYSERVERLESS_ENV_KEYS", "")
    monkeypatch.setenv("PYSERVERLESS_TIMEOUT", "0.5")
    lambda_entry.process_dispatcher.cache_clear()
    yield lambda_entry.handler
    lambda_entry.process_dispatcher.cache_clear()


def test_a_sync_handler_runs_on_the_main_thread(handler: Any) -> None:
    result = handler(function_url_event("GET", "/where"), None)
    assert (result["statusCode"], result["body"]) == (200, "MainThread")


def test_a_handler_that_swallows_exceptions_is_still_stopped_at_the_limit(
    handler: Any, caplog: pytest.LogCaptureFixture
) -> None:
    before = signal.getsignal(signal.SIGALRM)
    with caplog.at_level(logging.INFO, logger="pyserverless"):
        result = handler(function_url_event("GET", "/spin"), None)
    assert (result["statusCode"], result["body"]) == (
        504,
        "Gateway Timeout: /spin did not finish within the execution limit of 0.5 seconds.",
    )
    errors = [record.getMessage() for record in caplog.records if record.name == "pyserverless.runtime"]
    assert errors == ["/spin did not finish within the execution limit of 0.5 s; answered 504."]
    [line] = [json.loads(r.getMessage()) for r in caplog.records if r.name == "pyserverless.request"]
    assert (line["route"], line["status"]) == ("/spin", 504)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    try:
        signal.raise_signal(signal.SIGALRM)  # between calls, the handler left installed does nothing
        after = handler(function_url_event("GET", "/where"), None)
    finally:
        signal.signal(signal.SIGALRM, before)
    assert (after["statusCode"], after["body"]) == (200, "MainThread")


def test_a_callback_from_another_thread_after_return_is_still_waited_for(handler: Any) -> None:
    result = handler(function_url_event("GET", "/late"), None)
    assert (result["statusCode"], result["body"]) == (200, "called back later")


def test_an_async_handler_is_awaited_on_the_event_loop_of_the_main_thread(handler: Any) -> None:
    for _ in range(2):  # the loop is kept for the next invocation
        result = handler(function_url_event("GET", "/waits"), None)
        assert (result["statusCode"], result["body"]) == (200, "awaited on MainThread")


def test_a_file_that_fails_to_import_is_a_500_with_its_traceback_logged(
    handler: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="pyserverless.runtime"):
        result = handler(function_url_event("GET", "/broken"), None)
    assert (result["statusCode"], json.loads(result["body"])) == (
        500,
        {
            "message": "Internal Server Error: the function failed; its log has the details.",
            "name": "InternalServerError",
        },
    )
    [message] = [record.getMessage() for record in caplog.records if record.name == "pyserverless.runtime"]
    assert message.startswith(
        "functions/broken.py failed to import; its route answers 500 until it is fixed.\n"
    )
    assert message.endswith("RuntimeError: the module broke\n")


def test_an_import_past_the_limit_is_a_504_and_leaves_no_half_imported_module(
    handler: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="pyserverless.runtime"):
        result = handler(function_url_event("GET", "/slow_import"), None)
    assert (result["statusCode"], result["body"]) == (
        504,
        "Gateway Timeout: /slow_import did not finish within the execution limit of 0.5 seconds.",
    )
    errors = [record.getMessage() for record in caplog.records if record.name == "pyserverless.runtime"]
    assert errors == [
        "functions/slow_import.py did not finish importing within the execution limit of 0.5 s; answered 504."
    ]
    assert module_name("functions/slow_import.py") not in sys.modules


def test_a_function_file_may_use_runtime_while_it_is_imported_deployed_too(handler: Any) -> None:
    result = handler(function_url_event("GET", "/listing"), None)
    assert (result["statusCode"], result["body"]) == (
        200,
        "broken,late,listing,slow_import,spin,waits,where",
    )
