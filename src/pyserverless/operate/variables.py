"""The deployed environment's variables, read and changed without a redeploy.

The project's variables are the function's variables named in PYSERVERLESS_ENV_KEYS (as the runtime reads
them, `runtime.manifest.project_env`); pyserverless's own (that list, the execution limit) are never shown.
A change writes the function's whole configuration once: the new project variables, their name list
recomputed, the execution limit kept, after checking them as `deploy` does (reserved names, Lambda's limits).
`import` adds and changes; it deletes a variable that only the deployed side has only with `prune`. Values
leave this module only through `get` and `list` with values asked for; everything else names variables, and
`diff` masks values as a deploy plan does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pyserverless.deploy.variables import VariableOrigin, check_variables, env_changes
from pyserverless.errors import UserError
from pyserverless.operate.environment import LiveEnvironment, aws_call, wait_until_updated
from pyserverless.project.folder import load_env
from pyserverless.runtime.manifest import ENV_KEYS_VARIABLE, project_env

ENV_SET_ORIGIN = VariableOrigin(
    subject="`pyserverless env set`",
    variables="The environment's variables",
    fix="Choose another name",
)
DEPLOYED_ORIGIN = VariableOrigin(
    subject="The deployed environment",
    variables="The deployed variables",
    fix="Rename these variables",
)


def env_file_origin(path: Path) -> VariableOrigin:
    return VariableOrigin(
        subject=f"The env file {path}",
        variables=f"The deployed variables with those of {path}",
        fix=f"Rename these variables in {path}",
    )


def deployed_variables(live: LiveEnvironment) -> dict[str, str]:
    return project_env(live.variables)


def get_variable(live: LiveEnvironment, name: str) -> str:
    variables = deployed_variables(live)
    if name not in variables:
        raise UserError(
            f"{name} is not set in the environment {live.environment!r} ({live.function_name}).",
            hint=f"`pyserverless env list --environment {live.environment}` shows the names that are set.",
        )
    return variables[name]


def write_variables(live: LiveEnvironment, variables: dict[str, str], origin: VariableOrigin) -> None:
    """Replace the project's variables of the function, keeping pyserverless's own settings; `origin`
    says in the error where refused variables came from."""
    check_variables(variables, origin)
    project_names = deployed_variables(live).keys()
    internal = {name: value for name, value in live.variables.items() if name not in project_names}
    internal[ENV_KEYS_VARIABLE] = ",".join(sorted(variables))
    wait_until_updated(live)
    aws_call(
        f"Updating the variables of {live.function_name}",
        lambda: live.aws.lambda_.update_function_configuration(
            FunctionName=live.function_name, Environment={"Variables": {**internal, **variables}}
        ),
    )
    wait_until_updated(live)


def set_variable(live: LiveEnvironment, name: str, value: str) -> bool:
    """Set `name`; False when it already had that value (nothing written)."""
    variables = deployed_variables(live)
    if variables.get(name) == value:
        return False
    write_variables(live, {**variables, name: value}, ENV_SET_ORIGIN)
    return True


def unset_variable(live: LiveEnvironment, name: str) -> bool:
    """Remove `name`; False when it was not set (nothing written)."""
    variables = deployed_variables(live)
    if name not in variables:
        return False
    del variables[name]
    write_variables(live, variables, DEPLOYED_ORIGIN)
    return True


@dataclass
class VariableDiff:
    """Local file against deployed: names only on one side, names whose values differ, names equal."""

    local_only: list[str] = field(default_factory=list)
    deployed_only: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    same: list[str] = field(default_factory=list)


def diff_variables(local: dict[str, str], deployed: dict[str, str]) -> VariableDiff:
    changes = env_changes(deployed, local)
    return VariableDiff(
        local_only=changes.added,
        deployed_only=changes.removed,
        changed=changes.changed,
        same=sorted(name for name in local if deployed.get(name) == local[name]),
    )


@dataclass
class ImportResult:
    added: list[str]
    changed: list[str]
    removed: list[str]
    kept: list[str]
    file: Path

    @property
    def written(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def read_env_file(root: Path, file: Path | None) -> tuple[Path, dict[str, str]]:
    """The variables of `file` (default: the project's .env); a missing file is an error."""
    path = (root / ".env") if file is None else (file if file.is_absolute() else root / file)
    if not path.is_file():
        raise UserError(
            f"The env file {path} does not exist.",
            hint="Pass the file with --file, or create the project's .env.",
        )
    return path, load_env(path)


def import_variables(live: LiveEnvironment, path: Path, local: dict[str, str], prune: bool) -> ImportResult:
    """Add and change the deployed variables to match `local`; delete deployed-only ones only with `prune`."""
    deployed = deployed_variables(live)
    difference = diff_variables(local, deployed)
    wanted = {**deployed, **local}
    removed: list[str] = []
    if prune:
        removed = difference.deployed_only
        wanted = dict(local)
    result = ImportResult(
        added=difference.local_only,
        changed=difference.changed,
        removed=removed,
        kept=[] if prune else difference.deployed_only,
        file=path,
    )
    origin = env_file_origin(path)
    if result.written:
        write_variables(live, wanted, origin)
    else:
        check_variables(wanted, origin)
    return result
