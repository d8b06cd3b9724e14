"""How `phone-numbers:update` resolves the URLs given: deployed paths, localhost URLs on the tunnel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pyserverless.deploy.state import Deployment, write_deployment
from pyserverless.dev.number_update import (
    local_port,
    resolve_paths,
    rewrite_to_public,
    tunnel_port,
)
from pyserverless.errors import UserError


def deployment(root: Path, environment: str, url: str) -> None:
    write_deployment(
        root,
        Deployment(
            service="svc",
            environment=environment,
            region="us-east-1",
            function_name=f"svc-{environment}",
            function_arn=f"arn:aws:lambda:us-east-1:123456789012:function:svc-{environment}",
            url=url,
            code_sha256="abc",
            runtime="python3.12",
            arch="x86_64",
            deployed_at="2026-11-28T10:00:00+00:00",
        ),
    )


def test_paths_resolve_against_the_environment_deployment(tmp_path: Path) -> None:
    deployment(tmp_path, "dev", "https://abc.lambda-url.us-east-1.on.aws/")
    deployment(tmp_path, "prod", "https://prod.lambda-url.us-east-1.on.aws")
    changes = {"sms_url": "/sms/reply", "voice_url": "https://example.com/v", "sms_method": "GET"}
    assert resolve_paths(changes, tmp_path, "dev") == {
        "sms_url": "https://abc.lambda-url.us-east-1.on.aws/sms/reply",
        "voice_url": "https://example.com/v",
        "sms_method": "GET",
    }
    assert resolve_paths({"sms_url": "/x?a=1"}, tmp_path, "prod") == {
        "sms_url": "https://prod.lambda-url.us-east-1.on.aws/x?a=1"
    }


def test_path_without_deployment(tmp_path: Path) -> None:
    with pytest.raises(UserError) as caught:
        resolve_paths({"sms_url": "/sms/reply"}, tmp_path, "dev")
    assert caught.value.message == (
        "--sms-url /sms/reply is a path, but the project has no deployment of the environment 'dev' "
        "(.pyserverless/deployed/dev.json does not exist)."
    )
    assert caught.value.hint is not None
    assert caught.value.hint.startswith("Deploy first with `pyserverless deploy --environment dev`")


def test_path_outside_a_project() -> None:
    with pytest.raises(UserError) as caught:
        resolve_paths({"voice_url": "/voice"}, None, "dev")
    assert caught.value.message == (
        "--voice-url /voice is a path, but there is no pyserverless project here to resolve it against."
    )


def test_invalid_deployment_record(tmp_path: Path) -> None:
    record = tmp_path / ".pyserverless" / "deployed" / "dev.json"
    record.parent.mkdir(parents=True)
    record.write_text(json.dumps({"url": "https://x.example"}), encoding="utf-8")
    with pytest.raises(UserError) as caught:
        resolve_paths({"sms_url": "/s"}, tmp_path, "dev")
    assert caught.value.message.startswith(f"{record} is not a valid deploy record: ")


@pytest.mark.parametrize(
    ("url", "port"),
    [
        ("http://localhost:3000/sms", 3000),
        ("http://127.0.0.1:8080/", 8080),
        ("http://[::1]:4000/x", 4000),
        ("http://LOCALHOST/x", 80),
        ("https://example.com/x", None),
        ("http://localhost.example.com/x", None),
    ],
)
def test_local_port(url: str, port: int | None) -> None:
    assert local_port(url) == port


def test_local_https_is_refused() -> None:
    with pytest.raises(UserError) as caught:
        local_port("https://localhost:3000/sms")
    assert caught.value.message == (
        "https://localhost:3000/sms is a local https URL: the tunnel forwards to plain http on your machine."
    )


def test_one_tunnel_serves_one_port() -> None:
    assert tunnel_port({"sms_url": "http://localhost:3000/a", "voice_url": "http://127.0.0.1:3000/b"}) == 3000
    assert tunnel_port({"sms_url": "https://example.com/a", "sms_fallback_url": ""}) is None
    with pytest.raises(UserError) as caught:
        tunnel_port({"sms_url": "http://localhost:3000/a", "voice_url": "http://localhost:4000/b"})
    assert caught.value.message == (
        "The localhost URLs point at several ports (3000, 4000); one tunnel forwards to one port."
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://localhost:3000/sms/reply", "https://ab12.ngrok.app/sms/reply"),
        ("http://localhost:3000/sms/reply?lang=fr&x=%20", "https://ab12.ngrok.app/sms/reply?lang=fr&x=%20"),
        ("http://localhost:3000", "https://ab12.ngrok.app/"),
    ],
)
def test_rewrite_to_public_keeps_path_and_query(url: str, expected: str) -> None:
    assert rewrite_to_public(url, "https://ab12.ngrok.app/") == expected
