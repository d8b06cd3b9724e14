"""Raw ASGI against Starlette for the local server's adapter: why `pyserverless.server.app.ServerApp` is raw
ASGI.

Both adapters (bench/adapter_apps.py) run on uvicorn (no access log, no proxy headers) over the same
`Dispatcher` and the same "Hello World!" function; wrk -t2 -c16 measures each in turn for `--rounds` rounds.
Prints requests/s and the server's CPU time per request (from /proc), medians of the rounds. Needs wrk (run
bench/throughput once, which installs it) and the test extra (starlette):

    python bench/adapter.py         # options: --duration 10s --rounds 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from throughput import Server, wait_until_answering, wrk

BENCH = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", default="10s", help="wrk's -d for each measured run (default 10s)")
    parser.add_argument("--rounds", type=int, default=3, help="measured runs per adapter (default 3)")
    args = parser.parse_args()
    logs = Path(tempfile.mkdtemp(prefix="pyserverless-adapter-"))
    uvicorn = [sys.executable, "-m", "uvicorn", "--factory", "--port", "{port}", "--no-access-log"]
    uvicorn += ["--no-proxy-headers", "--log-level", "warning", "--lifespan", "off"]
    servers = [
        Server(f"{name} adapter", [*uvicorn, f"adapter_apps:{name}"], BENCH, logs / f"{name}.log")
        for name in ("raw", "starlette")
    ]
    try:
        for server in servers:
            wait_until_answering(server.url, server.process)
            wrk(server.url, "2s")
        for _ in range(args.rounds):
            for server in servers:
                server.measure(args.duration)
    finally:
        for server in servers:
            server.stop()
    for server in servers:
        rate = statistics.median(server.rates)
        cpu_per_request = 1_000_000 / statistics.median(server.per_cpu_second)
        print(f"{server.name}: {rate:,.0f} requests/s, {cpu_per_request:.0f} µs of server CPU per request")


if __name__ == "__main__":
    main()
