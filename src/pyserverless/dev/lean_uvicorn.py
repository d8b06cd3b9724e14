"""uvicorn's server without its command line, for the workers of `pyserverless start`.

How it works: importing any part of uvicorn runs the package's `__init__` first, and that imports
`uvicorn.main`, uvicorn's own command line: click, the reload and multiprocess supervisors and watchfiles,
about 2.4 MB of memory in every worker, which serves with `uvicorn.config` and `uvicorn.server` alone.
`import_uvicorn_server` registers the package without running its `__init__`, imports those two modules and
sets the two names uvicorn's own modules take from the package (`from uvicorn import Config`). Any other name
asked of the package (`uvicorn.run`, `uvicorn.main`, `uvicorn.__version__`) runs the real `__init__` first,
once, other threads waiting for it, so code that uses the rest of uvicorn still finds it. Nothing changes
when uvicorn is already imported.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
from typing import Any


def import_uvicorn_server() -> None:
    """Import `uvicorn.config` and `uvicorn.server` without `uvicorn.main`, unless uvicorn is imported."""
    if "uvicorn" in sys.modules:
        return
    spec = importlib.util.find_spec("uvicorn")
    if spec is None or spec.loader is None:
        raise ImportError("uvicorn is not installed", name="uvicorn")
    loader = spec.loader
    package = importlib.util.module_from_spec(spec)
    namespace = vars(package)
    # Other threads wait while one runs `__init__`; a lookup made by `__init__` itself only finds what is set.
    running = threading.RLock()
    started = False

    def complete(name: str) -> Any:
        """A name the package does not have yet: its real `__init__` run first (once), then the name."""
        nonlocal started
        with running:
            if not started:
                started = True
                loader.exec_module(package)
                del namespace["__getattr__"]
        if name in namespace:
            return namespace[name]
        raise AttributeError(f"module 'uvicorn' has no attribute {name!r}")

    namespace["__getattr__"] = complete
    sys.modules["uvicorn"] = package
    from uvicorn.config import Config
    from uvicorn.server import Server

    namespace.update(Config=Config, Server=Server)
