"""A pytest plugin for the bundled templates' own tests: each test's outcome, and what its simulator heard.

How it works: `template_runs` copies this file as the `conftest.py` of the folder holding the fresh template
projects, so it overrides the `twilio_sim` fixture of pyserverless's plugin for their tests only. The override
takes the real simulator and hands the test a `RecordingSim`, which does the same and notes in order each
message sent and its reply, each call placed (its events are read when the test ends) and each webhook sent
with `exchange`. When the session ends, every test's outcome, failure text and transcript lines go to the JSON
file named by the `TEMPLATE_RUNS_FILE` environment variable. This file imports nothing but pytest and the
standard library, as it runs inside the projects' own pytest.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

SITE = "http://localhost:3000"
_RESULTS: dict[str, dict[str, Any]] = {}
_TRANSCRIPTS: dict[str, list[str]] = {}


class RecordingConversation:
    """A conversation that notes each message it sends and the reply; everything else is the real one's."""

    def __init__(self, conversation: Any, notes: list[Any]) -> None:
        self._conversation = conversation
        self._notes = notes

    def send(self, body: str = "", media: Any = ()) -> Any:
        reply = self._conversation.send(body, media)
        self._notes.append(("sms", self._conversation, body, list(media), reply))
        return reply

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conversation, name)


class RecordingSim:
    """The test's `twilio_sim`: the real simulator, with what the test did noted in `notes`."""

    def __init__(self, simulator: Any) -> None:
        self._simulator = simulator
        self.notes: list[Any] = []

    def sms(self, path: str, *args: Any, **options: Any) -> RecordingConversation:
        return RecordingConversation(self._simulator.sms(path, *args, **options), self.notes)

    def call(self, path: str, *args: Any, **options: Any) -> Any:
        call = self._simulator.call(path, *args, **options)
        self.notes.append(("call", path, call))
        return call

    def exchange(self, method: str, url: str, params: dict[str, str], cookie_header: str | None) -> Any:
        answer = self._simulator.exchange(method, url, params, cookie_header)
        self.notes.append(("http", answer))
        return answer

    def __getattr__(self, name: str) -> Any:
        return getattr(self._simulator, name)


@pytest.fixture
def twilio_sim(request: pytest.FixtureRequest, twilio_sim: Any, twilio_sim_env: dict[str, str]) -> Any:
    recording = RecordingSim(twilio_sim)
    yield recording
    settings = ", ".join(f"{name}={value}" for name, value in twilio_sim_env.items())
    _TRANSCRIPTS[request.node.nodeid] = [f"(.env: {settings})"] * bool(settings) + transcript(recording.notes)


def transcript(notes: list[Any]) -> list[str]:
    """The lines that tell what a test's simulator did: texts and replies, calls, other webhooks."""
    senders = {note[1].sender for note in notes if note[0] == "sms"}
    lines: list[str] = []
    for note in notes:
        if note[0] == "sms":
            _, conversation, body, media, reply = note
            sender = f"{conversation.sender} " if len(senders) > 1 else ""
            lines.extend(_indented(f"{sender}> ", body + "".join(f" [media {url}]" for url in media)))
            lines.extend(_sms_reply(reply))
        elif note[0] == "call":
            _, path, call = note
            lines.append(f"call {path} from {call.caller}")
            for event in call.events:
                text = {"say": f"“{event.text}”", "play": f"Play {event.text}"}.get(event.kind, event.text)
                lines.extend(_indented("  ", _local(text)))
        else:
            answer = note[1]
            parameters = " ".join(f"{name}={value}" for name, value in answer.params.items())
            lines.append(f"{answer.method} {_local(answer.url)}" + (f" {parameters}" if parameters else ""))
            lines.extend(_indented("< ", _http_answer(answer)))
    return lines


def _sms_reply(reply: Any) -> list[str]:
    if not reply.ok:
        return _indented("< ", _http_answer(reply.last))
    if not reply.outgoing:
        return ["< (no reply)"]
    lines: list[str] = []
    for message in reply.outgoing:
        to = f"[to {message.to}] " if message.to else ""
        lines.extend(_indented(f"< {to}", message.body))
        lines.extend(f"  [media {_local(url)}]" for url in message.media)
    return lines


def _http_answer(answer: Any) -> str:
    kind = answer.content_type.split(";")[0]
    if not answer.response.body:
        return f"{answer.status} (empty)"
    if kind.startswith(("text/", "application/json")):
        return f"{answer.status} {answer.text}"
    return f"{answer.status} {kind}, {len(answer.response.body)} bytes"


def _indented(prefix: str, text: str) -> list[str]:
    first, *rest = text.split("\n")
    return [f"{prefix}{first}".rstrip(), *(f"{' ' * len(prefix)}{line}".rstrip() for line in rest)]


def _local(text: str) -> str:
    return text.replace(SITE, "")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    result = _RESULTS.setdefault(report.nodeid, {"outcome": "passed", "failure": ""})
    if report.failed or (report.when == "call" and report.outcome != "passed"):
        result["outcome"] = report.outcome
        result["failure"] += report.longreprtext


def pytest_sessionfinish(session: pytest.Session) -> None:
    for nodeid, lines in _TRANSCRIPTS.items():
        _RESULTS.setdefault(nodeid, {"outcome": "passed", "failure": ""})["transcript"] = lines
    with open(os.environ["TEMPLATE_RUNS_FILE"], "w", encoding="utf-8") as stream:
        json.dump(_RESULTS, stream, indent=1, ensure_ascii=False)
