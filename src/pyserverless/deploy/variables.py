"""The variables a deploy gives the function: the names and sizes Lambda refuses (`check_variables`), how a
plan shows a value (`mask`), and what a deploy adds, changes and removes (`env_changes`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pyserverless.errors import UserError
from pyserverless.runtime.context import RUNTIME_VARIABLES
from pyserverless.runtime.manifest import ENV_KEYS_VARIABLE, TIMEOUT_VARIABLE

MAX_ENVIRONMENT_BYTES = 4096
#: Names Lambda sets itself and refuses in a function's configuration, plus pyserverless's own.
RESERVED_VARIABLES = frozenset(
    {
        "_HANDLER",
        "_X_AMZN_TRACE_ID",
        "AWS_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "AWS_DEFAULT_REGION",
        "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_LAMBDA_RUNTIME_API",
        "AWS_REGION",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_XRAY_CONTEXT_MISSING",
        "AWS_XRAY_DAEMON_ADDRESS",
        "LAMBDA_RUNTIME_DIR",
        "LAMBDA_TASK_ROOT",
        "TZ",
        ENV_KEYS_VARIABLE,
        TIMEOUT_VARIABLE,
    }
)
_VARIABLE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]+$")
_SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|KEY|AUTH|CREDENTIAL|PRIVATE", re.IGNORECASE)


@dataclass(frozen=True)
class VariableOrigin:
    """Where variables under check come from, in the words of `check_variables`'s messages."""

    #: Subject of "sets NAMES, reserved on AWS Lambda." and "has names Lambda refuses: NAMES."
    subject: str
    #: Subject of "take N bytes; AWS Lambda allows 4096 in all."
    variables: str
    #: How to fix a reserved name, before the hint's list of who sets them.
    fix: str


DOTENV_ORIGIN = VariableOrigin(
    subject="The .env file", variables="The .env variables", fix="Rename these variables in .env"
)


def check_variables(env: dict[str, str], origin: VariableOrigin = DOTENV_ORIGIN) -> None:
    """Refuse variables Lambda would refuse: reserved names, invalid names, more than 4 KB in all."""
    reserved = sorted(name for name in env if name in RESERVED_VARIABLES or name in RUNTIME_VARIABLES)
    if reserved:
        raise UserError(
            f"{origin.subject} sets {', '.join(reserved)}, reserved on AWS Lambda.",
            hint=f"{origin.fix} (Lambda sets AWS_* and friends itself; PATH and "
            "DOMAIN_NAME are set by the runtime for each request).",
        )
    invalid = sorted(name for name in env if not _VARIABLE_NAME.match(name))
    if invalid:
        raise UserError(
            f"{origin.subject} has names Lambda refuses: {', '.join(invalid)}.",
            hint="A name starts with a letter and holds letters, digits and _ only.",
        )
    size = sum(len(name) + len(value) for name, value in env.items())
    if size > MAX_ENVIRONMENT_BYTES:
        raise UserError(
            f"{origin.variables} take {size} bytes; AWS Lambda allows {MAX_ENVIRONMENT_BYTES} in all.",
            hint="Move large values (keys, certificates) to a private file in assets/, or to AWS "
            "Secrets Manager.",
        )


def mask(name: str, value: str) -> str:
    """A value as a plan may print it: fully hidden when its name looks like a secret."""
    return "****" if _SECRET_NAME.search(name) else value


@dataclass
class EnvChanges:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def env_changes(current: dict[str, str], desired: dict[str, str]) -> EnvChanges:
    internal = {ENV_KEYS_VARIABLE, TIMEOUT_VARIABLE}
    current = {name: value for name, value in current.items() if name not in internal}
    desired = {name: value for name, value in desired.items() if name not in internal}
    return EnvChanges(
        added=sorted(set(desired) - set(current)),
        changed=sorted(name for name in desired if name in current and current[name] != desired[name]),
        removed=sorted(set(current) - set(desired)),
    )
