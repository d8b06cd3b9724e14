"""Import handler files by path, once each.

Every function file is imported under its own private module name derived from its source path
(`functions/a/index.py` -> `_pyserverless_handler_functions_a_index_<hash>`), so two `index.py` files never
collide in `sys.modules`. The project root and its `functions/` folder are added at the end of `sys.path`,
so a handler can `import _helpers` (a helper next to it in `functions/`) or any package of the project,
while a function named like a standard or installed module (`functions/random.py`) never shadows it. A
loaded module is kept for the life of the process (the reload supervisor starts a new process when files
change); a file that fails to import raises `HandlerLoadError` carrying the traceback, and is tried again on
the next request.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import sys
import threading
import traceback
from pathlib import Path
from types import ModuleType

from pyserverless.runtime.routes import Route

MODULE_PREFIX = "_pyserverless_handler_"
_NOT_IDENTIFIER = re.compile(r"\W")


class HandlerLoadError(Exception):
    """A function file could not be imported; `details` is the traceback text."""

    def __init__(self, source: str, details: str) -> None:
        super().__init__(f"{source} failed to import")
        self.source = source
        self.details = details


def module_name(source: str) -> str:
    """The private module name of a function file, unique per source path."""
    digest = hashlib.sha1(source.encode("utf-8")).hexdigest()[:8]
    stem = source[: -len(".py")] if source.endswith(".py") else source
    return f"{MODULE_PREFIX}{_NOT_IDENTIFIER.sub('_', stem)}_{digest}"


def make_importable(root: Path) -> None:
    """Add the project's functions/ folder and root at the end of `sys.path` (once)."""
    for folder in (str(root / "functions"), str(root)):
        if folder not in sys.path:
            sys.path.append(folder)


class ModuleCache:
    """Loaded function modules by route path."""

    def __init__(self) -> None:
        self._modules: dict[str, ModuleType] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()

    def load(self, route: Route) -> ModuleType:
        """The imported module of a function route; raises `HandlerLoadError` if importing it fails.

        One import per file at a time; a slow import never holds up the import of another file.
        """
        module = self._modules.get(route.path)
        if module is not None:
            return module
        with self._locks_lock:
            lock = self._locks.setdefault(route.path, threading.Lock())
        with lock:
            module = self._modules.get(route.path)
            if module is None:
                module = _import_file(route.file, route.source)
                self._modules[route.path] = module
            return module


def _import_file(file: Path, source: str) -> ModuleType:
    name = module_name(source)
    spec = importlib.util.spec_from_file_location(name, file)
    if spec is None or spec.loader is None:
        raise HandlerLoadError(source, f"{source} cannot be imported as a Python module.")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except (Exception, SystemExit) as error:  # a handler file calling sys.exit() must not stop the server
        sys.modules.pop(name, None)
        raise HandlerLoadError(source, traceback.format_exc()) from error
    except BaseException:  # stopped at the execution limit: the next request imports it afresh
        sys.modules.pop(name, None)
        raise
    return module
