from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points


def test_the_plugin_is_registered_for_pytest() -> None:
    plugins = {entry.name: entry.value for entry in entry_points(group="pytest11")}
    assert plugins["pyserverless"] == "pyserverless.testing"


def test_loading_the_plugin_imports_no_simulator_runtime_or_twilio() -> None:
    code = (
        "import sys, pyserverless.testing\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('twilio', 'httpx', 'rich', 'typer')\n"
        "    or\n"
        "    m.startswith(('pyserverless.simulate', 'pyserverless.runtime', 'pyserverless.project')))\n"
        "print(heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout == "[]\n"
