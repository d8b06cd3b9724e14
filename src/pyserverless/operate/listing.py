"""What is deployed: the environments of a service, the routes of one, the variable names of one.

Environments are found on AWS, not only in this project's records: every Lambda function whose description
is the one `deploy` writes (`pyserverless service <service>, environment <environment>`). For each: its
function URL, when it last changed, its CodeSha256, and whether the project here differs from it, decided by
building the package exactly as `deploy` would (once per runtime and architecture in use) and comparing the
hashes. Routes come from the deploy record when its hash is the live one, else from the manifest inside the
live code (`code.routes_in_code`), with URLs on the live function URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pyserverless.deploy.package import build_package
from pyserverless.deploy.state import DeployedRoute
from pyserverless.deploy.steps import deployed_arch
from pyserverless.deploy.target import LambdaTarget
from pyserverless.errors import UserError
from pyserverless.operate.code import download_code, routes_in_code
from pyserverless.operate.environment import (
    LiveEnvironment,
    Scope,
    aws_call,
    aws_call_unless_missing,
    connect_for,
    record_of,
    service_of,
)
from pyserverless.project.folder import load_project

_DESCRIPTION = re.compile(r"^pyserverless service (?P<service>\S+), environment (?P<environment>\S+)$")


@dataclass
class EnvironmentSummary:
    environment: str
    function_name: str
    url: str | None
    last_modified: str
    code_sha256: str
    runtime: str
    arch: str
    #: "same", "differs", or "unknown" (the project could not be built; see the listing's warnings)
    local: str = "unknown"


@dataclass
class EnvironmentListing:
    service: str
    region: str
    environments: list[EnvironmentSummary]
    warnings: list[str] = field(default_factory=list)


def function_url(live_aws: Any, function_name: str) -> str | None:
    """The function URL without its trailing slash; None when the function has none."""
    config = aws_call_unless_missing(
        f"Reading the function URL of {function_name}",
        lambda: live_aws.lambda_.get_function_url_config(FunctionName=function_name),
    )
    return None if config is None else str(config["FunctionUrl"]).rstrip("/")


def all_functions(aws: Any) -> list[dict[str, Any]]:
    """The configuration of every Lambda function of the account in the region."""
    paginator = aws.lambda_.get_paginator("list_functions")
    pages = aws_call("Listing the Lambda functions", lambda: list(paginator.paginate()))
    return [function for page in pages for function in page.get("Functions", [])]


def service_functions(aws: Any, service: str) -> list[tuple[str, dict[str, Any]]]:
    """(environment, configuration) of every function `deploy` created for `service`, by environment."""
    found: list[tuple[str, dict[str, Any]]] = []
    for function in all_functions(aws):
        match = _DESCRIPTION.match(str(function.get("Description", "")))
        if match and match.group("service") == service:
            found.append((match.group("environment"), function))
    return sorted(found, key=lambda pair: pair[0])


def list_environments(scope: Scope) -> EnvironmentListing:
    service = service_of(scope)
    aws = connect_for(scope, None)
    listing = EnvironmentListing(service=service, region=aws.region, environments=[])
    for environment, function in service_functions(aws, service):
        listing.environments.append(
            EnvironmentSummary(
                environment=environment,
                function_name=str(function["FunctionName"]),
                url=function_url(aws, str(function["FunctionName"])),
                last_modified=str(function.get("LastModified", "")),
                code_sha256=str(function.get("CodeSha256", "")),
                runtime=str(function.get("Runtime", "")),
                arch=deployed_arch(function),
            )
        )
    _compare_with_project(scope, listing)
    return listing


def _compare_with_project(scope: Scope, listing: EnvironmentListing) -> None:
    """Set each environment's `local` by building the project for its runtime and architecture."""
    if not listing.environments:
        return
    hashes: dict[tuple[str, str], str | None] = {}
    try:
        project = load_project(scope.root)
    except UserError as error:
        listing.warnings.append(f"The project could not be read, so it was not compared: {error.message}")
        return
    for summary in listing.environments:
        key = (summary.runtime, summary.arch)
        if key not in hashes:
            try:
                hashes[key] = build_package(project, LambdaTarget(*key)).code_sha256
            except UserError as error:
                hashes[key] = None
                listing.warnings.append(
                    f"The project could not be built for {key[0]} {key[1]}, so it was not compared: "
                    f"{error.message}"
                )
        local_hash = hashes[key]
        if local_hash is not None:
            summary.local = "same" if local_hash == summary.code_sha256 else "differs"


@dataclass
class RouteListing:
    environment: str
    function_name: str
    url: str | None
    routes: list[DeployedRoute]


def list_routes(live: LiveEnvironment) -> RouteListing:
    url = function_url(live.aws, live.function_name)
    record = record_of(live.scope.root, live.environment)
    if record is not None and record.code_sha256 == live.code_sha256:
        described = [(route.path, route.kind, route.visibility) for route in record.routes]
    else:
        described = [
            (route.path, route.kind, route.visibility) for route in routes_in_code(download_code(live))
        ]
    return RouteListing(
        environment=live.environment,
        function_name=live.function_name,
        url=url,
        routes=[
            DeployedRoute(path=path, kind=kind, visibility=visibility, url=f"{url}{path}" if url else "")
            for path, kind, visibility in described
        ],
    )
