"""Requests per second of `pyserverless start` against twilio-run and a bare uvicorn + Starlette app.

Run through `bench/throughput`, which installs wrk and twilio-run first. The three servers are started on free
ports and warmed up for 2 s each; then each round measures each server in turn with `wrk -t2 -c16 -d10s` on
GET /hello (interleaved, so a change in the machine's background load hits all three alike), and the median of
the rounds is kept:
  (a) `pyserverless start` serving bench/throughput-projects/python (a public function answering
      "Hello World!"), request log on (its output goes to a file, as it would to a terminal);
  (b) `twilio-run start --no-fork-process` serving the same function in JavaScript (throughput-projects/node);
  (c) uvicorn + Starlette answering the same string (throughput-projects/starlette_app.py), access log off.
Prints requests/s of each and the ratios a/b (target >= 1.5) and a/c (target >= 0.8), and the same ratios of
requests per CPU-second the server process used (from /proc), which the machine's other load skews less.
`--compare PYTHON` adds (a') `pyserverless start` from another environment (e.g. a venv with main installed)
to the same rounds, and prints its a'/c beside a/c, so a change is measured as a ratio in one run.
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
TARGET_VS_STARLETTE = 0.8


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


def wrk(url: str, duration: str) -> tuple[float, int]:
    """Requests per second, and the number of requests, of one wrk run."""
    output = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{duration}", url], capture_output=True, text=True, check=True
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    count = re.search(r"(\d+) requests in", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: .*", output)
    if rate is None or count is None:
        raise SystemExit(f"cannot read wrk's output:\n{output}")
    if errors:
        print(f"  wrk reported: {errors.group(0)}")
    return float(rate.group(1)), int(count.group(1))


def session_cpu_seconds(session: int) -> float:
    """CPU time (user + system) used so far by every live process of a session (Linux /proc)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[3]) == session:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


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
        self.per_cpu_second: list[float] = []

    def measure(self, duration: str) -> None:
        """One wrk run: requests/s, and requests per CPU-second the server used (less skewed by load)."""
        cpu_before = session_cpu_seconds(self.process.pid)
        rate, count = wrk(self.url, duration)
        cpu = session_cpu_seconds(self.process.pid) - cpu_before
        self.rates.append(rate)
        self.per_cpu_second.append(count / cpu if cpu > 0 else float("nan"))

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
    parser.add_argument(
        "--compare",
        metavar="PYTHON",
        help="also measure `pyserverless start` run by this Python (another install), as (a')",
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
    if args.compare:
        specs.append(
            (
                "(a') pyserverless start, --compare",
                [args.compare, "-m", "pyserverless", "start", "--port", "{port}"],
                "python",
            )
        )
    servers: list[Server] = []
    try:
        for name, command, folder in specs:
            log_name = "compare" if name.startswith("(a')") else folder.strip(".") or "starlette"
            servers.append(Server(name, command, PROJECTS / folder, logs / f"{log_name}.log"))
        for server in servers:
            wait_until_answering(server.url, server.process)
            wrk(server.url, "2s")
        for round_number in range(1, args.rounds + 1):
            for server in servers:
                server.measure(args.duration)
            print(
                f"  round {round_number}: "
                + ", ".join(
                    f"{s.name.split()[0]} {s.rates[-1]:,.0f}/s ({s.per_cpu_second[-1]:,.0f}/CPU-s)"
                    for s in servers
                )
            )
    finally:
        for server in servers:
            server.stop()
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    for server in servers:
        print(
            f"{server.name}: {statistics.median(server.rates):,.0f} requests/s, "
            f"{statistics.median(server.per_cpu_second):,.0f} requests per CPU-second"
        )
    pyserverless, node, starlette = (statistics.median(server.rates) for server in servers[:3])
    report("a/b", pyserverless / node, TARGET_VS_NODE)
    report("a/c", pyserverless / starlette, TARGET_VS_STARLETTE)
    efficiency = [statistics.median(server.per_cpu_second) for server in servers]
    a_b, a_c = efficiency[0] / efficiency[1], efficiency[0] / efficiency[2]
    print(
        f"per CPU-second: a/b = {a_b:.2f}, a/c = {a_c:.2f} "
        "(pyserverless uses threads, so under other load it gets more CPU than single-threaded servers)"
    )
    if args.compare:
        compared = servers[3]
        print(
            f"--compare: a'/c = {statistics.median(compared.rates) / starlette:.2f}, "
            f"per CPU-second {efficiency[3] / efficiency[2]:.2f} (against a/c {pyserverless / starlette:.2f} "
            f"and {a_c:.2f})"
        )


def report(name: str, ratio: float, target: float) -> None:
    print(f"{name} = {ratio:.2f} (target >= {target}): {'met' if ratio >= target else 'NOT met'}")


if __name__ == "__main__":
    main()
