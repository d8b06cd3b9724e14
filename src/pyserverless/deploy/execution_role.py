"""What a function's execution role should hold, and what in an existing role is broader than that.

The role of one environment is trusted by `lambda.amazonaws.com` only (`TRUST_POLICY`) and holds one inline
policy, `pyserverless-logs` (`log_policy`): create the function's own log group `/aws/lambda/<function>` and
write its streams, nothing else. AWS's managed AWSLambdaBasicExecutionRole, which deploy attached before, lets
a function write every log group of the account; a role shared by the environments would let dev write prod's.
`review` reads a reused role (one deploy created earlier, or one taken over with `--adopt`) and names what it
holds beyond that: trust for any other principal, managed policies, other inline policies. Deploy warns about
each and changes none of them: they may be there on purpose.
"""

from __future__ import annotations

import json
from typing import Any

LOG_POLICY_NAME = "pyserverless-logs"
LAMBDA_SERVICE = "lambda.amazonaws.com"
TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": LAMBDA_SERVICE}, "Action": "sts:AssumeRole"}],
}


def log_group_arn(role_arn: str, region: str, function_name: str) -> str:
    """The ARN of the function's log group, in the role's partition and account."""
    _, partition, _, _, account, _ = role_arn.split(":", 5)
    return f"arn:{partition}:logs:{region}:{account}:log-group:/aws/lambda/{function_name}"


def log_policy(role_arn: str, region: str, function_name: str) -> dict[str, Any]:
    """The inline policy that lets the function create and write its own log group, and no other."""
    group = log_group_arn(role_arn, region, function_name)
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "CreateOwnLogGroup",
                "Effect": "Allow",
                "Action": "logs:CreateLogGroup",
                "Resource": [group, f"{group}:*"],
            },
            {
                "Sid": "WriteOwnLogStreams",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": f"{group}:*",
            },
        ],
    }


def review(role: dict[str, Any], attached: list[dict[str, Any]], inline: list[str]) -> list[str]:
    """One warning for each thing the role `role` (IAM's GetRole answer) holds beyond what the function
    needs: `attached` are its managed policies (ListAttachedRolePolicies), `inline` its inline policies'
    names."""
    name = role["RoleName"]
    findings = [
        f"trusts {json.dumps(principal, sort_keys=True)} to assume it"
        for principal in _trusted_principals(role.get("AssumeRolePolicyDocument"))
        if principal != {"Service": LAMBDA_SERVICE}
    ]
    findings += [f"has the managed policy {policy['PolicyName']} attached" for policy in attached]
    findings += [f"has the inline policy {policy}" for policy in inline if policy != LOG_POLICY_NAME]
    return [
        f"The execution role {name} {finding}: the function needs only to be assumed by {LAMBDA_SERVICE} and "
        f"its inline policy {LOG_POLICY_NAME}, and its code runs with every permission of the role. Remove "
        "what it does not need (IAM console, or `aws iam update-assume-role-policy`, `detach-role-policy`, "
        "`delete-role-policy`)."
        for finding in findings
    ]


def _trusted_principals(document: dict[str, Any] | None) -> list[Any]:
    """Each principal an Allow statement of a trust policy names, one service or account at a time
    (`{"NotPrincipal": …}` for a statement that trusts everyone but some)."""
    statements = (document or {}).get("Statement", [])
    principals: list[Any] = []
    for statement in statements if isinstance(statements, list) else [statements]:
        if statement.get("Effect") != "Allow":
            continue
        if "NotPrincipal" in statement:
            principals.append({"NotPrincipal": statement["NotPrincipal"]})
            continue
        principal = statement.get("Principal")
        if not isinstance(principal, dict):  # "*": anyone
            principals.append(principal)
            continue
        for kind, names in principal.items():
            principals.extend({kind: one} for one in (names if isinstance(names, list) else [names]))
    return principals
