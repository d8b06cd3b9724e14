"""The execution role's log policy (its own log group only) and the review of a reused role."""

from __future__ import annotations

from typing import Any

from pyserverless.deploy.execution_role import TRUST_POLICY, log_policy, review

ROLE_ARN = "arn:aws:iam::123456789012:role/pyserverless-svc-dev"
ADVICE = (
    ": the function needs only to be assumed by lambda.amazonaws.com and its inline policy "
    "pyserverless-logs, and its code runs with every permission of the role. Remove what it does not need "
    "(IAM console, or "
    "`aws iam update-assume-role-policy`, `detach-role-policy`, `delete-role-policy`)."
)


def role(trust: dict[str, Any]) -> dict[str, Any]:
    return {"RoleName": "pyserverless-svc-dev", "Arn": ROLE_ARN, "AssumeRolePolicyDocument": trust}


def test_the_log_policy_names_the_functions_own_log_group_only() -> None:
    group = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/svc-dev"
    assert log_policy(ROLE_ARN, "eu-west-1", "svc-dev") == {
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
    china = log_policy("arn:aws-cn:iam::123456789012:role/r", "cn-north-1", "svc-dev")
    assert china["Statement"][1]["Resource"] == (
        "arn:aws-cn:logs:cn-north-1:123456789012:log-group:/aws/lambda/svc-dev:*"
    )


def test_a_role_as_deploy_makes_it_has_nothing_to_review() -> None:
    assert review(role(TRUST_POLICY), [], ["pyserverless-logs"]) == []
    listed = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": ["lambda.amazonaws.com"]},
                "Action": "sts:AssumeRole",
            },
            {"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"},
        ],
    }
    assert review(role(listed), [], []) == []


def test_broader_trust_and_extra_policies_are_each_named() -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"},
            {
                "Effect": "Allow",
                "Principal": {"Service": ["lambda.amazonaws.com", "ec2.amazonaws.com"]},
                "Action": "sts:AssumeRole",
            },
            {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}, "Action": "sts:AssumeRole"},
        ],
    }
    attached = [
        {"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}
    ]
    assert review(role(trust), attached, ["pyserverless-logs", "extra"]) == [
        f"The execution role pyserverless-svc-dev {finding}{ADVICE}"
        for finding in (
            'trusts {"AWS": "*"} to assume it',
            'trusts {"Service": "ec2.amazonaws.com"} to assume it',
            'trusts "*" to assume it',
            'trusts {"NotPrincipal": {"AWS": "arn:aws:iam::1:root"}} to assume it',
            "has the managed policy AdministratorAccess attached",
            "has the inline policy extra",
        )
    ]
