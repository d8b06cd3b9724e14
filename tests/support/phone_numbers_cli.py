"""Run `pyserverless phone-numbers:update` as a real subprocess against the Twilio API double."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from tests.support.processes import ignoring_sigint, stop_process_group
from tests.support.twilio_api import ACCOUNT_SID, AUTH_TOKEN, TwilioApiDouble

CREDENTIAL_VARIABLES = (
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_API_KEY",
    "TWILIO_API_SECRET",
    "TWILIO_EDGE",
    "TWILIO_REGION",
    "PYSERVERLESS_TWILIO_API_URL",
    "NGROK_AUTHTOKEN",
    "PYNGROK_NGROK_PATH",
)
TOKEN_ENV = {"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN}


def cli_env(api: TwilioApiDouble | None, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of the child: no credentials of the developer's own, the API double, wide tables."""
    env = {name: value for name, value in os.environ.items() if name not in CREDENTIAL_VARIABLES}
    env.update({"COLUMNS": "200", "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"})
    if api is not None:
        env["PYSERVERLESS_TWILIO_API_URL"] = api.base_url
    env.update(extra or {})
    return env


def command(*args: str) -> list[str]:
    """`python -m pyserverless phone-numbers:update ARGS`."""
    return [sys.executable, "-m", "pyserverless", "phone-numbers:update", *args]


def run_update(
    api: TwilioApiDouble | None,
    *args: str,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    spelling: tuple[str, ...] = ("phone-numbers:update",),
) -> subprocess.CompletedProcess[str]:
    """`pyserverless phone-numbers:update ARGS` to completion (bounded), output captured."""
    return subprocess.run(
        [sys.executable, "-m", "pyserverless", *spelling, *args],
        env=cli_env(api, env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def panel_text(stderr: str) -> str:
    """The text of the error panel on one line: borders removed, wrapped lines joined by spaces."""
    lines = [line.strip().strip("│").strip() for line in stderr.splitlines() if line.strip().startswith("│")]
    return re.sub(r"\s+", " ", " ".join(line for line in lines if line))


class RunningUpdate:
    """`phone-numbers:update` left running (behind a tunnel): its output read in the background, bounded.
    `sigint_ignored` starts it as `nohup` or a shell's `&` do.

    Leaving the `with` block kills the command if it still runs, and its ngrok agent with it
    (`processes.stop_process_group`), so no test leaves a process behind.
    """

    def __init__(
        self,
        api: TwilioApiDouble,
        *args: str,
        env: Mapping[str, str] | None = None,
        sigint_ignored: bool = False,
    ) -> None:
        self.process = subprocess.Popen(
            ignoring_sigint(command(*args)) if sigint_ignored else command(*args),
            env=cli_env(api, env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self._stdout: list[str] = []
        self._stderr: list[str] = []
        self._changed = threading.Condition()
        self._readers = [
            threading.Thread(target=self._read, args=(self.process.stdout, self._stdout), daemon=True),
            threading.Thread(target=self._read, args=(self.process.stderr, self._stderr), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def _read(self, stream: IO[str] | None, lines: list[str]) -> None:
        assert stream is not None
        for line in stream:
            with self._changed:
                lines.append(line)
                self._changed.notify_all()

    def __enter__(self) -> RunningUpdate:
        return self

    def __exit__(self, *exc_info: object) -> None:
        stop_process_group(self.process, signum=None)
        for reader in self._readers:
            reader.join(timeout=5)

    @property
    def stdout(self) -> str:
        with self._changed:
            return "".join(self._stdout)

    @property
    def stderr(self) -> str:
        with self._changed:
            return "".join(self._stderr)

    def wait_for(self, text: str, stream: str = "stderr", timeout: float = 30.0) -> None:
        """Wait until `text` has been printed on `stream`; fail with the output if the command ends first."""
        lines = self._stderr if stream == "stderr" else self._stdout
        deadline = time.monotonic() + timeout
        with self._changed:
            while text not in "".join(lines):
                remaining = deadline - time.monotonic()
                ended = self.process.poll() is not None and not any(r.is_alive() for r in self._readers)
                if remaining <= 0 or ended:
                    raise AssertionError(
                        f"{text!r} never printed on {stream}; stderr:\n{''.join(self._stderr)}"
                    )
                self._changed.wait(min(remaining, 0.2))

    def stop(self, signum: int = signal.SIGINT, timeout: float = 30.0) -> int:
        """Send `signum` and wait for the exit code (bounded)."""
        self.process.send_signal(signum)
        code = self.process.wait(timeout=timeout)
        for reader in self._readers:
            reader.join(timeout=5)
        return code
