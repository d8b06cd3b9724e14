"""Byte code in the deploy package, so that a cold start does not compile what it imports.

Lambda unzips the package into a read-only `/var/task`: Python cannot write the byte code it compiles there,
so without byte code in the package every cold start compiles again the runtime, the functions and the
dependencies it imports. bench/lambda, run as Lambda runs (`python -B`, nothing kept), within one quiet half
hour: importing the entry point (which imports twilio's TwiML) took 78–80 ms with byte code for the runtime
only, 45–64 ms with the dependencies' too (Mangum + Starlette's import: 173–179 ms, then 92–135 ms). It costs
package size: twilio and its dependencies go from 6.4 to 13.7 MB zipped (Lambda takes 50), so when only the
dependencies' byte code would break Lambda's limits, the package leaves it out (package.py).

`BytecodeCompiler.find(target)` looks for an interpreter of the target's Python version (this one when it
is, else `pythonX.Y` on PATH if it runs) and `compile(folder)` runs its `compileall` over a folder: one
`__pycache__/<name>.<tag>.pyc` beside each module. They are unchecked-hash pycs (PEP 552): they hold no file
time, and Python loads them without reading the source to compare, which nothing could change on Lambda.
Compiled with PYTHONHASHSEED=0 and file names under `/var/task` (where Lambda puts the package), the same
sources give the same bytes on every machine and every build, so the package stays byte-identical. Without
such an interpreter the package has no byte code, and `deploy` says so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from pyserverless.deploy.target import LambdaTarget

#: Where Lambda unzips the package: the file names recorded in the byte code.
TASK_ROOT = "/var/task"
COMPILE_TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class BytecodeCompiler:
    """An interpreter of the target's Python version and the tag of its byte code files (`cpython-312`)."""

    python: str
    cache_tag: str

    @classmethod
    def find(cls, target: LambdaTarget) -> BytecodeCompiler | None:
        """This interpreter if it runs the target's version, else a running `pythonX.Y` on PATH; or None."""
        if f"{sys.version_info.major}.{sys.version_info.minor}" == target.python_version:
            return cls(sys.executable, sys.implementation.cache_tag)
        found = shutil.which(f"python{target.python_version}")
        if found is None:
            return None
        probe = subprocess.run(
            [found, "-c", "import sys; print(sys.implementation.cache_tag)"],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        tag = probe.stdout.strip()
        if probe.returncode != 0 or tag != f"cpython-{target.python_version.replace('.', '')}":
            return None  # e.g. a pyenv shim for a version that is installed but not selected
        return cls(found, tag)

    def compile(self, folder: Path) -> None:
        """Write the byte code of every module under `folder` beside it, named as under `/var/task`.

        A module that does not compile for this version gets none (compileall carries on with the others):
        on Lambda its import fails with the same error, as it would without byte code.
        """
        subprocess.run(
            [
                self.python,
                "-m",
                "compileall",
                "-q",
                "--invalidation-mode",
                "unchecked-hash",
                "-s",
                str(folder),
                "-p",
                TASK_ROOT,
                str(folder),
            ],
            capture_output=True,
            check=False,
            timeout=COMPILE_TIMEOUT_SECONDS,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
