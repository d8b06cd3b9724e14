"""`pyserverless logs` against the local AWS: CloudWatch Logs events written by the test as Lambda writes them
(START, handler output, the runtime's JSON line per request, END, REPORT)."""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from pyserverless.runtime.lambda_entry import REQUEST_LOG_MARKER
from tests.functional.operate.conftest import (
    BAD_TOKEN,
    CREDENTIALS_HINT,
    Template,
    cli,
    deploy,
    not_deployed_panel,
    put_log_events,
)
from tests.support.cli_process import SCRIPT, cli_environment, panel_lines
from tests.support.moto_server import LocalAws
from tests.support.processes import ignoring_sigint, stop_process_group

STREAM = "2026/11/28/[$LATEST]0123456789abcdef"
#: A whole second, two minutes ago: events are recent for --since, and their times print predictably.
BASE = (int(time.time()) - 120) * 1000


def request_line(
    request_id: str, method: str, path: str, *, route: str | None, status: int, duration: float
) -> str:
    """The runtime's line per request as Lambda's Python logging handler writes it."""
    key, value = REQUEST_LOG_MARKER
    document = {
        key: value,
        "request_id": request_id,
        "method": method,
        "path": path,
        "route": route,
        "status": status,
        "duration_ms": duration,
    }
    return f"[INFO]\t2026-11-28T00:00:00.000Z\t{request_id}\t{json.dumps(document, sort_keys=True)}\n"


def stamp(offset_ms: int) -> str:
    return datetime.fromtimestamp((BASE + offset_ms) / 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


EVENTS = [
    (
        BASE,
        "INIT_START Runtime Version: python:3.12.v40\tRuntime Version ARN: arn:aws:lambda:us-east-1::rt:7\n",
    ),
    (BASE + 10, "START RequestId: r-1 Version: $LATEST\n"),
    (BASE + 20, "got a message from +15550001111\n"),
    (BASE + 30, "[WARNING]\t2026-11-28T00:00:00.030Z\tr-1\tcounter reset\n"),
    (BASE + 40, request_line("r-1", "POST", "/sms/reply", route="/sms/reply", status=200, duration=12.5)),
    (BASE + 50, "END RequestId: r-1\n"),
    (BASE + 60, "REPORT RequestId: r-1\tDuration: 13.10 ms\tBilled Duration: 14 ms\tMemory Size: 256 MB\n"),
    (BASE + 1000, "START RequestId: r-2 Version: $LATEST\n"),
    (BASE + 1010, request_line("r-2", "GET", "/nope", route=None, status=404, duration=0.8)),
    (BASE + 1020, "END RequestId: r-2\n"),
    (BASE + 1030, "REPORT RequestId: r-2\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 256 MB\n"),
    (BASE + 2000, "START RequestId: r-3 Version: $LATEST\n"),
    (BASE + 2010, "2026-11-28T00:00:15.000Z r-3 Task timed out after 13.00 seconds\n"),
    (BASE + 2020, "END RequestId: r-3\n"),
    (
        BASE + 2030,
        "REPORT RequestId: r-3\tDuration: 13000.00 ms\tBilled Duration: 13000 ms\tMemory Size: 256 MB\n",
    ),
]


@pytest.fixture(scope="module")
def project(module_aws: LocalAws, module_project: Path, template: Template) -> Path:
    deploy(module_project, "dev", template.package)
    deploy(module_project, "prod", template.package)
    put_log_events(module_aws, "dev", STREAM, EVENTS)
    return module_project


def test_one_line_per_request_with_handler_output_under_it(project: Path) -> None:
    result = cli(project, "logs", "--since", "10m")

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{stamp(0)}  INIT_START Runtime Version: python:3.12.v40  Runtime Version ARN: "
        "arn:aws:lambda:us-east-1::rt:7",
        f"{stamp(10)}  POST /sms/reply  200  12.5 ms",
        "    got a message from +15550001111",
        "    WARNING counter reset",
        f"{stamp(1000)}  GET /nope  404  0.8 ms",
        f"{stamp(2000)}  request r-3  -  13000 ms",
        "    2026-11-28T00:00:15.000Z r-3 Task timed out after 13.00 seconds",
    ]


