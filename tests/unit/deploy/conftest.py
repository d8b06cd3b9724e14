from __future__ import annotations

from tests.support.lambda_wheelhouse import installer_on_path, offline_pip, wheelhouse

__all__ = ["installer_on_path", "offline_pip", "wheelhouse"]
