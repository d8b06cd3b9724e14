"""Microseconds per step of the runtime's request path, in-process: what `Dispatcher.run_function` and the
request log do for bench/throughput's request (`GET /hello` with wrk's one header, the sync "Hello World!"
function), without sockets and without the hand-off to a worker thread.

Each step is called `--iterations` times, in ten loops timed with `time.process_time_ns` (CPU time, which
other load on the machine skews less), of which the fastest counts (the loop's own cost, about 0.05 µs, is
included); a round measures every step once, in a process of its own, and the median of the rounds is
printed.
"whole path" is every dispatch step in turn, as `run_function` chains them; "dispatch on uvloop" awaits
`Dispatcher.dispatch` itself, one request after another, so it includes the hand-off to a worker thread
(the CPU time of both threads). `--compare PYTHON` runs the
same rounds in another environment too (say a venv with main installed), interleaved round by round in
child processes, and prints both columns and their ratio. `--profile` prints cProfile's top entries for the
whole path instead.

    python bench/request_path.py              # options: --iterations 100000 --rounds 7 --compare PYTHON
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import queue
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvloop
from rich.console import Console

from pyserverless.project.folder import load_project
from pyserverless.runtime.dispatch import Dispatcher, FunctionCall, RuntimeSettings, _HandlerScope
from pyserverless.runtime.event import build_event, parse_body
from pyserverless.runtime.http import Headers, Request
from pyserverless.runtime.invoke import Settlement, call_sync
from pyserverless.runtime.output import install_output_capture
from pyserverless.server.request_log import RequestLine, Styles, render

PROJECT = Path(__file__).resolve().parent / "throughput-projects" / "python"
#: Requests dispatched one after another in one run of the event loop.
DISPATCHES = 1000


def steps() -> dict[str, Callable[[], Any]]:
    """The steps, each a call without arguments over one prepared request."""
    project = load_project(PROJECT)
    dispatcher = Dispatcher(RuntimeSettings(root=project.root, routes=project.routes, env=project.env))
    install_output_capture()  # as the local server does: handler output capture on
    # What ServerApp builds from wrk's request.
    request = Request(
        "GET",
        "/hello",
        "",
        Headers([("host", "127.0.0.1:8080")]),
        b"",
        "http://127.0.0.1:8080/hello",
        "127.0.0.1",
    )
    admitted = dispatcher._admit(request)
    assert isinstance(admitted, tuple)
    route = admitted[0]
    handler = dispatcher._load(route)
    body = parse_body(request.headers, request.body)
    call = dispatcher._target(admitted, request)
    assert isinstance(call, FunctionCall)
    styles = Styles(Console(file=io.StringIO(), highlight=False))
    line = RequestLine(200, "GET", "/hello", 0.000123, "text/plain; charset=utf-8", time.time())
    log_file = open("/dev/null", "w")  # noqa: SIM115 - held for the process

    def handler_call() -> Any:
        settlement = Settlement(route.path, handler.takes_callback)
        call_sync(handler.function, handler.arguments(None, {}, settlement), settlement)
        return settlement.outcome

    outcome = handler_call()

    def scope() -> None:
        with _HandlerScope(route.path, dispatcher._scope):
            pass

    def whole_path() -> Any:
        admitted = dispatcher._admit(request)
        call = dispatcher._target(admitted, request)
        with _HandlerScope(route.path, dispatcher._scope):
            context = dispatcher._context(call)
            settlement = Settlement(route.path, handler.takes_callback)
            call_sync(handler.function, handler.arguments(context, call.event, settlement), settlement)
        return Dispatcher._finished(call, dispatcher._answer(route, settlement.outcome, request))

    items: queue.SimpleQueue[RequestLine] = queue.SimpleQueue()

    def log_batch() -> None:
        """One request line's share of a 2,000-line batch: put, rendered, joined, written."""
        for _ in range(2000):
            items.put(line)
        lines = []
        while True:
            try:
                lines.append(render(items.get_nowait(), styles))
            except queue.Empty:
                break
        log_file.write("\n".join(lines) + "\n")
        log_file.flush()

    loop = uvloop.new_event_loop()

    async def dispatches() -> None:
        for _ in range(DISPATCHES):
            await dispatcher.dispatch(request)

    return {
        "_admit": lambda: dispatcher._admit(request),
        "parse_body": lambda: parse_body(request.headers, request.body),
        "build_event": lambda: build_event(request, body),
        "_target (parse_body, build_event)": lambda: dispatcher._target(admitted, request),
        "_context": lambda: dispatcher._context(call),
        "_HandlerScope enter+exit": scope,
        "handler call (Settlement, call_sync)": handler_call,
        "_answer (payload_response)": lambda: dispatcher._answer(route, outcome, request),
        "_finished": lambda: Dispatcher._finished(call, dispatcher._answer(route, outcome, request)),
        "whole path": whole_path,
        f"dispatch on uvloop, hand-off included, /{DISPATCHES}": lambda: loop.run_until_complete(
            dispatches()
        ),
        "RequestLine + render": lambda: render(
            RequestLine(200, "GET", "/hello", 0.000123, "text/plain; charset=utf-8", time.time()), styles
        ),
        "log batch, per line /2000": log_batch,
    }


def measure(iterations: int) -> dict[str, float]:
    """µs per call of each step, one round: the fastest of ten runs of `iterations / 10` calls."""
    figures = {}
    for name, step in steps().items():
        batch = 2000 if name.startswith("log batch") else DISPATCHES if name.startswith("dispatch") else 1
        count = max(1, iterations // 10 // batch)
        step()
        fastest = None
        for _ in range(10):
            started = time.process_time_ns()
            for _ in range(count):
                step()
            elapsed = time.process_time_ns() - started
            fastest = elapsed if fastest is None else min(fastest, elapsed)
        figures[name] = fastest / count / batch / 1000
    return figures


def profile(iterations: int) -> None:
    whole_path = steps()["whole path"]
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(iterations):
        whole_path()
    profiler.disable()
    pstats.Stats(profiler, stream=sys.__stdout__).sort_stats("tottime").print_stats(25)


def child_round(python: str, iterations: int) -> dict[str, float]:
    command = [python, __file__, "--child", "--iterations", str(iterations)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(result.stdout)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--iterations", type=int, default=100_000, help="calls per step and round")
    parser.add_argument("--rounds", type=int, default=7, help="rounds (median kept)")
    parser.add_argument("--compare", metavar="PYTHON", help="also measure in this Python's environment")
    parser.add_argument("--profile", action="store_true", help="cProfile the whole path instead")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.__stdout__.write(json.dumps(measure(args.iterations)))
        return
    if args.profile:
        profile(args.iterations)
        return
    pythons = [sys.executable, *([args.compare] if args.compare else [])]
    rounds: list[list[dict[str, float]]] = [[] for _ in pythons]
    for _ in range(args.rounds):
        for python, runs in zip(pythons, rounds, strict=True):
            runs.append(child_round(python, args.iterations))
    medians = [
        {name: statistics.median(figures[name] for figures in runs) for name in runs[0]} for runs in rounds
    ]
    width = max(map(len, medians[0]))
    header = f"{'step (µs per request)':<{width}}  {'this':>7}"
    if args.compare:
        header += f"  {'compare':>7}  {'ratio':>5}"
    print(header)
    for name, figure in medians[0].items():
        row = f"{name:<{width}}  {figure:7.2f}"
        if args.compare and name in medians[1]:
            row += f"  {medians[1][name]:7.2f}  {figure / medians[1][name]:5.2f}"
        print(row)


if __name__ == "__main__":
    main()
