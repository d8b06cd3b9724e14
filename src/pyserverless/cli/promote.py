"""`pyserverless promote --from dev --to prod`: run one environment's code in another, without rebuilding."""

from __future__ import annotations

from typing import Annotated

import typer

from pyserverless.cli.options import AdoptOption, DeployedService, JsonOption, deployed_service


@deployed_service
def command(
    *,
    source: Annotated[str, typer.Option("--from", help="The environment whose code to promote.")],
    target: Annotated[str, typer.Option("--to", help="The environment that gets it (created if missing).")],
    adopt: AdoptOption = False,
    json_output: JsonOption = False,
    deployed: DeployedService,
) -> None:
    """Publish the code running in one environment to another (same code hash), keeping the target's
    variables."""
    from pyserverless.cli.deploy import ConsoleStepReporter
    from pyserverless.cli.output import console, err_console, warn
    from pyserverless.cli.plain_output import print_json
    from pyserverless.operate.promote import promote

    scope = deployed.scope()
    reporter = ConsoleStepReporter(err_console, dry_run=False)
    try:
        result = promote(scope, source, target, reporter, adopt=adopt)
    finally:
        reporter.stop()
    for message in result.outcome.warnings:
        warn(message)
    if result.created:
        warn(
            f"{result.target_function} was created without variables (promote never uploads a local .env): "
            f"set them with `pyserverless env import --environment {result.environment}`."
        )
    if json_output:
        print_json(
            {
                "source_function": result.source_function,
                "target_function": result.target_function,
                "environment": result.environment,
                "region": result.region,
                "code_sha256": result.code_sha256,
                "created": result.created,
                "changed": result.changed,
                "url": result.outcome.url,
                "routes": [vars(route) for route in result.routes],
                "record": str(result.record),
            }
        )
        return
    if result.changed:
        console.print(
            f"Promoted {result.source_function} to {result.target_function} (code {result.code_sha256}).",
            markup=False,
        )
    else:
        console.print(
            f"{result.target_function} already runs the code of {result.source_function}: nothing changed.",
            markup=False,
        )
    console.print(f"URL: {result.outcome.url}", markup=False)
