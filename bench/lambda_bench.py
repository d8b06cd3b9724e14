"""Per-invocation cost of the Lambda entry point against Mangum + Starlette, both as Lambda runs them.

Run through `bench/lambda`, which installs mangum and starlette into bench/.cache/lambda-site first. The
deploy package of lambda-projects/python (one public function answering a TwiML "Hello <Body>!") is built for
this interpreter's version and machine, as `deploy` builds it, and unzipped into bench/.cache/lambda-task.
Then, for each of `--processes` rounds, one process of each side is started with `python -I -S -B` (no site
packages, no PYTHON* variables, as Lambda's host; and no byte code written, as in Lambda's read-only
/var/task: what is imported runs from the byte code the package carries, or is compiled again each time) by
lambda-projects/host.py:
  (a) pyserverless.runtime.lambda_entry.handler from the unzipped package (its request log on);
  (b) Mangum over a Starlette app answering the same TwiML (lambda-projects/starlette_app.py), with twilio
      from the same unzipped package and mangum + starlette from the cache.
Both answer the same Function URL event (payload format 2.0, a Twilio SMS webhook, form body base64-encoded as
AWS delivers it). Each process times its import, its first invocation, and --calls warm invocations in each of
five rounds (the best round kept). Prints the medians over the processes and the ratio a/b; targets: warm
ratio <= 1.0, cold import of (a) <= 50 ms. The bench stops if (a) did not log one JSON line per request or the
two sides answered differently.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import statistics
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from pyserverless.deploy.package import build_package
from pyserverless.deploy.target import LambdaTarget
from pyserverless.project.folder import load_project

BENCH = Path(__file__).resolve().parent
PROJECTS = BENCH / "lambda-projects"
TASK = BENCH / ".cache" / "lambda-task"
ROUNDS = 5
TARGET_WARM_RATIO = 1.0
TARGET_COLD_IMPORT_MS = 50.0
DOMAIN = "abcdefghijklmnopqrstuvwxyz123456.lambda-url.us-east-1.on.aws"
SID = "SM0123456789abcdef0123456789abcdef"
FORM = [
    ("ToCountry", "US"),
    ("SmsMessageSid", SID),
    ("NumMedia", "0"),
    ("SmsSid", SID),
    ("SmsStatus", "received"),
    ("Body", "Ahoy"),
    ("To", "+15005550006"),
    ("NumSegments", "1"),
    ("MessageSid", SID),
    ("AccountSid", "AC0123456789abcdef0123456789abcdef"),
    ("From", "+15551230000"),
    ("ApiVersion", "2010-04-01"),
]


def sms_event() -> dict[str, Any]:
    """A Function URL event (payload format 2.0) of Twilio posting an incoming SMS to /hello."""
    body = urlencode(FORM).encode("utf-8")
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": "/hello",
        "rawQueryString": "",
        "headers": {
            "content-type": "application/x-www-form-urlencoded",
            "host": DOMAIN,
            "user-agent": "TwilioProxy/1.1",
            "x-amzn-trace-id": "Root=1-6571b2a3-0a1b2c3d4e5f60718293a4b5",
            "x-forwarded-for": "54.172.60.1",
            "x-forwarded-port": "443",
            "x-forwarded-proto": "https",
            "x-twilio-signature": "dGhpcyBpcyBub3QgY2hlY2tlZCBvbiBhIHB1YmxpYyByb3V0ZQ==",
            "content-length": str(len(body)),
            "accept": "*/*",
        },
        "requestContext": {
            "accountId": "anonymous",
            "apiId": "abcdefghijklmnopqrstuvwxyz123456",
            "domainName": DOMAIN,
            "domainPrefix": "abcdefghijklmnopqrstuvwxyz123456",
            "http": {
                "method": "POST",
                "path": "/hello",
                "protocol": "HTTP/1.1",
                "sourceIp": "54.172.60.1",
                "userAgent": "TwilioProxy/1.1",
            },
            "requestId": "8476a536-e9f4-11e8-9739-2dfe598c3fcd",
            "routeKey": "$default",
            "stage": "$default",
            "time": "06/Dec/2026:10:00:00 +0000",
            "timeEpoch": 1796551200000,
        },
        "body": base64.b64encode(body).decode("ascii"),
        "isBase64Encoded": True,
    }


def unzip_package() -> str | None:
    """The deploy package of lambda-projects/python for this interpreter and machine, unzipped into TASK; the
    tag of the byte code it carries."""
    target = LambdaTarget(
        runtime=f"python{sys.version_info.major}.{sys.version_info.minor}",
        arch="arm64" if os.uname().machine in ("aarch64", "arm64") else "x86_64",
    )
    package = build_package(load_project(PROJECTS / "python"), target)
    shutil.rmtree(TASK, ignore_errors=True)
    TASK.mkdir(parents=True)
    archive = TASK.with_suffix(".zip")
    archive.write_bytes(package.data)
    with zipfile.ZipFile(archive) as unzipped:
        unzipped.extractall(TASK)
    return package.bytecode


def run_host(entry: str, site: Path, event: dict[str, Any], calls: int) -> dict[str, Any]:
    """One process of `entry` ("pyserverless" or "mangum"): its figures, first answer, request log lines."""
    command = [sys.executable, "-I", "-S", "-B", str(PROJECTS / "host.py"), entry, str(TASK)]
    if entry == "mangum":
        command += [str(PROJECTS), str(site)]
    environment = {
        "LAMBDA_TASK_ROOT": str(TASK),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYSERVERLESS_ENV_KEYS": "",
        "PYSERVERLESS_TIMEOUT": "10",
    }
    job = json.dumps({"event": event, "rounds": ROUNDS, "calls": calls}) + "\n"
    result = subprocess.run(
        command,
        input=job,
        capture_output=True,
        text=True,
        env=environment,
        cwd=TASK,
        check=False,
        timeout=600,
    )
    if result.returncode != 0:
        raise SystemExit(f"the {entry} process failed:\n{result.stderr[-3000:]}")
    report: dict[str, Any] = json.loads(result.stdout)
    report["log_lines"] = result.stderr.count('"pyserverless": "request"')
    return report


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--comparison-site", type=Path, required=True, help="where mangum and starlette are")
    parser.add_argument("--processes", type=int, default=7, help="processes of each side (default 7)")
    parser.add_argument("--calls", type=int, default=2000, help="warm calls per round (default 2000)")
    options = parser.parse_args()
    bytecode = unzip_package()
    event = sms_event()
    figures: dict[str, dict[str, list[float]]] = {}
    answers: dict[str, Any] = {}
    for _ in range(options.processes):
        for entry in ("pyserverless", "mangum"):  # interleaved: the machine's load hits both alike
            report = run_host(entry, options.comparison_site.resolve(), event, options.calls)
            side = figures.setdefault(entry, {"import_ms": [], "first_call_ms": [], "call_us": []})
            side["import_ms"].append(report["import_ms"])
            side["first_call_ms"].append(report["first_call_ms"])
            side["call_us"].append(min(report["call_us"]))
            answers[entry] = report["answer"]
            expected_lines = 1 + ROUNDS * options.calls
            if entry == "pyserverless" and report["log_lines"] != expected_lines:
                raise SystemExit(f"expected {expected_lines} request log lines, saw {report['log_lines']}")
    ours, theirs = answers["pyserverless"], answers["mangum"]
    if (ours["statusCode"], ours["body"]) != (theirs["statusCode"], theirs["body"]):
        raise SystemExit(f"the two sides answered differently:\n{ours}\n{theirs}")
    medians = {
        entry: {name: statistics.median(values) for name, values in side.items()}
        for entry, side in figures.items()
    }
    version = sys.version.split()[0]
    print(f"Python {version}: {options.processes} processes each, best of {ROUNDS} x {options.calls} calls")
    print(f"package byte code: {bytecode or 'none (each process compiles what it imports)'}")
    print(f"{'':26}{'import ms':>10}{'first call ms':>15}{'warm call µs':>14}")
    for entry, label in (("pyserverless", "(a) lambda_entry"), ("mangum", "(b) Mangum + Starlette")):
        median = medians[entry]
        print(
            f"{label:26}{median['import_ms']:10.1f}{median['first_call_ms']:15.2f}{median['call_us']:14.1f}"
        )
    warm_ratio = medians["pyserverless"]["call_us"] / medians["mangum"]["call_us"]
    print(f"warm call a/b: {warm_ratio:.2f} (target <= {TARGET_WARM_RATIO:.1f})")
    cold_import = medians["pyserverless"]["import_ms"]
    print(f"cold import (a): {cold_import:.1f} ms (target <= {TARGET_COLD_IMPORT_MS:.0f} ms)")


if __name__ == "__main__":
    main()