def test_route_filter_and_json(project: Path) -> None:
    result = cli(project, "logs", "--route", "/sms/reply", "--json")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        {
            "request_id": "r-1",
            "timestamp": BASE + 10,
            "method": "POST",
            "path": "/sms/reply",
            "route": "/sms/reply",
            "status": 200,
            "duration_ms": 12.5,
            "output": [
                {"timestamp": BASE + 20, "message": "got a message from +15550001111"},
                {"timestamp": BASE + 30, "message": "WARNING counter reset"},
            ],
        }
    ]


def test_nothing_logged_yet(project: Path) -> None:
    result = cli(project, "logs", "--production", "--since", "30s")

    assert result.returncode == 0, result.stderr
    assert result.stdout == "No requests logged by svc-prod in the last 30s.\n"


def test_since_must_be_a_duration(project: Path) -> None:
    result = cli(project, "logs", "--since", "yesterday")

    assert result.returncode == 1
    assert panel_lines(result.stderr) == [
        "--since 'yesterday' is not a duration.",
        "",
        "Write a number and a unit: 30s, 10m, 2h or 1d.",
    ]


def test_missing_environment(project: Path) -> None:
    result = cli(project, "logs", "--environment", "staging")

    assert result.returncode == 1
    assert panel_lines(result.stderr) == not_deployed_panel()


def test_bad_credentials(project: Path, module_aws: LocalAws) -> None:
    with module_aws.rejecting_credentials():
        result = cli(project, "logs", "--json")

    assert result.returncode == 1
    assert result.stdout == ""
    assert panel_lines(result.stderr) == [
        f"Reading the function svc-dev failed: {BAD_TOKEN}",
        "",
        CREDENTIALS_HINT,
    ]


@pytest.mark.parametrize(
    ("sigint", "route"), [("default", "/hello-world"), ("ignored", "/hello-world/nohup")]
)
def test_tail_follows_new_requests_until_ctrl_c(
    project: Path, module_aws: LocalAws, sigint: str, route: str
) -> None:
    """Ctrl-C stops --tail even when the command was started with SIGINT ignored (`&`, nohup). Each case has
    its own route and request ids: a tail looks back 10 seconds, so it would also show the other case's."""
    command = [str(SCRIPT), "logs", "--tail", "--since", "1s", "--route", route]
    process = subprocess.Popen(
        command if sigint == "default" else ignoring_sigint(command),
        cwd=project,
        env=cli_environment(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    arrived = threading.Condition()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            with arrived:
                lines.append(line.rstrip("\n"))
                arrived.notify_all()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        with arrived:
            assert arrived.wait_for(lambda: len(lines) >= 1, timeout=60), process.stderr
        assert lines == ["Following svc-dev (Ctrl-C to stop)…"]
        now = int(time.time()) * 1000
        put_log_events(
            module_aws,
            "dev",
            "2026/11/28/[$LATEST]fedcba9876543210",
            [
                (now, f"START RequestId: {sigint}-1 Version: $LATEST\n"),
                (
                    now + 1,
                    request_line(f"{sigint}-1", "GET", "/state", route="/state", status=200, duration=2.0),
                ),
                (now + 2, f"END RequestId: {sigint}-1\n"),
                (now + 3, f"START RequestId: {sigint}-2 Version: $LATEST\n"),
                (now + 4, "hello\n"),
                (
                    now + 5,
                    request_line(f"{sigint}-2", "GET", route, route=route, status=200, duration=4.5),
                ),
                (now + 6, f"END RequestId: {sigint}-2\n"),
            ],
        )
        when = datetime.fromtimestamp((now + 3) / 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
        with arrived:
            assert arrived.wait_for(lambda: len(lines) >= 3, timeout=60)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        reader.join(timeout=10)
        assert lines == [
            "Following svc-dev (Ctrl-C to stop)…",
            f"{when}  GET {route}  200  4.5 ms",
            "    hello",
        ]
    finally:
        stop_process_group(process, signum=None)
