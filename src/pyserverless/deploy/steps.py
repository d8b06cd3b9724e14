"""Deploy to AWS Lambda as a short, linear list of idempotent steps.

    1. ensure_role          IAM role `pyserverless-<service>`: trust policy for lambda.amazonaws.com and
                            AWS's managed basic logging policy (CloudWatch Logs).
    2. ensure_function      function `<service>-<environment>`: created if missing; otherwise its code is
                            uploaded only when the zip's CodeSha256 differs from the deployed one (or the
                            architecture changed), and its configuration (runtime, memory, timeout, role,
                            variables) is updated only when it differs. Creating waits out a new role that
                            Lambda cannot assume yet.
    3. wait_until_ready     State Active and the last update Successful, before anything else touches it.
    4. ensure_function_url  a function URL with AuthType NONE (Twilio calls it; protected routes check
                            Twilio's signature in the runtime itself).
    5. ensure_permissions   the two public statements AWS requires for such a URL: lambda:InvokeFunctionUrl
                            with FunctionUrlAuthType NONE, and lambda:InvokeFunction with
                            InvokedViaFunctionUrl.

Every step first reads what exists and changes only what differs, so running the list again after a failure at
any point converges, and a second deploy of an unchanged project changes nothing. With `apply=False` (dry run)
every step only reads and says what it would do. botocore's standard retry mode retries throttling and
transient errors with backoff. A failure is raised as `aws.DeployStepError`, naming the step, AWS's error code
and message, and a likely fix.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from pyserverless.deploy.aws import (
    AwsClients,
    DeployStepError,
    error_code,
    error_details,
    execution_role_name,
    lambda_function_name,
)
from pyserverless.deploy.package import HANDLER, Package, megabytes
from pyserverless.deploy.target import LambdaTarget
from pyserverless.deploy.variables import EnvChanges, env_changes
from pyserverless.runtime.manifest import ENV_KEYS_VARIABLE, TIMEOUT_VARIABLE

BASIC_LOGGING_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}
URL_PERMISSION_SID = "FunctionURLAllowPublicAccess"
INVOKE_PERMISSION_SID = "FunctionURLAllowInvokeAction"
#: Lambda's own limit is the handler's limit plus this margin: the runtime answers 504 before Lambda kills it.
LAMBDA_TIMEOUT_MARGIN_SECONDS = 3
ROLE_PROPAGATION_SECONDS = 90.0
READY_TIMEOUT_SECONDS = 300.0


@dataclass(frozen=True)
class DeploySpec:
    """Everything one deploy wants to exist."""

    service: str
    environment: str
    target: LambdaTarget
    memory: int
    timeout: float
    env: dict[str, str]
    package: Package

    @property
    def function_name(self) -> str:
        return lambda_function_name(self.service, self.environment)

    @property
    def role_name(self) -> str:
        return execution_role_name(self.service)

    @property
    def lambda_timeout(self) -> int:
        return min(900, math.ceil(self.timeout) + LAMBDA_TIMEOUT_MARGIN_SECONDS)

    def function_variables(self) -> dict[str, str]:
        """The function's environment: the project's variables plus the runtime's list of their names."""
        return {
            **self.env,
            ENV_KEYS_VARIABLE: ",".join(sorted(self.env)),
            TIMEOUT_VARIABLE: f"{self.timeout:g}",
        }


@dataclass
class StepResult:
    """What a step did (or, in a dry run, would do) to one resource: create, update or unchanged."""

    step: str
    resource: str
    action: str
    detail: str = ""


@dataclass
class DeployOutcome:
    steps: list[StepResult]
    env_changes: EnvChanges
    function_arn: str | None = None
    url: str | None = None

    @property
    def changed(self) -> bool:
        return any(step.action != "unchanged" for step in self.steps)


class StepReporter(Protocol):
    def started(self, step: str) -> None: ...

    def finished(self, result: StepResult) -> None: ...


def _wait(check: Callable[[], bool], limit: float, interval: float = 1.0) -> bool:
    deadline = time.monotonic() + limit
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)
    return True


