"""A simulated phone call: Twilio's voice webhooks sent to a function, its TwiML walked verb by verb.

The call posts the incoming-call webhook (`CallStatus=ringing`, later requests `in-progress`) and reads the
TwiML: `<Say>`, `<Play>` and `<Pause>` are recorded as events; `<Gather>` first plays its nested verbs,
then the call waits: `press`/`speak` post `Digits` or `SpeechResult` to the Gather's `action` (default: the
document's own URL), `silence` lets it time out so the verbs after it run, as on a phone. `<Redirect>`
fetches the next document, `<Hangup>`/`<Reject>` end the call, and `<Dial>`, `<Record>`, `<Enqueue>` (and
the other verbs that hand the call elsewhere) are described and end the simulation. Cookies live for this
call only. At most `MAX_REQUESTS` webhooks are sent per call, so a TwiML loop ends instead of hanging."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pyserverless.errors import UserError
from pyserverless.simulate.cookies import CookieStore
from pyserverless.simulate.twiml import TwimlError, Verb, looks_like_twiml, parse_twiml
from pyserverless.simulate.webhooks import new_sid, voice_params

if TYPE_CHECKING:
    from pyserverless.simulate.simulator import Exchange, Simulator

MAX_REQUESTS = 50
DIGIT_KEYS = set("0123456789*#")
# Verbs that hand the call to something the simulator cannot be: described, then the simulation ends.
HANDOFF_VERBS = {"Dial", "Record", "Enqueue", "Connect", "Pay", "Refer", "Leave"}


@dataclass(frozen=True)
class VoiceEvent:
    """Something that happened on the call: `kind` is the verb in lower case (`say`, `play`, `pause`,
    `gather`, `redirect`, `hangup`, `reject`, `dial`, …) or `input`/`error`/`end`; `text` says it for a
    person."""

    kind: str
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "text": self.text}


@dataclass
class PendingGather:
    verb: Verb
    document_url: str
    rest: list[Verb]


@dataclass
class NextRequest:
    url: str
    method: str
    extra: dict[str, str] = field(default_factory=dict)


class Call:
    """One call from `caller` to `called`; placing it runs the TwiML until the call waits or ends."""

    def __init__(
        self, simulator: Simulator, url: str, caller: str, called: str, method: str = "POST"
    ) -> None:
        self.simulator = simulator
        self.url = url
        self.caller = caller
        self.called = called
        self.sid = new_sid("CA")
        self.cookie_store = CookieStore()
        self.events: list[VoiceEvent] = []
        self.exchanges: list[Exchange] = []
        self.pending: PendingGather | None = None
        self.ended = False
        self._advance(NextRequest(url, method.upper()))

    # What happened -------------------------------------------------------------------------------------

    @property
    def said(self) -> list[str]:
        """Everything `<Say>` spoke so far, in order."""
        return [event.text for event in self.events if event.kind == "say"]

    @property
    def played(self) -> list[str]:
        return [event.text for event in self.events if event.kind == "play"]

    @property
    def transcript(self) -> list[str]:
        return [event.text for event in self.events]

    @property
    def waiting(self) -> bool:
        """Whether the call waits at a `<Gather>` for digits or speech."""
        return self.pending is not None and not self.ended

    @property
    def cookies(self) -> dict[str, str]:
        return self.cookie_store.values(self.simulator.clock.now())

    def as_dict(self) -> dict[str, Any]:
        return {
            "call_sid": self.sid,
            "ended": self.ended,
            "waiting": self.waiting,
            "events": [event.as_dict() for event in self.events],
            "requests": [exchange.as_dict() for exchange in self.exchanges],
        }

    # The caller's actions ------------------------------------------------------------------------------

    def press(self, digits: str) -> Call:
        """Key in `digits` at the waiting `<Gather>` (a trailing finishOnKey, `#` by default, ends input)."""
        gather = self._take_gather("dtmf", f"press {digits!r}")
        bad = sorted(set(digits) - DIGIT_KEYS)
        if not digits or bad:
            raise UserError(f"{digits!r} cannot be keyed in.", hint="Digits are 0-9, * and #.")
        finish_keys = gather.verb.attribute("finishOnKey", "#")
        finished_on = ""
        if finish_keys and digits[-1] in finish_keys:
            digits, finished_on = digits[:-1], digits[-1]
        num_digits = gather.verb.attribute("numDigits")
        if num_digits.isdigit():
            digits = digits[: int(num_digits)]
        self._event("input", f"(caller presses {digits}{finished_on})")
        self._answer_gather(gather, {"Digits": digits, "FinishedOnKey": finished_on})
        return self

    def speak(self, speech: str) -> Call:
        """Say `speech` at the waiting `<Gather>` (it must accept speech input)."""
        gather = self._take_gather("speech", f"say {speech!r}")
        self._event("input", f"(caller says {speech!r})")
        self._answer_gather(gather, {"SpeechResult": speech, "Confidence": "0.9"})
        return self

    def silence(self) -> Call:
        """Give no input: the `<Gather>` times out and the verbs after it run (or its action is called when it
        has `actionOnEmptyResult`)."""
        gather = self._take_gather(None, "stay silent")
        self._event("input", "(no input: the gather times out)")
        if gather.verb.attribute("actionOnEmptyResult").lower() == "true":
            self._answer_gather(gather, {"Digits": "", "FinishedOnKey": ""})
        else:
            self._advance(self._walk(gather.document_url, gather.rest))
        return self

    def hangup(self) -> None:
        """The caller hangs up."""
        if not self.ended:
            self._end("hangup", "The caller hung up.")

    # The walk ------------------------------------------------------------------------------------------

    def _take_gather(self, kind: str | None, action: str) -> PendingGather:
        if self.pending is None or self.ended:
            state = "has ended" if self.ended else "is not waiting at a <Gather>"
            raise UserError(f"Cannot {action}: the call {state}.", hint="Look at call.transcript to see why.")
        accepted = self.pending.verb.attribute("input", "dtmf").split()
        if kind is not None and kind not in accepted:
            raise UserError(
                f"Cannot {action}: this <Gather> accepts {' and '.join(accepted)} input only.",
                hint="Answer it with press() for dtmf, speak() for speech.",
            )
        gather, self.pending = self.pending, None
        return gather

    def _answer_gather(self, gather: PendingGather, extra: dict[str, str]) -> None:
        action = self.simulator.resolve(gather.document_url, gather.verb.attribute("action"))
        method = gather.verb.method
        self._advance(NextRequest(action, method, extra))

    def _event(self, kind: str, text: str) -> None:
        self.events.append(VoiceEvent(kind, text))

    def _end(self, kind: str, text: str) -> None:
        self._event(kind, text)
        self.ended = True
        self.pending = None

    def _advance(self, request: NextRequest | None) -> None:
        while request is not None and not self.ended:
            if len(self.exchanges) >= MAX_REQUESTS:
                self._end(
                    "error", f"Stopped after {MAX_REQUESTS} webhook requests in one call (a TwiML loop?)."
                )
                return
            verbs = self._fetch(request)
            request = None if verbs is None else self._walk(request.url, verbs)

    def _fetch(self, request: NextRequest) -> list[Verb] | None:
        if not self.simulator.reachable(request.url):
            self._end("error", f"{request.url} is outside the project; it is not called in-process.")
            return None
        status = "ringing" if not self.exchanges else "in-progress"
        params = voice_params(self.simulator.account_sid, self.sid, self.caller, self.called, status)
        params.update(request.extra)
        now = self.simulator.clock.now()
        exchange = self.simulator.exchange(
            request.method, request.url, params, self.cookie_store.cookie_header(now)
        )
        self.cookie_store.update(exchange.set_cookies, self.simulator.clock.now())
        self.exchanges.append(exchange)
        if not exchange.ok:
            self._end(
                "error",
                f"HTTP {exchange.status} from {exchange.url}: Twilio says an application error "
                f"occurred and hangs up.\n{exchange.text}",
            )
            return None
        if not looks_like_twiml(exchange.content_type, exchange.response.body):
            kind = exchange.content_type or "no content type"
            self._end(
                "error", f"{exchange.url} answered {kind}, not TwiML: Twilio hangs up.\n{exchange.text}"
            )
            return None
        try:
            return parse_twiml(exchange.response.body)
        except TwimlError as error:
            self._end("error", f"Twilio could not read the TwiML from {exchange.url}: {error}.")
            return None

    def _walk(self, document_url: str, verbs: list[Verb]) -> NextRequest | None:
        """Run `verbs`; the next document to fetch, or None when the call waits or ended."""
        for index, verb in enumerate(verbs):
            if verb.name in ("Say", "Play", "Pause"):
                self._media_event(verb)
            elif verb.name == "Gather":
                for nested in verb.children:
                    self._media_event(nested)
                self.pending = PendingGather(verb, document_url, verbs[index + 1 :])
                self._event("gather", _describe_gather(verb))
                return None
            elif verb.name == "Redirect":
                target = self.simulator.resolve(document_url, verb.text)
                self._event("redirect", f"Redirect to {target}")
                return NextRequest(target, verb.method)
            elif verb.name == "Hangup":
                self._end("hangup", "Hangup: the call ends.")
                return None
            elif verb.name == "Reject":
                self._end(
                    "reject", f"Reject ({verb.attribute('reason', 'rejected')}): the call is not answered."
                )
                return None
            elif verb.name in HANDOFF_VERBS:
                self._end(verb.name.lower(), _describe_handoff(verb))
                return None
            elif verb.name in ("Sms", "Message"):
                self._event("message", f"Sends a text message: {verb.text}")
            else:
                self._event("unsupported", f"<{verb.name}> is not simulated; skipped.")
        self._end("end", "The TwiML ended: Twilio hangs up.")
        return None

    def _media_event(self, verb: Verb) -> None:
        loop = verb.attribute("loop", "1")
        times = "" if loop == "1" else (" (repeats until the caller acts)" if loop == "0" else f" (x{loop})")
        if verb.name == "Say":
            self._event("say", verb.text)
        elif verb.name == "Play":
            digits = verb.attribute("digits")
            self._event("play", f"{verb.text}{times}" if not digits else f"digits {digits}")
        elif verb.name == "Pause":
            self._event("pause", f"Pause {verb.attribute('length', '1')} s")
        else:
            self._event("unsupported", f"<{verb.name}> inside <Gather> is not simulated; skipped.")


def _describe_gather(verb: Verb) -> str:
    accepted = " or ".join(verb.attribute("input", "dtmf").split())
    details = [f"waits for {accepted}"]
    if verb.attribute("numDigits"):
        details.append(f"{verb.attribute('numDigits')} digit(s)")
    if verb.attribute("action"):
        details.append(f"then {verb.method} {verb.attribute('action')}")
    return "Gather: " + ", ".join(details)


def _describe_handoff(verb: Verb) -> str:
    nouns = [child.text or child.name for child in verb.children]
    target = (", ".join(nouns) if nouns else verb.text) or "(nothing)"
    what = {
        "Dial": f"Dial {target}: Twilio would connect the call",
        "Record": "Record: Twilio would record the caller"
        + (f" (max {verb.attribute('maxLength')} s)" if verb.attribute("maxLength") else ""),
        "Enqueue": f"Enqueue into {target}: Twilio would put the caller on hold in that queue",
    }.get(verb.name, f"<{verb.name}> {target}: Twilio would hand the call over")
    action = verb.attribute("action")
    then = f", then {verb.method} {action}" if action else ""
    return f"{what}{then}. The simulation ends here."
