"""One Lambda process of bench/lambda, as Lambda runs one: `python -I -S -B host.py ENTRY TASK_DIR [DIR...]`.

Adds TASK_DIR (the unzipped package) and each DIR (where mangum, starlette and its app are) to sys.path,
imports ENTRY ("pyserverless": lambda_entry, "mangum": lambda-projects/starlette_app.py) timing it, then
reads one JSON line from stdin: {"event": ..., "rounds": R, "calls": N}. It answers the event once (the
first invocation, timed), then R rounds of N calls, and prints one JSON line: import and first-call
milliseconds, the per-call microseconds of each round, and the first answer (to check both answered alike).
"""

import json
import sys
import time

started = time.perf_counter()
entry, task_dir = sys.argv[1], sys.argv[2]
sys.path[:0] = [task_dir, *sys.argv[3:]]
if entry == "pyserverless":
    from pyserverless.runtime.lambda_entry import handler
else:
    from starlette_app import handler
imported = time.perf_counter()
job = json.loads(sys.stdin.readline())
event = job["event"]


class Context:
    aws_request_id = "8476a536-e9f4-11e8-9739-2dfe598c3fcd"


context = Context()
first_started = time.perf_counter()
answer = handler(event, context)
first = time.perf_counter() - first_started
rounds = []
for _ in range(job["rounds"]):
    round_started = time.perf_counter()
    for _ in range(job["calls"]):
        handler(event, context)
    rounds.append((time.perf_counter() - round_started) / job["calls"] * 1e6)
print(
    json.dumps(
        {
            "import_ms": (imported - started) * 1000,
            "first_call_ms": first * 1000,
            "call_us": rounds,
            "answer": answer,
        }
    )
)
