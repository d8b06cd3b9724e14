"""The project as a plain ASGI application, for containers: `uvicorn --factory pyserverless.asgi:create_app`.

This is the public import path; the factory lives in `pyserverless.server.container`.
"""

from __future__ import annotations

from pyserverless.server.container import create_app

__all__ = ["create_app"]
