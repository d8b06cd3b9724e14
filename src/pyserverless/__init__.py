"""pyserverless: the Twilio Serverless Toolkit for Python.

Handlers import `Response` and `Runtime` from here. Both live in `pyserverless.runtime` and are loaded on
first access, so `import pyserverless` (and `pyserverless --help`) stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Response", "Runtime", "__version__"]

if TYPE_CHECKING:
    from pyserverless.runtime.response import Response
    from pyserverless.runtime.runtime_api import Runtime


def __getattr__(name: str) -> Any:
    if name == "Response":
        from pyserverless.runtime.response import Response

        return Response
    if name == "Runtime":
        from pyserverless.runtime.runtime_api import Runtime

        return Runtime
    raise AttributeError(f"module 'pyserverless' has no attribute {name!r}")
