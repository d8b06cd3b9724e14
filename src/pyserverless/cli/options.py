"""Options that several commands share, declared once.

Most are `Annotated` aliases that a command lists in its signature. The options naming what is deployed are
added by a decorator instead, since five commands and the six `env` subcommands all take them:
`@deployed_environment` gives a command `--environment`, `--production`, `--service-name`, `--region`,
`--profile` and `--cwd`, and passes it one `deployed: DeployedEnvironment` holding what they chose
(`@deployed_service` the same without the environment). `with_shared_options` does that: it writes the
command's signature anew (its own parameters, then the shared ones), which is what Typer reads to build the
options, and calls the command with one object made of the shared values.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from pyserverless.cli.defaults import configured, given
from pyserverless.errors import UserError

if TYPE_CHECKING:
    from pyserverless.operate.environment import LiveEnvironment, Scope

DirectoryArgument = Annotated[
    Path | None,
    typer.Argument(help="The project folder (default: --cwd, else the current folder or the nearest above)."),
]
CwdOption = Annotated[
    Path | None,
    typer.Option(help="The project folder (default: the current folder or the nearest above)."),
]
EnvFileOption = Annotated[
    Path | None, typer.Option("--env", help="The env file to load instead of the project's .env.")
]
TimeoutOption = Annotated[float, typer.Option(help="Execution limit of a function in seconds (then 504).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
AdoptOption = Annotated[
    bool,
    typer.Option(
        "--adopt",
        help="Take over a function or role of the expected name that pyserverless did not create for this "
        "service and environment (it is tagged, then changed).",
    ),
]

#: The `[tool.pyserverless]` keys that give the defaults of the deployed-environment options.
DEPLOYED_SERVICE_KEYS = ("service-name", "region", "profile")
DEPLOYED_ENVIRONMENT_KEYS = (*DEPLOYED_SERVICE_KEYS, "environment")
#: The command classes of the commands decorated with `deployed_service` and `deployed_environment`.
DeployedServiceCommand = configured(*DEPLOYED_SERVICE_KEYS)
DeployedEnvironmentCommand = configured(*DEPLOYED_ENVIRONMENT_KEYS)

_KEYWORD = inspect.Parameter.KEYWORD_ONLY
_SERVICE_PARAMETERS = [
    inspect.Parameter("ctx", _KEYWORD, annotation=typer.Context),
    inspect.Parameter(
        "service_name",
        _KEYWORD,
        default=None,
        annotation=Annotated[
            str | None,
            typer.Option(
                "--service-name", help="Service name (default: the deployed one, else the project folder's)."
            ),
        ],
    ),
    inspect.Parameter(
        "region",
        _KEYWORD,
        default=None,
        annotation=Annotated[
            str | None,
            typer.Option(
                help="AWS region (default: the deployed one, AWS_DEFAULT_REGION or your AWS config)."
            ),
        ],
    ),
    inspect.Parameter(
        "profile",
        _KEYWORD,
        default=None,
        annotation=Annotated[str | None, typer.Option(help="AWS profile from ~/.aws/config.")],
    ),
    inspect.Parameter("cwd", _KEYWORD, default=None, annotation=CwdOption),
]
_ENVIRONMENT_PARAMETERS = [
    inspect.Parameter(
        "environment",
        _KEYWORD,
        default="dev",
        annotation=Annotated[str, typer.Option("--environment", help="The deployed environment.")],
    ),
    inspect.Parameter(
        "production",
        _KEYWORD,
        default=False,
        annotation=Annotated[bool, typer.Option("--production", help="The environment prod.")],
    ),
]


def check_local_timeout(timeout: float) -> None:
    """The --timeout of a local server (`start`, `serve`) must be more than 0 seconds."""
    if timeout <= 0:
        raise UserError(f"--timeout {timeout:g} must be more than 0 seconds.", hint="The default is 10.")


@dataclass(frozen=True)
class DeployedService:
    """The service the options name: `--service-name`, `--region`, `--profile` of the project at `--cwd`."""

    ctx: typer.Context
    service_name: str | None
    region: str | None
    profile: str | None
    cwd: Path | None

    def scope(self) -> Scope:
        from pyserverless.operate.environment import Scope
        from pyserverless.project.folder import find_root

        root = find_root(self.cwd or Path.cwd())
        return Scope(root=root, service=self.service_name, region=self.region, profile=self.profile)


@dataclass(frozen=True)
class DeployedEnvironment(DeployedService):
    """A deployed environment the options name: the service, and `--environment` or `--production`."""

    environment: str
    production: bool

    def name(self) -> str:
        """--environment, or prod with --production; both at once must agree."""
        return chosen_environment(self.ctx, self.environment, self.production)

    def open(self) -> LiveEnvironment:
        """The environment as deployed (an error that says so when it is not)."""
        from pyserverless.operate.environment import open_environment

        return open_environment(self.scope(), self.name())


def chosen_environment(ctx: typer.Context, environment: str, production: bool) -> str:
    """--environment, or prod with --production; both at once must agree."""
    from pyserverless.deploy.pipeline import PRODUCTION_ENVIRONMENT

    if not production:
        return environment
    if given(ctx, "environment") and environment != PRODUCTION_ENVIRONMENT:
        raise UserError(
            f"--production and --environment {environment} contradict each other.",
            hint=f"--production is --environment {PRODUCTION_ENVIRONMENT}: give one of them.",
        )
    return PRODUCTION_ENVIRONMENT


Command = TypeVar("Command", bound=Callable[..., Any])


def deployed_service(command: Command) -> Command:
    """Add the service options to `command`, which takes `deployed: DeployedService` instead."""
    return with_shared_options(command, "deployed", _SERVICE_PARAMETERS, DeployedService)


def deployed_environment(command: Command) -> Command:
    """Add the service and environment options to `command`, which takes `deployed: DeployedEnvironment`."""
    return with_shared_options(
        command, "deployed", _ENVIRONMENT_PARAMETERS + _SERVICE_PARAMETERS, DeployedEnvironment
    )


def with_shared_options(
    command: Command, name: str, shared: list[inspect.Parameter], make: Callable[..., object]
) -> Command:
    """`command` with the parameters `shared` added to its options, and its parameter `name` given
    `make(**their values)` instead of being an option itself."""
    signature = inspect.signature(command, eval_str=True)
    own = [parameter for parameter in signature.parameters.values() if parameter.name != name]
    names = [parameter.name for parameter in shared]

    @functools.wraps(command)
    def with_options(**values: Any) -> Any:
        chosen = {option: values.pop(option) for option in names}
        return command(**values, **{name: make(**chosen)})

    parameters = [*own, *shared]
    with_options.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    with_options.__annotations__ = {parameter.name: parameter.annotation for parameter in parameters}
    return with_options  # type: ignore[return-value]
