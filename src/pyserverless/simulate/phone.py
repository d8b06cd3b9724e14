"""The dev phone's engine: the conversations and calls a browser page (or a script) holds with the functions
of the project a dev server serves.

How it works: one `DevPhone` lives in each server worker, so it runs the code that worker loaded; its
`generation` names that code, and a client that sees it change knows the code reloaded in between. Requests
go to the project in-process (`in_process_simulator`), signed with the project's `AUTH_TOKEN`, or with a
throwaway local token when it has none, exactly as `pyserverless sms` signs them. SMS cookies live in the
project's `.pyserverless/cookies.json`, the jar `pyserverless sms` keeps: it is read again before every
message, so a conversation survives reloads and continues from the command line. Calls live in this worker's
memory and end when the code reloads. Every operation holds one lock: the simulator is not made for
concurrent use.
"""

from __future__ import annotations

import secrets
import threading
import time
from pathlib import Path
from typing import Any

from pyserverless.errors import UserError
from pyserverless.project.folder import Project
from pyserverless.simulate.clock import SystemClock
from pyserverless.simulate.cookies import MessagingCookieJar
from pyserverless.simulate.simulator import COOKIE_FILE, Exchange, Simulator, in_process_simulator
from pyserverless.simulate.voice import Call
from pyserverless.simulate.webhooks import DEFAULT_RECIPIENT, DEFAULT_SENDER

#: The longest From or To the phone accepts (Twilio's are E.164 numbers or `client:`/`whatsapp:` names).
MAX_ADDRESS_LENGTH = 64


class UnknownCall(UserError):
    """A call id this worker does not hold (it ended with a reload, or never existed)."""


