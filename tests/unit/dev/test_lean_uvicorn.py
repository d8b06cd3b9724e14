"""uvicorn's server without its command line: what a worker imports, and the rest of uvicorn still there.

Each case runs in a new interpreter, whose `sys.modules` has no uvicorn yet.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap


def run_fresh(code: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60, check=True
    )
    answer: dict[str, object] = json.loads(result.stdout)
    return answer


def test_a_worker_serves_without_uvicorn_main_click_or_watchfiles() -> None:
    answer = run_fresh(
        """
        import json, sys
        from pyserverless.dev.lean_uvicorn import import_uvicorn_server
        import_uvicorn_server()
        import uvicorn
        import pyserverless.server.local_server
        from uvicorn.lifespan.off import LifespanOff
        from uvicorn.config import Config
        from uvicorn.server import Server
        print(json.dumps({
            "loaded": sorted(m for m in ("uvicorn.main", "click", "watchfiles", "uvicorn.supervisors")
                             if m in sys.modules),
            "names": [uvicorn.Config is Config, uvicorn.Server is Server],
        }))
        """
    )
    assert answer == {"loaded": [], "names": [True, True]}


def test_any_other_name_runs_the_real_package_init() -> None:
    answer = run_fresh(
        """
        import json, sys
        from pyserverless.dev.lean_uvicorn import import_uvicorn_server
        import_uvicorn_server()
        import uvicorn
        before = "uvicorn.main" in sys.modules
        run = uvicorn.run
        from importlib.metadata import version
        print(json.dumps({
            "before": before,
            "run": run is sys.modules["uvicorn.main"].run,
            "version": uvicorn.__version__ == version("uvicorn"),
            "getattr": "__getattr__" in vars(uvicorn),
        }))
        """
    )
    assert answer == {"before": False, "run": True, "version": True, "getattr": False}


def test_nothing_changes_when_uvicorn_is_imported() -> None:
    answer = run_fresh(
        """
        import json, uvicorn
        package = uvicorn
        from pyserverless.dev.lean_uvicorn import import_uvicorn_server
        import_uvicorn_server()
        import uvicorn
        print(json.dumps({"same": uvicorn is package, "getattr": "__getattr__" in vars(uvicorn)}))
        """
    )
    assert answer == {"same": True, "getattr": False}
