"""Walking TwiML answers, against a small local web app that serves canned documents over real HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest
from twilio.request_validator import RequestValidator

from pyserverless.errors import UserError
from pyserverless.simulate import ManualClock, Simulator
from pyserverless.simulate.transport import HttpTransport

TOKEN = "walking-test-token"


@dataclass
class Seen:
    method: str
    path: str
    params: dict[str, str]
    cookie: str | None
    signature_valid: bool


@dataclass
class TwimlApp:
    """Answers each path with its document (status 200, text/xml) and records what it was sent."""

    documents: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, list[str]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    base_url: str = ""

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        length = int(request.headers.get("content-length") or 0)
        body = request.rfile.read(length).decode()
        params = dict(parse_qsl(body if request.command == "POST" else parts.query, keep_blank_values=True))
        url = self.base_url + request.path
        signed = dict(parse_qsl(body, keep_blank_values=True)) if request.command == "POST" else {}
        valid = RequestValidator(TOKEN).validate(url, signed, request.headers.get("x-twilio-signature", ""))
        self.seen.append(Seen(request.command, parts.path, params, request.headers.get("cookie"), valid))
        document = self.documents.get(parts.path)
        request.send_response(200 if document is not None else 404)
        request.send_header("content-type", "text/xml" if document is not None else "text/plain")
        for cookie in self.cookies.get(parts.path, []):
            request.send_header("set-cookie", cookie)
        payload = (document if document is not None else "Not Found").encode()
        request.send_header("content-length", str(len(payload)))
        request.end_headers()
        request.wfile.write(payload)


@pytest.fixture
def app() -> Iterator[TwimlApp]:
    twiml_app = TwimlApp()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            twiml_app.handle(self)

        def do_POST(self) -> None:
            twiml_app.handle(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    twiml_app.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield twiml_app
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture
def simulator(app: TwimlApp) -> Iterator[Simulator]:
    with Simulator(HttpTransport(), app.base_url, {"AUTH_TOKEN": TOKEN}, clock=ManualClock(0)) as sim:
        yield sim


def respond(*verbs: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?><Response>' + "".join(verbs) + "</Response>"


# Messaging -----------------------------------------------------------------------------------------------


def test_message_bodies_and_media(app: TwimlApp, simulator: Simulator) -> None:
    app.documents["/sms"] = respond(
        "<Message><Body>Two cats</Body><Media>https://x.test/1.jpg</Media><Media>https://x.test/2.jpg</Media>"
        "</Message>",
        '<Message to="+15550001111" from="+15550002222">\n  Forwarded\n</Message>',
        "<Message/>",
    )
    reply = simulator.sms("/sms").send("hi")
    assert [(m.body, m.media, m.to, m.from_) for m in reply.outgoing] == [
        ("Two cats", ("https://x.test/1.jpg", "https://x.test/2.jpg"), None, None),
        ("Forwarded", (), "+15550001111", "+15550002222"),
        ("", (), None, None),
    ]
    assert app.seen[0].signature_valid


def test_a_get_redirect_keeps_the_message_parameters_and_signs_the_query(
    app: TwimlApp, simulator: Simulator
) -> None:
    app.documents["/a"] = respond('<Redirect method="GET">b?step=2</Redirect>', "<Message>skipped</Message>")
    app.documents["/b"] = respond("<Message>from b</Message>")
    reply = simulator.sms("/a").send("hello")
    assert reply.messages == ["from b"]
    first, second = app.seen
    assert (second.method, second.path, second.params["step"], second.params["Body"]) == (
        "GET",
        "/b",
        "2",
        "hello",
    )
    assert second.params["MessageSid"] == first.params["MessageSid"]
    assert first.signature_valid and second.signature_valid


def test_a_voice_verb_in_a_messaging_answer_is_reported(app: TwimlApp, simulator: Simulator) -> None:
    app.documents["/sms"] = respond("<Say>hello</Say><Message>ok</Message>")
    reply = simulator.sms("/sms").send("hi")
    assert (reply.messages, reply.ignored) == (["ok"], ["Say"])


def test_malformed_twiml_is_a_problem(app: TwimlApp, simulator: Simulator) -> None:
    app.documents["/sms"] = "<Response><Message>oops</Response>"
    reply = simulator.sms("/sms").send("hi")
    assert reply.problem == (
        "Twilio could not read this TwiML: the answer is not well-formed XML "
        "(mismatched tag: line 1, column 25)."
    )
    assert not reply.ok


def test_cookies_of_a_pair_come_back_to_it(app: TwimlApp, simulator: Simulator) -> None:
    app.documents["/sms"] = respond()
    app.cookies["/sms"] = ["a=1", "b=2;Max-Age=60"]
    conversation = simulator.sms("/sms")
    assert conversation.send("one").messages == []
    conversation.send("two")
    simulator.sms("/sms", from_="+15559990000").send("three")
    assert [seen.cookie for seen in app.seen] == [None, "a=1; b=2", None]


# Voice ---------------------------------------------------------------------------------------------------


def test_say_play_pause_and_the_end_of_the_document(app: TwimlApp, simulator: Simulator) -> None:
    app.documents["/voice"] = respond(
        '<Say voice="alice">Hi</Say><Play loop="3">https://x.test/a.mp3</Play><Play digits="1w2"/>',
        '<Pause length="2"/><Pause/><Wait/>',
    )
    call = simulator.call("/voice")
    assert call.transcript == [
        "Hi",
        "https://x.test/a.mp3 (x3)",
        "digits 1w2",
        "Pause 2 s",
        "Pause 1 s",
        "<Wait> is not simulated; skipped.",
        "The TwiML ended: Twilio hangs up.",
    ]
    assert call.said == ["Hi"]
    assert call.played == ["https://x.test/a.mp3 (x3)", "digits 1w2"]


def test_a_gather_without_action_posts_to_its_own_document(app: TwimlApp, simulator: Simulator) -> None:
    app.documents["/voice"] = respond('<Gather numDigits="2"><Say>Code?</Say></Gather>')
    call = simulator.call("/voice").press("123")
    assert (app.seen[1].path, app.seen[1].params["Digits"], app.seen[1].params["FinishedOnKey"]) == (
        "/voice",
        "12",
        "",
    )
    assert call.waiting
    assert app.seen[0].params["CallStatus"] == "ringing"
    assert app.seen[1].params["CallStatus"] == "in-progress"


def test_a_gather_action_by_get_with_a_custom_finish_key(app: TwimlApp, simulator: Simulator) -> None:
    app.documents["/voice"] = respond('<Gather action="/next?x=1" method="GET" finishOnKey="*"/>')
    app.documents["/next"] = respond("<Hangup/>")
    call = simulator.call("/voice").press("42*")
    last = app.seen[-1]
    assert (last.method, last.path, last.params["x"], last.params["Digits"]) == ("GET", "/next", "1", "42")
    assert last.params["FinishedOnKey"] == "*"
    assert last.signature_valid
    assert call.transcript[-1] == "Hangup: the call ends."


def test_action_on_empty_result_posts_empty_digits(app: TwimlApp, simulator: Simulator) -> None:
    app.documents["/voice"] = respond(
        '<Gather action="/next" actionOnEmptyResult="true"/><Say>not reached</Say>'
    )
    app.documents["/next"] = respond("<Say>nothing pressed</Say>")
    call = simulator.call("/voice").silence()
    assert app.seen[-1].params["Digits"] == ""
    assert call.said == ["nothing pressed"]


def test_reject_ends_the_call_with_its_reason(app: TwimlApp, simulator: Simulator) -> None:
    app.documents["/voice"] = respond('<Reject reason="busy"/><Say>never</Say>')
    call = simulator.call("/voice")
    assert call.transcript == ["Reject (busy): the call is not answered."]
    assert call.ended and not call.waiting


@pytest.mark.parametrize(
    ("verb", "described"),
    [
        (
            '<Record maxLength="30" action="/recorded"/>',
            "Record: Twilio would record the caller (max 30 s), then POST /recorded. "
            "The simulation ends here.",
        ),
        (
            "<Enqueue>support</Enqueue>",
            "Enqueue into support: Twilio would put the caller on hold in that queue. "
            "The simulation ends here.",
        ),
        (
            '<Dial action="/after" method="GET"><Number>+15550001111</Number><Client>bob</Client></Dial>',
            "Dial +15550001111, bob: Twilio would connect the call, then GET /after. "
            "The simulation ends here.",
        ),
    ],
)
def test_verbs_that_hand_the_call_over_are_described(
    app: TwimlApp, simulator: Simulator, verb: str, described: str
) -> None:
    app.documents["/voice"] = respond(verb, "<Say>never</Say>")
    call = simulator.call("/voice")
    assert call.transcript == [described]
    assert call.ended


def test_redirects_carry_the_call_cookies(app: TwimlApp, simulator: Simulator) -> None:
    app.documents["/voice"] = respond("<Redirect>/two</Redirect>")
    app.cookies["/voice"] = ["leg=one"]
    app.documents["/two"] = respond("<Say>two</Say>")
    call = simulator.call("/voice")
    assert [seen.cookie for seen in app.seen] == [None, "leg=one"]
    assert call.transcript == [f"Redirect to {app.base_url}/two", "two", "The TwiML ended: Twilio hangs up."]
    simulator.call("/voice")
    assert app.seen[2].cookie is None


def test_keys_that_cannot_be_pressed(app: TwimlApp, simulator: Simulator) -> None:
    app.documents["/voice"] = respond("<Gather/>")
    call = simulator.call("/voice")
    with pytest.raises(UserError) as raised:
        call.press("12a")
    assert (raised.value.message, raised.value.hint) == (
        "'12a' cannot be keyed in.",
        "Digits are 0-9, * and #.",
    )
