"""`pyserverless deploy`: put the project live on AWS Lambda behind a function URL."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pyserverless.cli.options import (
    AdoptOption,
    CwdOption,
    DirectoryArgument,
    JsonOption,
    TimeoutOption,
    chosen_environment,
)
from pyserverless.errors import UserError

#: The `[tool.pyserverless]` keys that give this command's defaults.
CONFIG_KEYS = (
    "service-name",
    "environment",
    "region",
    "profile",
    "runtime",
    "arch",
    "memory",
    "timeout",
    "env",
)

if TYPE_CHECKING:
    from rich.console import Console
    from rich.status import Status

    from pyserverless.deploy.pipeline import DeployReport
    from pyserverless.deploy.steps import StepResult

_ACTION_STYLES = {"create": "green", "update": "yellow", "unchanged": "dim", "built": "cyan"}


class ConsoleStepReporter:
    """Shows a spinner while a step runs and one line per resource when it is done (stderr, so --json stays
    clean)."""

    def __init__(self, console: Console, dry_run: bool) -> None:
        self._console = console
        self._dry_run = dry_run
        self._status: Status | None = None

    def started(self, step: str) -> None:
        self.stop()
        self._status = self._console.status(f"{step}…")
        self._status.start()

    def finished(self, result: StepResult) -> None:
        from rich.text import Text

        self.stop()
        action = (
            f"would {result.action}"
            if self._dry_run and result.action in ("create", "update")
            else result.action
        )
        line = Text("  ✓ " if not self._dry_run else "  • ", style="green" if not self._dry_run else "cyan")
        line.append(f"{result.step:<14}", style="bold")
        line.append(f"{result.resource}  ")
        line.append(action, style=_ACTION_STYLES.get(result.action, ""))
        if result.detail:
            line.append(f"  {result.detail}", style="dim")
        self._console.print(line)

    def stop(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None


def command(
    ctx: typer.Context,
    directory: DirectoryArgument = None,
    *,
    service_name: Annotated[
        str | None, typer.Option("--service-name", help="Service name (default: the project folder's name).")
    ] = None,
    environment: Annotated[str, typer.Option("--environment", help="Environment to deploy to.")] = "dev",
    production: Annotated[bool, typer.Option("--production", help="Deploy to the environment prod.")] = False,
    region: Annotated[
        str | None, typer.Option(help="AWS region (default: AWS_DEFAULT_REGION or your AWS config).")
    ] = None,
    profile: Annotated[str | None, typer.Option(help="AWS profile from ~/.aws/config.")] = None,
    runtime: Annotated[str, typer.Option(help="Lambda Python runtime.")] = "python3.12",
    arch: Annotated[str, typer.Option(help="CPU architecture: x86_64 or arm64.")] = "x86_64",
    memory: Annotated[int, typer.Option(help="Memory of the function in MB (128 to 10240).")] = 256,
    timeout: TimeoutOption = 10.0,
    env: Annotated[
        Path | None, typer.Option(help="The env file to deploy instead of the project's .env.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; change nothing.")
    ] = False,
    adopt: AdoptOption = False,
    allow_empty_token: Annotated[
        bool,
        typer.Option(
            "--allow-empty-token",
            help="Deploy although ACCOUNT_SID or AUTH_TOKEN is empty (its protected routes then refuse "
            "every request).",
        ),
    ] = False,
    json_output: JsonOption = False,
    cwd: CwdOption = None,
) -> None:
    """Deploy the project to AWS Lambda (one function per environment, behind a function URL)."""
    from pyserverless.cli.output import console, err_console, warn
    from pyserverless.cli.plain_output import print_json
    from pyserverless.deploy.pipeline import DeployOptions, run_deploy
    from pyserverless.deploy.target import LambdaTarget
    from pyserverless.project.folder import find_root

    root = find_root(directory or cwd or Path.cwd())
    deployed_environment = chosen_environment(ctx, environment, production)
    if not 128 <= memory <= 10240:
        raise UserError(f"--memory {memory} is outside Lambda's range.", hint="Use 128 to 10240 (MB).")
    if not 0 < timeout <= 890:
        raise UserError(
            f"--timeout {timeout:g} is outside the range.", hint="Use more than 0 and at most 890 s."
        )
    options = DeployOptions(
        root=root,
        service=service_name,
        environment=deployed_environment,
        region=region,
        profile=profile,
        target=LambdaTarget(runtime=runtime, arch=arch),
        memory=memory,
        timeout=timeout,
        env_file=env,
        dry_run=dry_run,
        adopt=adopt,
        allow_empty_token=allow_empty_token,
    )
    reporter = ConsoleStepReporter(err_console, dry_run)
    try:
        report = run_deploy(options, reporter)
    finally:
        reporter.stop()
    for message in report.warnings:
        warn(message)
    if json_output:
        print_json(_as_json(report))
        return
    _print_report(console, report)


def _as_json(report: DeployReport) -> dict[str, Any]:
    return {
        "function_name": report.function_name,
        "environment": report.environment,
        "region": report.region,
        "dry_run": report.dry_run,
        "changed": report.outcome.changed,
        "code_sha256": report.package.code_sha256,
        "package": {
            "zipped_bytes": report.package.size,
            "unzipped_bytes": report.package.unzipped_size,
            "bytecode": report.package.bytecode,
            "dependency_bytecode": report.package.dependency_bytecode,
        },
        "steps": [
            {"step": step.step, "resource": step.resource, "action": step.action, "detail": step.detail}
            for step in report.outcome.steps
        ],
        "variables": [{"name": change.name, "change": change.change} for change in report.variables],
        "function_arn": report.outcome.function_arn,
        "url": report.outcome.url,
        "routes": [
            {"path": route.path, "kind": route.kind, "visibility": route.visibility, "url": route.url}
            for route in report.routes
        ],
        "record": str(report.record) if report.record else None,
    }


def _print_report(console: Console, report: DeployReport) -> None:
    from rich.table import Table

    from pyserverless.dev.route_table import UrlTable

    if report.variables:
        table = Table(title="Variables", title_justify="left")
        table.add_column("Name")
        table.add_column("Change")
        for change in report.variables:
            table.add_row(change.name, change.change)
        console.print(table)
    if report.dry_run:
        verdict = "would change" if report.outcome.changed else "is up to date: nothing would change"
        console.print(f"Dry run: {report.function_name} {verdict}. Nothing was changed.")
        return
    if not report.outcome.changed:
        console.print(f"No changes: {report.function_name} is up to date.")
    else:
        console.print(f"[green]Deployed[/green] {report.function_name} to {report.region}.")
    routes = UrlTable(
        f"Live routes ({report.environment})",
        ("Route", "Visibility", "URL"),
        [
            (
                route.path,
                route.visibility,
                "not served over HTTP (Runtime only)" if route.visibility == "private" else route.url,
            )
            for route in report.routes
        ],
    )
    console.print(routes, crop=False)  # URLs never cut
    functions = [
        route for route in report.routes if route.kind == "function" and route.visibility != "private"
    ]
    if functions:
        target = next((route for route in functions if route.visibility == "protected"), functions[0])
        console.print(
            "Next: point a number at it: "
            f"[bold]pyserverless phone-numbers:update +1XXXXXXXXXX --sms-url {target.path} "
            f"--environment {report.environment}[/bold]",
            soft_wrap=True,
        )
