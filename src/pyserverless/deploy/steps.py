"""Deploy to AWS Lambda as a short, linear list of idempotent steps.

    0. claim                the function and role below are missing or this project's (`ownership`): tagged
                            for this service and environment, or taken over with --adopt; else nothing is
                            written and the error says how to fix it.
    1. ensure_role          IAM role `pyserverless-<service>-<environment>`, tagged: trusted by
                            lambda.amazonaws.com, with the inline policy that writes the function's own log
                            group only (`execution_role`); a reused role is reviewed and what it holds beyond
                            that is warned about.
    2. ensure_function      function `<service>-<environment>`, tagged: created if missing; otherwise its
                            code is uploaded only when the zip's CodeSha256 differs from the deployed one (or
                            the architecture changed), and its configuration (runtime, memory, timeout, role,
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
from dataclasses import dataclass, field
from typing import Any, Protocol

from pyserverless.deploy.aws import (
    AwsClients,
    DeployStepError,
    error_code,
    error_details,
    execution_role_name,
    lambda_function_name,
)
from pyserverless.deploy.execution_role import LOG_POLICY_NAME, TRUST_POLICY, log_policy, review
from pyserverless.deploy.ownership import Claim, claim, function_description, owner_tags
from pyserverless.deploy.package import HANDLER, Package, megabytes
from pyserverless.deploy.target import LambdaTarget
from pyserverless.deploy.variables import EnvChanges, env_changes
from pyserverless.runtime.manifest import ENV_KEYS_VARIABLE, TIMEOUT_VARIABLE

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
        return execution_role_name(self.service, self.environment)

    @property
    def tags(self) -> dict[str, str]:
        return owner_tags(self.service, self.environment)

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
    #: What in a reused execution role is broader than the function needs.
    warnings: list[str] = field(default_factory=list)

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


def ensure_role(
    aws: AwsClients, spec: DeploySpec, apply: bool, tag: bool = False
) -> tuple[StepResult, str | None, list[str]]:
    """The execution role, its ARN (None in a dry run when it does not exist yet), and what in it is broader
    than the function needs; `tag` tags an existing role as this environment's (taken over)."""
    step = "role"
    name = spec.role_name
    scope = f"logs of {spec.function_name} only"
    tags = [{"Key": key, "Value": value} for key, value in spec.tags.items()]
    try:
        role = aws.iam.get_role(RoleName=name)["Role"]
    except Exception as error:
        if error_code(error) != "NoSuchEntity":
            raise
        created = StepResult(step, name, "create", f"trust lambda.amazonaws.com, {scope}")
        if not apply:
            return created, None, []
        role = aws.iam.create_role(
            RoleName=name,
            AssumeRolePolicyDocument=json.dumps(TRUST_POLICY),
            Description=f"Execution role of the pyserverless service {spec.service}, environment "
            f"{spec.environment}",
            Tags=tags,
        )["Role"]
        _put_log_policy(aws, spec, str(role["Arn"]))
        return created, str(role["Arn"]), []
    arn = str(role["Arn"])
    changes: list[str] = []
    if tag:
        changes.append("tag as this environment's (--adopt)")
        if apply:
            aws.iam.tag_role(RoleName=name, Tags=tags)
    inline = aws.iam.list_role_policies(RoleName=name)["PolicyNames"]
    current = (
        aws.iam.get_role_policy(RoleName=name, PolicyName=LOG_POLICY_NAME)["PolicyDocument"]
        if LOG_POLICY_NAME in inline
        else None
    )
    if current != log_policy(arn, aws.region, spec.function_name):
        changes.append(scope)
        if apply:
            _put_log_policy(aws, spec, arn)
    attached = aws.iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]
    warnings = review(role, attached, inline)
    return StepResult(step, name, "update" if changes else "unchanged", ", ".join(changes)), arn, warnings


def _put_log_policy(aws: AwsClients, spec: DeploySpec, role_arn: str) -> None:
    aws.iam.put_role_policy(
        RoleName=spec.role_name,
        PolicyName=LOG_POLICY_NAME,
        PolicyDocument=json.dumps(log_policy(role_arn, aws.region, spec.function_name)),
    )


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
    aws: AwsClients, spec: DeploySpec, role_arn: str | None, apply: bool, tag: bool = False
) -> tuple[list[StepResult], EnvChanges, str | None]:
    """Create the function, or update its code and its configuration each only when it differs; `tag` tags an
    existing function as this environment's first (taken over, or deployed before deploy tagged)."""
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
    if tag:
        if apply:
            aws.lambda_.tag_resource(Resource=arn, Tags=spec.tags)
        results.append(
            StepResult("tags", name, "update", ", ".join(f"{k}={v}" for k, v in spec.tags.items()))
        )
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
            Description=function_description(spec.service, spec.environment),
            Tags=spec.tags,
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


def deploy(
    aws: AwsClients,
    spec: DeploySpec,
    reporter: StepReporter,
    *,
    apply: bool = True,
    adopt: bool = False,
    recorded_function_arn: str | None = None,
) -> DeployOutcome:
    """Run the steps in order; with `apply=False` only read and report what would change. A function or role
    of the expected name that is not this project's is refused unless `adopt`; `recorded_function_arn` (from
    the deploy record) marks a function deployed from here as the project's."""
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

    claimed: Claim = run(
        "ownership", lambda: claim(aws, spec.service, spec.environment, adopt, recorded_function_arn)
    )
    role, role_arn, warnings = run("role", lambda: ensure_role(aws, spec, apply, claimed.tag_role))
    steps.append(role)
    reporter.finished(role)
    results, changes, arn = run(
        "function", lambda: ensure_function(aws, spec, role_arn, apply, claimed.tag_function)
    )
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
        steps=steps,
        env_changes=changes,
        function_arn=arn,
        url=url.rstrip("/") if url else None,
        warnings=warnings,
    )
