"""Run the installed `pyserverless` console script in a subprocess, the way a user runs it.

    from tests.support.cli_process import run_cli, panel_lines

    result = run_cli("init", "demo", cwd=tmp_path)             # CompletedProcess with text stdout/stderr
    assert result.returncode == 1
    assert panel_lines(result.stderr) == ["message", "", "hint"]  # the text inside a rich panel

- The script is the one installed next to the running interpreter (`<venv>/bin/pyserverless`).
- stdin is /dev/null (so no prompt ever waits) unless `input` is given; every run is bounded by `timeout`.
- The child gets `COLUMNS=200` (rich panels are not wrapped) and no `TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN`
  or `PYSERVERLESS_DEBUG` from the test runner; `env` adds or overrides variables (None removes one).
- `run_cli_in_terminal(..., dialogue=[(prompt, answer, hidden), ...])` runs it with a pseudo-terminal as
  stdin, in a new session, typing each answer once its prompt is shown (and, for a hidden prompt, once the
  terminal's echo is off).
"""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

from tests.support.processes import stop_process_group

SCRIPT = Path(sys.executable).parent / "pyserverless"
REMOVED_VARIABLES = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "PYSERVERLESS_DEBUG", "TWILIO_API_KEY")
_BORDERS = "│╭╮╰╯─"


def cli_environment(env: Mapping[str, str | None] | None = None) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if key not in REMOVED_VARIABLES}
    environment["COLUMNS"] = "200"
    for key, value in (env or {}).items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    return environment


def run_cli(
    *args: str,
    cwd: Path,
    env: Mapping[str, str | None] | None = None,
    input: str | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """Run `pyserverless ARGS` in `cwd` to completion."""
    return subprocess.run(
        [str(SCRIPT), *args],
        cwd=cwd,
        env=cli_environment(env),
        input=input,
        stdin=subprocess.DEVNULL if input is None else None,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_cli_in_terminal(
    *args: str,
    cwd: Path,
    dialogue: Sequence[tuple[str, str, bool]],
    env: Mapping[str, str | None] | None = None,
    timeout: float = 60,
    interrupt_after: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `pyserverless ARGS` with a terminal as stdin, so it may prompt: for each (prompt, answer, hidden)
    of `dialogue`, wait until the prompt text has been printed, then type the answer and Enter. With
    `interrupt_after`, a command that keeps running (`start`) gets Ctrl-C (SIGINT) once that text is printed.

    The process runs in a new session (no controlling terminal), so a hidden prompt reads this terminal too.
    A hidden prompt (getpass) turns the echo off with TCSAFLUSH, dropping what was typed before: its answer
    is typed only once the terminal's echo is off.
    """
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [str(SCRIPT), *args],
        cwd=cwd,
        env=cli_environment(env),
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    outputs = {"stdout": bytearray(), "stderr": bytearray()}
    printed = threading.Condition()

    def collect(name: str, stream: IO[bytes]) -> None:
        while chunk := stream.read1(4096):  # type: ignore[attr-defined]
            with printed:
                outputs[name] += chunk
                printed.notify_all()

    readers = [
        threading.Thread(target=collect, args=("stdout", process.stdout), daemon=True),
        threading.Thread(target=collect, args=("stderr", process.stderr), daemon=True),
    ]
    for reader in readers:
        reader.start()
    deadline = time.monotonic() + timeout

    def shown(text: str) -> bool:
        with printed:
            return printed.wait_for(
                lambda: text.encode() in outputs["stdout"] + outputs["stderr"] or process.poll() is not None,
                timeout=max(0.0, deadline - time.monotonic()),
            )

    try:
        for prompt, answer, hidden in dialogue:
            if not shown(prompt) or process.poll() is not None:
                break
            while hidden and termios.tcgetattr(terminal)[3] & termios.ECHO and time.monotonic() < deadline:
                time.sleep(0.01)
            os.write(controller, f"{answer}\n".encode())
        if interrupt_after is not None and shown(interrupt_after) and process.poll() is None:
            process.send_signal(signal.SIGINT)
        process.wait(timeout=max(0.0, deadline - time.monotonic()))
    finally:
        stop_process_group(process, signum=None)
        for reader in readers:
            reader.join(timeout=5)
        os.close(controller)
        os.close(terminal)
    return subprocess.CompletedProcess(
        process.args, process.returncode, outputs["stdout"].decode(), outputs["stderr"].decode()
    )


def panel_lines(output: str) -> list[str]:
    """The text lines inside the first rich panel of `output`, borders and padding removed."""
    lines: list[str] = []
    inside = False
    for line in output.splitlines():
        if line.startswith("╭"):
            inside = True
            continue
        if line.startswith("╰") and inside:
            break
        if inside:
            lines.append(line.strip().strip("│").strip())
    return lines


def panel_title(output: str) -> str:
    """The title written in the top border of the first rich panel of `output`."""
    for line in output.splitlines():
        if line.startswith("╭"):
            return line.strip(_BORDERS + " ")
    raise AssertionError(f"no panel in {output!r}")
