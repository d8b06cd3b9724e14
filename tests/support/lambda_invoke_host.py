"""A stand-in for Lambda's Python host: import the entry point from an unzipped package, nothing else.

Run as `python -I -S lambda_invoke_host.py TASK_DIR`: no site-packages, no PYTHON* variables, no script folder
on sys.path; only TASK_DIR (the unzipped deploy package) is added, as Lambda adds /var/task. It first prints
one JSON line describing where `pyserverless` was imported from, then reads one Function URL event per stdin
line and prints `lambda_entry.handler(event, None)` as one JSON line.
"""

from __future__ import annotations

import importlib.util
import json
import sys

task_dir = sys.argv[1]
sys.path.insert(0, task_dir)

from pyserverless.runtime import lambda_entry  # noqa: E402

print(
    json.dumps(
        {
            "entry": lambda_entry.__file__,
            "cli_importable": importlib.util.find_spec("pyserverless.cli") is not None,
            "sys_path": sys.path,
        }
    ),
    flush=True,
)
for line in sys.stdin:
    print(json.dumps(lambda_entry.handler(json.loads(line), None)), flush=True)
