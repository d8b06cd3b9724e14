"""The log pipeline renders request lines, handler output and runtime events off the request path."""

from __future__ import annotations

import io
import logging
import re

from rich.console import Console

from pyserverless.server.request_log import (
    REQUEST_PARTS_KEPT,
    REQUEST_PARTS_PATH_LIMIT,
    LogPipeline,
    RequestLine,
    Styles,
    render,
)

CLOCK = r"\d\d:\d\d:\d\d"


def run_pipeline(console: Console, show_requests: bool = True) -> None:
    pipeline = LogPipeline(console, show_requests=show_requests)
    pipeline.start()
    try:
        pipeline.log_request(RequestLine(200, "GET", "/hello", 0.0123, "text/plain; charset=utf-8", 0.0))
        pipeline.log_request(RequestLine(404, "POST", "/nope", 0.0004, None, 0.0))
        logging.getLogger("pyserverless.handler").info("printed by a handler", extra={"route": "/sms/reply"})
        logging.getLogger("pyserverless.runtime").warning(
            "%s took too long", "/slow", extra={"route": "/slow"}
        )
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            logging.getLogger("pyserverless.server").exception("pyserverless failed on %s", "GET /x")
    finally:
        pipeline.stop()


def test_each_item_becomes_one_plain_line_when_the_output_is_not_a_terminal() -> None:
    output = io.StringIO()
    run_pipeline(Console(file=output, force_terminal=False))
    lines = output.getvalue().splitlines()
    assert re.fullmatch(f"{CLOCK} 200 GET /hello 12.3 ms text/plain; charset=utf-8", lines[0])
    assert re.fullmatch(f"{CLOCK} 404 POST /nope 0.4 ms", lines[1])
    assert re.fullmatch(rf"{CLOCK} \[/sms/reply\] printed by a handler", lines[2])
    assert re.fullmatch(rf"{CLOCK} \[/slow\] /slow took too long", lines[3])
    assert re.fullmatch(f"{CLOCK} pyserverless failed on GET /x", lines[4])
    assert lines[5] == "Traceback (most recent call last):"
    assert lines[-1] == "RuntimeError: boom"
    assert "\x1b[" not in output.getvalue()


def test_statuses_are_coloured_on_a_terminal() -> None:
    output = io.StringIO()
    run_pipeline(Console(file=output, force_terminal=True, color_system="standard"))
    text = output.getvalue()
    assert "\x1b[1;32m200\x1b[0m GET /hello" in text
    assert "\x1b[1;33m404\x1b[0m POST /nope" in text


def test_no_logs_drops_request_lines_only() -> None:
    output = io.StringIO()
    run_pipeline(Console(file=output, force_terminal=False), show_requests=False)
    text = output.getvalue()
    assert " GET /hello " not in text
    assert "[/sms/reply] printed by a handler" in text


def test_stop_detaches_from_the_loggers() -> None:
    pipeline = LogPipeline(Console(file=io.StringIO()))
    pipeline.start()
    pipeline.stop()
    assert not any(
        type(handler).__name__ == "QueueLogHandler" for handler in logging.getLogger("pyserverless").handlers
    )


def test_control_characters_from_requests_and_handlers_are_escaped() -> None:
    output = io.StringIO()
    pipeline = LogPipeline(Console(file=output, force_terminal=False))
    pipeline.start()
    try:
        pipeline.log_request(RequestLine(200, "GET", "/a\x9b2J", 0.001, "text/x\x1b[2J", 0.0))
        handler = logging.getLogger("pyserverless.handler")
        handler.info("title \x1b]0;owned\x07 clear \x1b[2J\rback", extra={"route": "/say\x1b"})
        try:
            raise RuntimeError("boom \x1b[31m")
        except RuntimeError:
            logging.getLogger("pyserverless.server").exception("failed on %s", "/x\x85y")
    finally:
        pipeline.stop()
    text = output.getvalue()
    lines = text.splitlines()
    assert re.fullmatch(rf"{CLOCK} 200 GET /a\\x9b2J 1.0 ms text/x\\x1b\[2J", lines[0])
    assert re.fullmatch(
        rf"{CLOCK} \[/say\\x1b\] title \\x1b\]0;owned\\x07 clear \\x1b\[2J\\x0dback", lines[1]
    )
    assert re.fullmatch(rf"{CLOCK} failed on /x\\x85y", lines[2])
    assert lines[-1] == "RuntimeError: boom \\x1b[31m"
    assert not any(character in text for character in "\x1b\x07\x9b\x85\r")


def test_request_lines_of_more_kinds_than_are_kept_render_the_same() -> None:
    styles = Styles(Console(file=io.StringIO(), force_terminal=True, color_system="standard"))
    created = 1_700_000_000.0
    clock = styles.clock(created)
    long_path = "/" + "a" * REQUEST_PARTS_PATH_LIMIT  # longer than a kept path may be
    for duration, shown in ((0.0012, "1.2"), (1.5, "1500.0")):
        for path in [*(f"/p{index}" for index in range(REQUEST_PARTS_KEPT + 5)), long_path]:
            line = RequestLine(201, "POST", path, duration, "text/xml\x1b", created, True)
            assert render(line, styles) == (
                f"{clock} \x1b[1;32m201\x1b[0m POST {path} \x1b[2m{shown} ms text/xml\\x1b (recorded)\x1b[0m"
            )
