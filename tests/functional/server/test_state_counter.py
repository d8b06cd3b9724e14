"""The default template's `state` function served by `pyserverless start`, driven as Twilio's messaging
platform would: signed form POSTs for one From/To pair, its cookies sent back with the next message."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
from twilio.request_validator import RequestValidator

from tests.support.counter_story import COUNTER_STORY
from tests.support.server_process import StartedServer

TEMPLATE = Path(__file__).resolve().parents[3] / "templates" / "default"
AUTH_TOKEN = "0123456789abcdef0123456789abcdef"
COUNTER_CONVERSATION = [*COUNTER_STORY, "Your current count is 1"]


def message_twiml(text: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><Response><Message>{text}</Message></Response>'


def update_jar(jar: dict[str, str], set_cookie_lines: list[str]) -> None:
    """Keep or drop each cookie as a client does: `name=value;Attr...`, `Max-Age=0` deletes."""
    for line in set_cookie_lines:
        pair, *attributes = line.split(";")
        name, _, value = pair.partition("=")
        if any(attribute.strip().lower() == "max-age=0" for attribute in attributes):
            jar.pop(name, None)
        else:
            jar[name] = value


def test_the_state_function_counts_with_a_cookie_and_starts_over(tmp_path: Path) -> None:
    project = tmp_path / "counter"
    shutil.copytree(TEMPLATE, project)
    (project / ".env").write_text(f"ACCOUNT_SID=AC{'a' * 32}\nAUTH_TOKEN={AUTH_TOKEN}\n")
    validator = RequestValidator(AUTH_TOKEN)
    jar: dict[str, str] = {}
    replies = []
    set_cookies = []
    with StartedServer(project) as server, httpx.Client(timeout=20) as client:
        url = server.url("/state")
        for number in range(len(COUNTER_CONVERSATION)):
            params = {"From": "+15550001111", "To": "+15559998888", "Body": f"message {number}"}
            headers = {"X-Twilio-Signature": validator.compute_signature(url, params)}
            if jar:
                headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in jar.items())
            response = client.post(url, data=params, headers=headers)
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/xml")
            replies.append(response.text)
            set_cookies.append(response.headers.get_list("set-cookie"))
            update_jar(jar, set_cookies[-1])
    assert replies == [message_twiml(text) for text in COUNTER_CONVERSATION]
    assert set_cookies[:7] == [
        ["count=1"],
        ["count=2"],
        ["count=3"],
        ["count=4"],
        ["count=5"],
        ["count=6"],
        ["count=;Max-Age=0"],
    ]
