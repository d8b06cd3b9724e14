"""Handlers' print and logging output reaches the logger "pyserverless.handler", tagged with the route."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.runtime_requests import copy_project

SCRIPT = """
import asyncio, json, logging, sys
from pathlib import Path
from pyserverless.runtime.output import install_output_capture
from tests.support.runtime_requests import make_dispatcher, make_request

records = []

class Collect(logging.Handler):
    def emit(self, record):
        records.append([record.name, record.levelname, record.getMessage(), getattr(record, "route", None),
                        getattr(record, "handler_logger", None)])

ours = logging.getLogger("pyserverless")
ours.addHandler(Collect())
ours.setLevel(logging.INFO)
ours.propagate = False
install_output_capture()
install_output_capture()
dispatcher = make_dispatcher(Path(sys.argv[1]))
response = asyncio.run(dispatcher.dispatch(make_request("/prints")))
print("outside a handler")
logging.getLogger("elsewhere").warning("not from a handler")
sys.stdout.flush()
sys.__stdout__.write(json.dumps({"body": response.body.decode(), "records": records}) + "\\n")
"""


def test_print_and_logging_are_tagged_with_the_route(tmp_path: Path) -> None:
    root = copy_project("runtime-payloads", tmp_path / "project")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(root)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    *before, last = result.stdout.splitlines()
    assert before == ["outside a handler"]
    assert result.stderr == "not from a handler\n"
    assert json.loads(last) == {
        "body": "printed",
        "records": [
            ["pyserverless.handler", "INFO", "line one", "/prints", None],
            ["pyserverless.handler", "WARNING", "warned here", "/prints", "myapp"],
            ["pyserverless.handler", "INFO", "part two", "/prints", None],
        ],
    }
