"""Options shared by the commands that operate deployed environments (list, logs, env, promote, remove), read
the way `deploy` reads them: a flag or its environment variable wins, then `[tool.pyserverless]`, then the
default."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pyserverless.cli.flags import given
from pyserverless.errors import UserError

if TYPE_CHECKING:
    from pyserverless.operate.environment import Scope

EnvironmentOption = Annotated[str, typer.Option("--environment", help="The deployed environment.")]
ProductionOption = Annotated[bool, typer.Option("--production", help="The environment prod.")]
ServiceOption = Annotated[
    str | None,
    typer.Option(
        "--service-name", help="Service name (default: the deployed one, else the project folder's)."
    ),
]
RegionOption = Annotated[
    str | None,
    typer.Option(help="AWS region (default: the deployed one, AWS_DEFAULT_REGION or your AWS config)."),
]
ProfileOption = Annotated[str | None, typer.Option(help="AWS profile from ~/.aws/config.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
CwdOption = Annotated[Path | None, typer.Option(help="The project folder (default: current folder).")]


def project_scope(
    ctx: typer.Context, cwd: Path | None, service_name: str | None, region: str | None, profile: str | None
) -> tuple[Scope, dict[str, Any]]:
    """The project, service, region and profile asked for, and the project's `[tool.pyserverless]` table."""
    from pyserverless.config import choose, read_config
    from pyserverless.operate.environment import Scope
    from pyserverless.project import find_root

    root = find_root(cwd or Path.cwd())
    config, _ = read_config(root)
    scope = Scope(
        root=root,
        service=choose(given(ctx, "service_name"), service_name, config, "service-name"),
        region=choose(given(ctx, "region"), region, config, "region"),
        profile=choose(given(ctx, "profile"), profile, config, "profile"),
    )
    return scope, config


def chosen_environment(ctx: typer.Context, environment: str, production: bool, config: dict[str, Any]) -> str:
    """--environment (or the config's `environment`), or prod with --production; both at once must agree."""
    from pyserverless.config import choose
    from pyserverless.deploy.pipeline import PRODUCTION_ENVIRONMENT

    if production:
        if given(ctx, "environment") and environment != PRODUCTION_ENVIRONMENT:
            raise UserError(
                f"--production and --environment {environment} contradict each other.",
                hint=f"--production is --environment {PRODUCTION_ENVIRONMENT}: give one of them.",
            )
        return PRODUCTION_ENVIRONMENT
    return str(choose(given(ctx, "environment"), environment, config, "environment"))
