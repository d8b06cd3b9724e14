"""`pyserverless deploy` from start to end: project → checks → package → AWS steps → deploy record.

The project is scanned and its variables checked first (reserved names, Lambda's limits, the Twilio
credentials its protected routes need), AWS credentials and region looked up (no package is built for a
deploy that cannot happen), then the zip is built (dependencies from the cache when unchanged), then
`steps.deploy` converges AWS to it, and only a deploy that went through every step writes
`.pyserverless/deployed/<environment>.json`. A dry run builds the zip (to compare its hash) and reads AWS,
but writes nothing anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pyserverless.deploy.aws import check_service_name, connect
from pyserverless.deploy.package import Package, build_package, bytecode_summary, megabytes
from pyserverless.deploy.state import DeployedRoute, Deployment, recorded_function_arn, write_deployment
from pyserverless.deploy.steps import DeployOutcome, DeploySpec, StepReporter, StepResult, deploy
from pyserverless.deploy.target import LambdaTarget
from pyserverless.deploy.variables import check_variables
from pyserverless.errors import UserError
from pyserverless.project.folder import Project, load_project
from pyserverless.runtime.routes import Route

DEFAULT_MEMORY_MB = 256
DEFAULT_TIMEOUT_SECONDS = 10.0
PRODUCTION_ENVIRONMENT = "prod"
#: What a protected route needs deployed: AUTH_TOKEN checks Twilio's signature; ACCOUNT_SID names the account.
TWILIO_CREDENTIALS = ("ACCOUNT_SID", "AUTH_TOKEN")


@dataclass(frozen=True)
class DeployOptions:
    root: Path
    service: str | None
    environment: str
    region: str | None
    profile: str | None
    target: LambdaTarget
    memory: int
    timeout: float
    env_file: Path | None
    dry_run: bool
    #: Take over a function or role of the expected name that is not tagged as this project's.
    adopt: bool = False
    #: Deploy although ACCOUNT_SID or AUTH_TOKEN is empty while the project has protected routes.
    allow_empty_token: bool = False


@dataclass
class VariableChange:
    """A variable the deploy adds, changes or removes: its name only, never its value (a plan is often pasted
    into chats and CI logs; `pyserverless env get NAME` shows a value when asked)."""

    name: str
    change: str


@dataclass
class DeployReport:
    """The result the CLI prints: what each step did, the live routes, and the record written."""

    function_name: str
    environment: str
    region: str
    dry_run: bool
    package: Package
    outcome: DeployOutcome
    variables: list[VariableChange]
    routes: list[DeployedRoute] = field(default_factory=list)
    record: Path | None = None
    warnings: list[str] = field(default_factory=list)


def default_service_name(root: Path) -> str:
    """The project folder's name made into a valid function-name prefix."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", root.name).strip("-") or "pyserverless"


def run_deploy(options: DeployOptions, reporter: StepReporter) -> DeployReport:
    project = load_project(options.root, options.env_file)
    service = options.service or default_service_name(project.root)
    check_service_name(service, options.environment)
    check_variables(project.env)
    if not options.allow_empty_token:
        check_twilio_credentials(project)
    aws = connect(options.region, options.profile)
    reporter.started("package")
    package = build_package(project, options.target)
    reporter.finished(
        StepResult(
            "package",
            f"{len(project.routes)} routes",
            "built",
            f"{megabytes(package.size)} zipped, {megabytes(package.unzipped_size)} unzipped, "
            + bytecode_summary(package, options.target),
        )
    )
    spec = DeploySpec(
        service=service,
        environment=options.environment,
        target=options.target,
        memory=options.memory,
        timeout=options.timeout,
        env=project.env,
        package=package,
    )
    outcome = deploy(
        aws,
        spec,
        reporter,
        apply=not options.dry_run,
        adopt=options.adopt,
        recorded_function_arn=recorded_function_arn(project.root, options.environment),
    )
    changes = outcome.env_changes
    variables = [
        *(VariableChange(name, "added") for name in changes.added),
        *(VariableChange(name, "changed") for name in changes.changed),
        *(VariableChange(name, "removed") for name in changes.removed),
    ]
    report = DeployReport(
        function_name=spec.function_name,
        environment=options.environment,
        region=aws.region,
        dry_run=options.dry_run,
        package=package,
        outcome=outcome,
        variables=variables,
        warnings=[*project.warnings, *outcome.warnings],
    )
    if options.dry_run or outcome.url is None or outcome.function_arn is None:
        return report
    report.routes, report.record = record_deploy(
        project.root,
        spec,
        region=aws.region,
        function_arn=outcome.function_arn,
        url=outcome.url,
        routes=project.routes,
    )
    return report


def check_twilio_credentials(project: Project) -> None:
    """Refuse protected routes with an empty ACCOUNT_SID or AUTH_TOKEN: they would refuse every request."""
    protected = [route.path for route in project.routes if route.visibility == "protected"]
    empty = [name for name in TWILIO_CREDENTIALS if not project.env.get(name, "").strip()]
    if not protected or not empty:
        return
    env_file = project.env_file or project.root / ".env"
    shown = env_file.relative_to(project.root) if env_file.is_relative_to(project.root) else env_file
    listed = ", ".join(protected[:3]) + (f" and {len(protected) - 3} more" if len(protected) > 3 else "")
    raise UserError(
        f"{' and '.join(empty)} {'is' if len(empty) == 1 else 'are'} empty in {shown}, but the project has "
        f"protected routes ({listed}): deployed, they would refuse every request Twilio sends.",
        hint=f"Put your account's values in {shown} (ACCOUNT_SID=AC…, AUTH_TOKEN=…, both on "
        "https://console.twilio.com), or deploy another file with --env FILE. If this deploy serves public "
        "routes only, pass --allow-empty-token.",
    )


def record_deploy(
    root: Path, spec: DeploySpec, *, region: str, function_arn: str, url: str, routes: Iterable[Route]
) -> tuple[list[DeployedRoute], Path]:
    """The routes of a deployed `spec` with their URLs, and the deploy record written for it (now)."""
    deployed_routes = [
        DeployedRoute(path=route.path, kind=route.kind, visibility=route.visibility, url=url + route.path)
        for route in routes
    ]
    record = write_deployment(
        root,
        Deployment(
            service=spec.service,
            environment=spec.environment,
            region=region,
            function_name=spec.function_name,
            function_arn=function_arn,
            url=url,
            code_sha256=spec.package.code_sha256,
            runtime=spec.target.runtime,
            arch=spec.target.arch,
            deployed_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            routes=deployed_routes,
        ),
    )
    return deployed_routes, record
