"""`pyserverless remove`: delete a deployed environment from AWS, after a confirmation naming what goes."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from pyserverless.cli.options import DeployedEnvironment, JsonOption, deployed_environment

if TYPE_CHECKING:
    from pyserverless.operate.remove import RemovalPlan


@deployed_environment
def command(
    *,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask for confirmation (for scripts).")
    ] = False,
    json_output: JsonOption = False,
    deployed: DeployedEnvironment,
) -> None:
    """Delete an environment: its function URL, permissions, function, and role when nothing else uses it."""
    from pyserverless.cli.output import console, err_console
    from pyserverless.cli.plain_output import print_json
    from pyserverless.operate.remove import plan_removal, remove

    live = deployed.open()
    plan = plan_removal(live)
    _print_plan(plan)
    if not yes and not _confirmed(f"Delete {live.function_name} and the above? [y/N] "):
        err_console.print("Nothing was removed.")
        raise typer.Exit(1)
    remove(plan)
    if json_output:
        print_json(
            {
                "environment": live.environment,
                "function_name": live.function_name,
                "region": live.aws.region,
                "removed": plan.removed,
                "kept": [item for item in (plan.role_kept, f"log group {plan.log_group}") if item],
            }
        )
        return
    console.print(f"Removed {live.environment} ({live.function_name}) from {live.aws.region}.", markup=False)


def _confirmed(question: str) -> bool:
    """Ask on stderr (stdout stays clean for --json); only "y" or "yes" confirms, end of input declines."""
    from pyserverless.cli.output import err_console

    err_console.print(question, end="", markup=False)
    return sys.stdin.readline().strip().lower() in ("y", "yes")


def _print_plan(plan: RemovalPlan) -> None:
    from rich.text import Text

    from pyserverless.cli.output import err_console

    live = plan.live
    lines = [f"This deletes from AWS ({live.aws.region}):"]
    if plan.url:
        lines.append(f"  - the function URL {plan.url}")
    if plan.permissions:
        lines.append(f"  - the permissions {', '.join(plan.permissions)}")
    lines.append(f"  - the function {live.function_name}")
    if plan.role_name:
        lines.append(f"  - the role {plan.role_name}")
    if plan.record:
        lines.append(f"  - the deploy record {plan.record.relative_to(live.scope.root)}")
    if plan.role_kept:
        lines.append(f"Kept: the role, as {plan.role_kept}.")
    lines.append(f"Kept: the log group {plan.log_group} (its logs stay until their retention ends).")
    err_console.print(Text("\n".join(lines)))
