"""How the URLs given to `phone-numbers:update` are checked, resolved and rewritten."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from pyserverless.deploy.state import Deployment, write_deployment
from pyserverless.errors import UserError
from pyserverless.numbers import (
    PhoneNumber,
    check_changes,
    is_listening,
    local_port,
    parse_number,
    resolve_paths,
    restore_command,
    rewrite_to_public,
    tunnel_port,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+15551234567", "+15551234567"),
        ("+1 (555) 123-4567", "+15551234567"),
        ("+44 7700.900123", "+447700900123"),
        ("PN" + "ab" * 16, "PN" + "ab" * 16),
    ],
)
def test_parse_number(text: str, expected: str) -> None:
    assert parse_number(text) == expected


def test_parse_number_without_country_code() -> None:
    with pytest.raises(UserError) as caught:
        parse_number("555-123-4567")
    assert caught.value.message == "555-123-4567 has no country code."
    assert caught.value.hint == (
        "Write the number in E.164 form, with + and the country code: +5551234567 if that is it."
    )


@pytest.mark.parametrize("text", ["+0123", "PN123", "hello", "+1555123456789012"])
def test_parse_number_refuses_other_text(text: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_number(text)
    assert caught.value.message == f"{text} is neither a phone number in E.164 form nor a phone number SID."


def test_check_changes_needs_a_field() -> None:
    with pytest.raises(UserError) as caught:
        check_changes({})
    assert caught.value.message == "Nothing to update: no field was given."


@pytest.mark.parametrize("value", ["example.com/sms", "ftp://example.com/sms", "https://"])
def test_check_changes_refuses_what_is_no_url(value: str) -> None:
    with pytest.raises(UserError) as caught:
        check_changes({"voice_url": value})
    assert caught.value.message == f"--voice-url {value} is not a URL."


def test_check_changes_accepts_urls_paths_and_empty() -> None:
    check_changes(
        {
            "sms_url": "https://example.com/sms",
            "voice_url": "/voice",
            "sms_fallback_url": "",
            "sms_method": "GET",
            "friendly_name": "anything at all",
        }
    )


def test_check_changes_refuses_other_methods() -> None:
    with pytest.raises(UserError) as caught:
        check_changes({"sms_method": "PUT"})
    assert caught.value.message == "--sms-method PUT is not an HTTP method Twilio uses."


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


def test_restore_command_quotes_every_value() -> None:
    before = PhoneNumber(
        "PN1",
        "+15551234567",
        {"sms_url": "https://example.com/a?x=1&y=2", "sms_method": "GET", "voice_url": ""},
    )
    assert restore_command(before, ("sms_url", "sms_method", "voice_url")) == (
        "pyserverless phone-numbers:update +15551234567 --sms-url 'https://example.com/a?x=1&y=2' "
        "--sms-method GET --voice-url ''"
    )


def test_is_listening() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert is_listening(port)
    assert not is_listening(port)