def ensure_role(aws: AwsClients, spec: DeploySpec, apply: bool) -> tuple[StepResult, str | None]:
    """The execution role, and its ARN (None in a dry run when it does not exist yet)."""
    step = "role"
    try:
        role = aws.iam.get_role(RoleName=spec.role_name)["Role"]
    except Exception as error:
        if error_code(error) != "NoSuchEntity":
            raise
        created = StepResult(step, spec.role_name, "create", "trust lambda.amazonaws.com, basic logging")
        if not apply:
            return created, None
        role = aws.iam.create_role(
            RoleName=spec.role_name,
            AssumeRolePolicyDocument=json.dumps(TRUST_POLICY),
            Description=f"Execution role of the pyserverless service {spec.service}",
        )["Role"]
        aws.iam.attach_role_policy(RoleName=spec.role_name, PolicyArn=BASIC_LOGGING_POLICY_ARN)
        return created, str(role["Arn"])
    attached = aws.iam.list_attached_role_policies(RoleName=spec.role_name)["AttachedPolicies"]
    if any(policy["PolicyArn"] == BASIC_LOGGING_POLICY_ARN for policy in attached):
        return StepResult(step, spec.role_name, "unchanged"), str(role["Arn"])
    if apply:
        aws.iam.attach_role_policy(RoleName=spec.role_name, PolicyArn=BASIC_LOGGING_POLICY_ARN)
    return StepResult(step, spec.role_name, "update", "attach basic logging policy"), str(role["Arn"])


def _desired_configuration(spec: DeploySpec, role_arn: str | None) -> dict[str, Any]:
    return {
        "Runtime": spec.target.runtime,
        "Handler": HANDLER,
        "Role": role_arn,
        "MemorySize": spec.memory,
        "Timeout": spec.lambda_timeout,
        "Environment": {"Variables": spec.function_variables()},
    }


def _current_configuration(configuration: dict[str, Any]) -> dict[str, Any]:
    return {
        "Runtime": configuration.get("Runtime"),
        "Handler": configuration.get("Handler"),
        "Role": configuration.get("Role"),
        "MemorySize": configuration.get("MemorySize"),
        "Timeout": configuration.get("Timeout"),
        "Environment": {"Variables": configuration.get("Environment", {}).get("Variables", {})},
    }


def deployed_arch(configuration: dict[str, Any]) -> str:
    """The architecture of a function as Lambda describes it; x86_64, Lambda's default, when it names none."""
    return str((configuration.get("Architectures") or ["x86_64"])[0])


def ensure_function(
    aws: AwsClients, spec: DeploySpec, role_arn: str | None, apply: bool
) -> tuple[list[StepResult], EnvChanges, str | None]:
    """Create the function, or update its code and its configuration each only when it differs."""
    name = spec.function_name
    desired = _desired_configuration(spec, role_arn)
    try:
        configuration = aws.lambda_.get_function_configuration(FunctionName=name)
    except Exception as error:
        if error_code(error) != "ResourceNotFoundException":
            raise
        changes = env_changes({}, spec.env)
        if not apply:
            detail = f"{spec.target.runtime} {spec.target.arch}, {megabytes(spec.package.size)}"
            return [StepResult("function", name, "create", detail)], changes, None
        created = _create_function(aws, spec, desired)
        return (
            [StepResult("function", name, "create", f"{spec.target.runtime} {spec.target.arch}")],
            changes,
            str(created["FunctionArn"]),
        )
    arn = str(configuration["FunctionArn"])
    results: list[StepResult] = []
    same_arch = deployed_arch(configuration) == spec.target.arch
    if configuration.get("CodeSha256") == spec.package.code_sha256 and same_arch:
        results.append(StepResult("code", name, "unchanged", "no changes (CodeSha256 equal)"))
    else:
        if apply:
            wait_until_ready(aws, spec)
            aws.lambda_.update_function_code(
                FunctionName=name, ZipFile=spec.package.data, Architectures=[spec.target.arch]
            )
        results.append(StepResult("code", name, "update", megabytes(spec.package.size)))
    current = _current_configuration(configuration)
    changes = env_changes(current["Environment"]["Variables"], spec.env)
    if role_arn is None:
        desired["Role"] = current["Role"]
    differing = sorted(key for key in desired if desired[key] != current[key])
    if not differing:
        results.append(StepResult("configuration", name, "unchanged"))
        return results, changes, arn
    if apply:
        wait_until_ready(aws, spec)
        _retry_while_role_not_assumable(
            lambda: aws.lambda_.update_function_configuration(FunctionName=name, **desired)
        )
    results.append(StepResult("configuration", name, "update", ", ".join(differing)))
    return results, changes, arn


def _create_function(aws: AwsClients, spec: DeploySpec, desired: dict[str, Any]) -> dict[str, Any]:
    created: dict[str, Any] = _retry_while_role_not_assumable(
        lambda: aws.lambda_.create_function(
            FunctionName=spec.function_name,
            Code={"ZipFile": spec.package.data},
            Architectures=[spec.target.arch],
            PackageType="Zip",
            Description=f"pyserverless service {spec.service}, environment {spec.environment}",
            **desired,
        )
    )
    return created


def _retry_while_role_not_assumable(call: Callable[[], Any]) -> Any:
    """Run `call`, again while Lambda says the (new) role cannot be assumed yet (IAM takes seconds)."""
    deadline = time.monotonic() + ROLE_PROPAGATION_SECONDS
    delay = 1.0
    while True:
        try:
            return call()
        except Exception as error:
            not_yet = error_code(error) == "InvalidParameterValueException" and "assumed" in str(error)
            if not not_yet or time.monotonic() + delay > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 8.0)