class DevPhone:
    """Messages and calls to the functions of `project`, as served at `base_url`."""

    def __init__(self, project: Project, base_url: str, timeout: float | None = None) -> None:
        self.project = project
        self.base_url = base_url
        self.timeout = timeout
        #: Names the code this phone runs: a new worker (after a reload) has a new one.
        self.generation = secrets.token_hex(4)
        self.loaded_at = time.time()
        self._clock = SystemClock()
        self._simulator: Simulator | None = None
        self._calls: dict[str, Call] = {}
        self._lock = threading.Lock()

    @property
    def _cookie_file(self) -> Path:
        return self.project.root / COOKIE_FILE

    def _fresh_simulator(self) -> Simulator:
        """The simulator, its cookie jar read again from the file `sms` shares."""
        jar = MessagingCookieJar(self._clock, self._cookie_file)
        if self._simulator is None:
            self._simulator = in_process_simulator(
                self.project, self.base_url, clock=self._clock, jar=jar, timeout=self.timeout
            )
        self._simulator.jar = jar
        return self._simulator

    def code(self) -> dict[str, Any]:
        return {"generation": self.generation, "loaded_at": self.loaded_at}

    def routes(self) -> dict[str, Any]:
        """The routes a webhook can call (private ones cannot be)."""
        functions = [route.path for route in self.project.routes.functions if route.visibility != "private"]
        return {"functions": functions, "code": self.code()}

    def send_message(self, path: str, body: str, sender: str | None, recipient: str | None) -> dict[str, Any]:
        """Text `body` from `sender` to `recipient` to the function at `path` and follow the answer."""
        sender, recipient = (
            _address(sender, DEFAULT_SENDER, "from"),
            _address(recipient, DEFAULT_RECIPIENT, "to"),
        )
        with self._lock:
            simulator = self._fresh_simulator()
            simulator.check_route(_route(path))
            reply = simulator.sms(path, sender, recipient).send(body)
            return {
                "path": path,
                "from": sender,
                "to": recipient,
                "replies": reply.messages,
                "messages": [message.as_dict() for message in reply.outgoing],
                "status": reply.status,
                "twiml": reply.text if reply.is_twiml else None,
                "problem": reply.problem,
                "ignored": reply.ignored,
                "requests": [_exchange(exchange) for exchange in reply.exchanges],
                "cookies": self._pair_cookies(simulator.jar, sender, recipient),
                "code": self.code(),
            }

    def conversations(self) -> dict[str, Any]:
        """Every (From, To) pair that holds cookies, with them."""
        with self._lock:
            jar = MessagingCookieJar(self._clock, self._cookie_file)
            pairs = [
                {"from": sender, "to": recipient, "cookies": self._pair_cookies(jar, sender, recipient)}
                for sender, recipient in jar.pairs()
            ]
            return {"conversations": pairs, "code": self.code()}

    def reset(self, sender: str | None, recipient: str | None) -> dict[str, Any]:
        """Forget the cookies of one pair, or of every pair when neither number is given."""
        with self._lock:
            jar = MessagingCookieJar(self._clock, self._cookie_file)
            if sender is None and recipient is None:
                pairs = jar.pairs()
            else:
                pairs = [
                    (_address(sender, DEFAULT_SENDER, "from"), _address(recipient, DEFAULT_RECIPIENT, "to"))
                ]
            for pair in pairs:
                jar.reset(*pair)
            return {"reset": [{"from": sender, "to": recipient} for sender, recipient in pairs]}

    def start_call(self, path: str, caller: str | None, called: str | None) -> dict[str, Any]:
        """Call the voice function at `path`: the call runs until it waits at a `<Gather>` or ends."""
        caller, called = _address(caller, DEFAULT_SENDER, "from"), _address(called, DEFAULT_RECIPIENT, "to")
        with self._lock:
            simulator = self._fresh_simulator()
            simulator.check_route(_route(path))
            call = simulator.call(path, caller, called)
            self._calls[call.sid] = call
            return self._call_state(call, 0, path)

    def answer_call(
        self, sid: str, digits: str | None = None, speech: str | None = None, silence: bool = False
    ) -> dict[str, Any]:
        """Key in `digits`, say `speech` or stay silent at the call's `<Gather>`."""
        with self._lock:
            call = self._call(sid)
            seen = len(call.events)
            if digits is not None:
                call.press(digits)
            elif speech is not None:
                call.speak(speech)
            elif silence:
                call.silence()
            else:
                raise UserError(
                    "Say what the caller does.",
                    hint='Send {"digits": "1"}, {"speech": "…"} or {"silence": true}.',
                )
            return self._call_state(call, seen, None)

    def hang_up(self, sid: str) -> dict[str, Any]:
        with self._lock:
            call = self._call(sid)
            seen = len(call.events)
            call.hangup()
            del self._calls[sid]
            return self._call_state(call, seen, None)

    def close(self) -> None:
        if self._simulator is not None:
            self._simulator.close()

    def _call(self, sid: str) -> Call:
        call = self._calls.get(sid)
        if call is None:
            raise UnknownCall(
                f"There is no call {sid} in progress.",
                hint="Calls end when the code reloads or the call hangs up: start a new call.",
            )
        return call

    def _call_state(self, call: Call, seen: int, path: str | None) -> dict[str, Any]:
        """The call as JSON; `new_events` are the events since the caller's last action."""
        state = call.as_dict()
        state["requests"] = [_exchange(exchange) for exchange in call.exchanges]
        state["new_events"] = state["events"][seen:]
        state["cookies"] = call.cookies
        state["from"], state["to"] = call.caller, call.called
        if path is not None:
            state["path"] = path
        state["code"] = self.code()
        return state

    def _pair_cookies(self, jar: MessagingCookieJar, sender: str, recipient: str) -> dict[str, Any]:
        now = self._clock.now()
        return {
            cookie.name: {
                "value": cookie.value,
                "expires_at": cookie.expires_at,
                "expires_in": None if cookie.expires_at is None else round(cookie.expires_at - now),
            }
            for cookie in jar.live(sender, recipient)
        }


def _route(path: str) -> str:
    if not isinstance(path, str) or not path.startswith("/"):
        raise UserError(f"{path!r} is not a function path.", hint='Give the route, e.g. "path": "/state".')
    return path


def _address(value: str | None, default: str, field: str) -> str:
    """A From or To as given (a number, `client:name`, `whatsapp:+1…`), or the default when absent."""
    if value is None or value == "":
        return default
    if not isinstance(value, str) or len(value) > MAX_ADDRESS_LENGTH or not value.isprintable():
        raise UserError(
            f'"{field}" must be a phone number or address of at most {MAX_ADDRESS_LENGTH} printable '
            "characters.",
            hint=f'For example "{field}": "{default}".',
        )
    return value


def _exchange(exchange: Exchange) -> dict[str, Any]:
    """One webhook request and its answer, for the page's TwiML panel."""
    return {
        "method": exchange.method,
        "url": exchange.url,
        "status": exchange.status,
        "content_type": exchange.content_type,
        "body": exchange.text,
        "signed": exchange.signed,
    }
