"""`promote`: put the code that runs in one environment into another, without rebuilding it.

The source's zip is downloaded from AWS and checked against its CodeSha256 (`code.download_code`), then the
target is converged to it by the very steps of `deploy` (`steps.deploy`) with a spec made of that zip
and the target's own settings: its variables, execution limit and memory as they are now (for a
target that does not exist yet: no variables, the source's limit and memory), the source's runtime and
architecture (the zip's dependencies were built for them). So the code upload happens only when the hashes
differ, the target's variables are written back unchanged, the URL and permissions are ensured, and the target
ends with exactly the source's CodeSha256. The local `.env` is never read. The target's deploy record is
written with the routes from the zip's manifest. As deploy, promote never writes a target function or role
that is not tagged as this service's environment (`--adopt` takes one over).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyserverless.deploy.aws import check_service_name, lambda_function_name
from pyserverless.deploy.pipeline import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_SECONDS, record_deploy
from pyserverless.deploy.state import DeployedRoute, recorded_function_arn
from pyserverless.deploy.steps import DeployOutcome, DeploySpec, StepReporter, deploy, deployed_arch
from pyserverless.deploy.target import LambdaTarget
from pyserverless.errors import UserError
from pyserverless.operate.code import download_code, routes_in_code
from pyserverless.operate.environment import Scope, aws_call_unless_missing, open_environment
from pyserverless.runtime.manifest import ENV_KEYS_VARIABLE, TIMEOUT_VARIABLE


@dataclass
class PromoteResult:
    source_function: str
    target_function: str
    environment: str
    region: str
    code_sha256: str
    created: bool
    outcome: DeployOutcome
    routes: list[DeployedRoute]
    record: Path

    @property
    def changed(self) -> bool:
        return self.outcome.changed


def _timeout(variables: dict[str, str], fallback: float) -> float:
    try:
        return float(variables[TIMEOUT_VARIABLE])
    except (KeyError, ValueError):
        return fallback


def promote(
    scope: Scope,
    source_environment: str,
    target_environment: str,
    reporter: StepReporter,
    adopt: bool = False,
) -> PromoteResult:
    """Converge the target to the source's code; a target function or role that is not this project's is
    refused as deploy refuses it, unless `adopt`."""
    if source_environment == target_environment:
        raise UserError(
            f"--from and --to are both {source_environment!r}.",
            hint="Promote from one environment to another, e.g. --from dev --to prod.",
        )
    source = open_environment(scope, source_environment)
    check_service_name(source.service, target_environment)
    package = download_code(source)
    configuration = source.configuration
    target_name = lambda_function_name(source.service, target_environment)
    current = aws_call_unless_missing(
        f"Reading the function {target_name}",
        lambda: source.aws.lambda_.get_function_configuration(FunctionName=target_name),
    )
    source_timeout = _timeout(source.variables, DEFAULT_TIMEOUT_SECONDS)
    if current is None:
        variables: dict[str, str] = {}
        timeout = source_timeout
        memory = int(configuration.get("MemorySize") or DEFAULT_MEMORY_MB)
    else:
        target_variables = dict(current.get("Environment", {}).get("Variables", {}))
        # Every variable it has, not only those listed for the runtime: none may be lost on the way.
        variables = {
            name: value
            for name, value in target_variables.items()
            if name not in (ENV_KEYS_VARIABLE, TIMEOUT_VARIABLE)
        }
        timeout = _timeout(target_variables, source_timeout)
        memory = int(current.get("MemorySize") or DEFAULT_MEMORY_MB)
    target = LambdaTarget(runtime=str(configuration["Runtime"]), arch=deployed_arch(configuration))
    spec = DeploySpec(
        service=source.service,
        environment=target_environment,
        target=target,
        memory=memory,
        timeout=timeout,
        env=variables,
        package=package,
    )
    outcome = deploy(
        source.aws,
        spec,
        reporter,
        adopt=adopt,
        recorded_function_arn=recorded_function_arn(scope.root, target_environment),
    )
    if outcome.url is None or outcome.function_arn is None:
        raise UserError(f"Promoting to {target_name} did not leave a function URL.", hint="Run it again.")
    routes, record = record_deploy(
        scope.root,
        spec,
        region=source.aws.region,
        function_arn=outcome.function_arn,
        url=outcome.url,
        routes=routes_in_code(package),
    )
    return PromoteResult(
        source_function=source.function_name,
        target_function=target_name,
        environment=target_environment,
        region=source.aws.region,
        code_sha256=package.code_sha256,
        created=current is None,
        outcome=outcome,
        routes=routes,
        record=record,
    )
