from __future__ import annotations

from tests.support.lambda_wheelhouse import offline_pip, wheelhouse

__all__ = ["offline_pip", "wheelhouse"]
