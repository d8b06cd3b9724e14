"""What was deployed, per environment: `.pyserverless/deployed/<environment>.json` in the project.

Written after every successful deploy (atomically: a temporary file renamed into place) and read by the
commands that need the live URL, such as `phone-numbers:update --sms-url /sms/reply`.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pyserverless.errors import UserError

STATE_DIR = Path(".pyserverless") / "deployed"


@dataclass
class DeployedRoute:
    path: str
    kind: str
    visibility: str
    url: str


@dataclass
class Deployment:
    """One environment's last successful deploy."""

    service: str
    environment: str
    region: str
    function_name: str
    function_arn: str
    url: str
    code_sha256: str
    runtime: str
    arch: str
    deployed_at: str
    routes: list[DeployedRoute] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> Deployment:
        routes = [DeployedRoute(**route) for route in document.get("routes", [])]
        return cls(**{**document, "routes": routes})


def state_path(root: Path, environment: str) -> Path:
    return root / STATE_DIR / f"{environment}.json"


def recorded_function_arn(root: Path, environment: str) -> str | None:
    """The function ARN that the last deploy of `environment` from here recorded; None without a record."""
    path = state_path(root, environment)
    try:
        return str(json.loads(path.read_text(encoding="utf-8"))["function_arn"])
    except (OSError, ValueError, TypeError, KeyError):
        return None


def write_deployment(root: Path, deployment: Deployment) -> Path:
    path = state_path(root, deployment.environment)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".deployed-", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        json.dump(deployment.to_json(), file, indent=2, sort_keys=True)
        file.write("\n")
    os.replace(temporary, path)
    return path


def read_deployment(root: Path, environment: str) -> Deployment:
    """The last deploy of `environment`; a clear error when there is none."""
    path = state_path(root, environment)
    if not path.is_file():
        raise UserError(
            f"The environment {environment!r} of this project has not been deployed from here "
            f"({path} is missing).",
            hint=f"Run `pyserverless deploy --environment {environment}` first.",
        )
    try:
        return Deployment.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError, KeyError) as error:
        raise UserError(
            f"{path} is not a valid deploy record: {error}",
            hint=f"Delete it and run `pyserverless deploy --environment {environment}` again.",
        ) from error
