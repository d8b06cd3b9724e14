"""Requests per second of `pyserverless start` against twilio-run and a bare uvicorn + Starlette app.

Run through `bench/throughput`, which installs wrk and twilio-run first. The three servers are started on free
ports and warmed up for 2 s each; then each round measures each server in turn with `wrk -t2 -c16 -d10s` on
GET /hello (interleaved, so a change in the machine's background load hits all three alike), and the median of
the rounds is kept:
  (a) `pyserverless start` serving bench/throughput-projects/python (a public function answering
      "Hello World!"), request log on (its output goes to a file, as it would to a terminal);
  (b) `twilio-run start --no-fork-process` serving the same function in JavaScript (throughput-projects/node);
  (c) uvicorn + Starlette answering the same string (throughput-projects/starlette_app.py), access log off.
Prints requests/s of each and the ratios a/b (target >= 1.5) and a/c (target >= 0.5).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECTS = BENCH / "throughput-projects"
TWILIO_RUN = BENCH / ".cache" / "node_modules" / ".bin" / "twilio-run"
TARGET_VS_NODE = 1.5
TARGET_VS_STARLETTE = 0.5


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_answering(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server for {url} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200 and response.read() == b"Hello World!":
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer 'Hello World!' within {timeout:g} s")


def wrk(url: str, duration: str) -> float:
    output = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{duration}", url], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: .*", output)
    if match is None:
        raise SystemExit(f"cannot read wrk's output:\n{output}")
    if errors:
        print(f"  wrk reported: {errors.group(0)}")
    return float(match.group(1))


class Server:
    """One server under test, started in its own session with its output going to a file."""

    def __init__(self, name: str, command: list[str], cwd: Path, log: Path) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/hello"
        self._output = log.open("wb")
        self.process = subprocess.Popen(
            [part.replace("{port}", str(self.port)) for part in command],
            cwd=cwd,
            stdout=self._output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.rates: list[float] = []

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._output.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", default="10s", help="wrk's -d for each measured run (default 10s)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="measured runs per server, interleaved (default 3)"
    )
    args = parser.parse_args()
    logs = Path(tempfile.mkdtemp(prefix="pyserverless-bench-"))
    print(
        f"wrk -t2 -c16 -d{args.duration} on GET /hello, {args.rounds} interleaved round(s), median kept "
        f"(server output in {logs})"
    )
    print(
        f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (other work skews figures)"
    )
    specs = [
        (
            "(a) pyserverless start",
            [sys.executable, "-m", "pyserverless", "start", "--port", "{port}"],
            "python",
        ),
        (
            "(b) twilio-run start --no-fork-process",
            [str(TWILIO_RUN), "start", "--no-fork-process", "--port", "{port}"],
            "node",
        ),
        (
            "(c) uvicorn + Starlette",
            [
                sys.executable,
                "-m",
                "uvicorn",
                "starlette_app:app",
                "--port",
                "{port}",
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            ".",
        ),
    ]
    servers: list[Server] = []
    try:
        for name, command, folder in specs:
            servers.append(
                Server(name, command, PROJECTS / folder, logs / f"{folder.strip('.') or 'starlette'}.log")
            )
        for server in servers:
            wait_until_answering(server.url, server.process)
            wrk(server.url, "2s")
        for round_number in range(1, args.rounds + 1):
            for server in servers:
                server.rates.append(wrk(server.url, args.duration))
            print(
                f"  round {round_number}: " + ", ".join(f"{s.name[:3]} {s.rates[-1]:,.0f}" for s in servers)
            )
    finally:
        for server in servers:
            server.stop()
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    pyserverless, node, starlette = (statistics.median(server.rates) for server in servers)
    for server in servers:
        print(f"{server.name}: {statistics.median(server.rates):,.0f} requests/s")
    vs_node = pyserverless / node
    vs_starlette = pyserverless / starlette
    verdict = "met" if vs_node >= TARGET_VS_NODE else "NOT met"
    print(f"a/b = {vs_node:.2f} (target >= {TARGET_VS_NODE}): {verdict}")
    print(
        f"a/c = {vs_starlette:.2f} (target >= {TARGET_VS_STARLETTE}): "
        f"{'met' if vs_starlette >= TARGET_VS_STARLETTE else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