def wait_until_ready(aws: AwsClients, spec: DeploySpec) -> None:
    """Wait until the function is Active and its last update is done; a failed one is an error."""
    state: dict[str, Any] = {}

    def ready() -> bool:
        state.update(aws.lambda_.get_function_configuration(FunctionName=spec.function_name))
        if state.get("State") == "Failed" or state.get("LastUpdateStatus") == "Failed":
            reason = state.get("LastUpdateStatusReason") or state.get("StateReason") or "no reason given"
            raise DeployStepError(
                "wait until ready", str(state.get("StateReasonCode", "Failed")), str(reason)
            )
        return state.get("State") == "Active" and state.get("LastUpdateStatus") in (None, "Successful")

    if not _wait(ready, READY_TIMEOUT_SECONDS):
        raise DeployStepError(
            "wait until ready",
            "Timeout",
            f"the function was still {state.get('State')}/{state.get('LastUpdateStatus')} after "
            f"{READY_TIMEOUT_SECONDS:.0f} s",
        )


def ensure_function_url(aws: AwsClients, spec: DeploySpec, apply: bool) -> tuple[StepResult, str | None]:
    name = spec.function_name
    try:
        config = aws.lambda_.get_function_url_config(FunctionName=name)
    except Exception as error:
        if error_code(error) != "ResourceNotFoundException":
            raise
        if not apply:
            return StepResult("function URL", name, "create", "AuthType NONE"), None
        config = aws.lambda_.create_function_url_config(FunctionName=name, AuthType="NONE")
        return StepResult("function URL", name, "create", "AuthType NONE"), str(config["FunctionUrl"])
    if config.get("AuthType") == "NONE":
        return StepResult("function URL", name, "unchanged"), str(config["FunctionUrl"])
    if apply:
        aws.lambda_.update_function_url_config(FunctionName=name, AuthType="NONE")
    return StepResult("function URL", name, "update", "AuthType NONE"), str(config["FunctionUrl"])


def ensure_permissions(aws: AwsClients, spec: DeploySpec, apply: bool) -> StepResult:
    name = spec.function_name
    try:
        policy = json.loads(aws.lambda_.get_policy(FunctionName=name)["Policy"])
        present = {statement.get("Sid") for statement in policy.get("Statement", [])}
    except Exception as error:
        if error_code(error) != "ResourceNotFoundException":
            raise
        present = set()
    wanted: list[tuple[str, dict[str, Any]]] = [
        (URL_PERMISSION_SID, {"Action": "lambda:InvokeFunctionUrl", "FunctionUrlAuthType": "NONE"}),
        (INVOKE_PERMISSION_SID, {"Action": "lambda:InvokeFunction", "InvokedViaFunctionUrl": True}),
    ]
    missing = [(sid, arguments) for sid, arguments in wanted if sid not in present]
    if not missing:
        return StepResult("permissions", name, "unchanged")
    if apply:
        for sid, arguments in missing:
            try:
                aws.lambda_.add_permission(FunctionName=name, StatementId=sid, Principal="*", **arguments)
            except Exception as error:
                if error_code(error) != "ResourceConflictException":
                    raise
    detail = ", ".join(str(arguments["Action"]) for _, arguments in missing)
    return StepResult("permissions", name, "create" if len(missing) == len(wanted) else "update", detail)


def deploy(aws: AwsClients, spec: DeploySpec, reporter: StepReporter, apply: bool = True) -> DeployOutcome:
    """Run the steps in order; with `apply=False` only read and report what would change."""
    import botocore.exceptions

    steps: list[StepResult] = []

    def run(step: str, call: Callable[[], Any]) -> Any:
        reporter.started(step)
        try:
            return call()
        except DeployStepError:
            raise
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as error:
            raise DeployStepError(step, *error_details(error)) from error

    role, role_arn = run("role", lambda: ensure_role(aws, spec, apply))
    steps.append(role)
    reporter.finished(role)
    results, changes, arn = run("function", lambda: ensure_function(aws, spec, role_arn, apply))
    for result in results:
        steps.append(result)
        reporter.finished(result)
    if apply:
        run("wait until ready", lambda: wait_until_ready(aws, spec))
    url_result, url = run("function URL", lambda: ensure_function_url(aws, spec, apply))
    steps.append(url_result)
    reporter.finished(url_result)
    permissions = run("permissions", lambda: ensure_permissions(aws, spec, apply))
    steps.append(permissions)
    reporter.finished(permissions)
    return DeployOutcome(
        steps=steps, env_changes=changes, function_arn=arn, url=url.rstrip("/") if url else None
    )
