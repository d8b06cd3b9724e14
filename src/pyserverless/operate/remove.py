"""`remove`: delete one environment from AWS, after saying exactly what will go.

`plan_removal` only reads: the function, its URL, the statements of its resource policy, and its execution
role, which is deleted only when it is the environment's own role (`pyserverless-<service>-<environment>`, as
deploy creates it, or `pyserverless-<service>`, as earlier versions did) and no other function in the region
uses it. `remove` then deletes in dependency order — URL,
permissions, function, role (its policies detached first) — treating "already gone" as done, so a removal
interrupted half-way can simply be run again. The environment's deploy record is deleted last. The log group
is kept: its logs stay readable until its retention ends.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from pyserverless.deploy.aws import execution_role_name, shared_role_name
from pyserverless.deploy.state import state_path
from pyserverless.operate.environment import (
    AwsOperationError,
    LiveEnvironment,
    aws_call,
    aws_call_unless_missing,
)
from pyserverless.operate.listing import all_functions, function_url
from pyserverless.operate.logs import log_group

_GONE = ("ResourceNotFoundException", "NoSuchEntity")


@dataclass
class RemovalPlan:
    live: LiveEnvironment
    url: str | None
    permissions: list[str]
    role_name: str | None
    #: Why the role stays, when it does ("used by x-prod", "not created by pyserverless").
    role_kept: str | None
    log_group: str
    record: Path | None = None
    removed: list[str] = field(default_factory=list)


def _ignore_gone(action: str, call: Callable[[], object]) -> bool:
    """Run `call`; False when AWS says the thing is already gone."""
    try:
        aws_call(action, call)
    except AwsOperationError as error:
        if error.code in _GONE:
            return False
        raise
    return True


def plan_removal(live: LiveEnvironment) -> RemovalPlan:
    name = live.function_name
    lambda_ = live.aws.lambda_
    policy = aws_call_unless_missing(
        f"Reading the permissions of {name}", lambda: lambda_.get_policy(FunctionName=name)
    )
    statements = json.loads(policy["Policy"]).get("Statement", []) if policy is not None else []
    permissions = [str(statement["Sid"]) for statement in statements if "Sid" in statement]
    role_arn = str(live.configuration.get("Role", ""))
    role_name: str | None = role_arn.rsplit("/", 1)[-1] if "/" in role_arn else None
    role_kept: str | None = None
    if role_name not in (execution_role_name(live.service, live.environment), shared_role_name(live.service)):
        role_kept = f"{role_name or role_arn} was not created by pyserverless for this service"
        role_name = None
    else:
        users = sorted(
            str(function["FunctionName"])
            for function in all_functions(live.aws)
            if function.get("Role") == role_arn and function.get("FunctionName") != name
        )
        if users:
            role_kept = f"{role_name} is still used by {', '.join(users)}"
            role_name = None
    record = state_path(live.scope.root, live.environment)
    return RemovalPlan(
        live=live,
        url=function_url(live.aws, name),
        permissions=permissions,
        role_name=role_name,
        role_kept=role_kept,
        log_group=log_group(live),
        record=record if record.is_file() else None,
    )


def remove(plan: RemovalPlan) -> RemovalPlan:
    """Delete what the plan names; `plan.removed` lists what was deleted."""
    live = plan.live
    name = live.function_name
    lambda_ = live.aws.lambda_
    iam = live.aws.iam
    if plan.url is not None and _ignore_gone(
        f"Deleting the function URL of {name}", lambda: lambda_.delete_function_url_config(FunctionName=name)
    ):
        plan.removed.append(f"function URL {plan.url}")
    for sid in plan.permissions:
        if _ignore_gone(
            f"Removing the permission {sid} of {name}",
            partial(lambda_.remove_permission, FunctionName=name, StatementId=sid),
        ):
            plan.removed.append(f"permission {sid}")
    if _ignore_gone(f"Deleting the function {name}", lambda: lambda_.delete_function(FunctionName=name)):
        plan.removed.append(f"function {name}")
    if plan.role_name is not None and _ignore_gone(
        f"Deleting the role {plan.role_name}", lambda: _delete_role(iam, str(plan.role_name))
    ):
        plan.removed.append(f"role {plan.role_name}")
    if plan.record is not None:
        plan.record.unlink(missing_ok=True)
        plan.removed.append(f"record {plan.record}")
    return plan


def _delete_role(iam: Any, role: str) -> None:
    """Detach and delete the role's policies, then the role (AWS refuses to delete a role with policies)."""
    for policy in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]:
        iam.detach_role_policy(RoleName=role, PolicyArn=policy["PolicyArn"])
    for policy_name in iam.list_role_policies(RoleName=role)["PolicyNames"]:
        iam.delete_role_policy(RoleName=role, PolicyName=policy_name)
    iam.delete_role(RoleName=role)
