"""An SMS conversation with a messaging function, as Twilio's messaging platform would hold it.

`Conversation.send` posts one inbound-message webhook with the pair's cookies, keeps the cookies the answer
sets (per (From, To), capped at 4 hours), and reads the answer: each `<Message>` becomes an outgoing
message (its text or `<Body>`, its `<Media>` URLs), and a `<Redirect>` is followed with the same message
parameters, Twilio-style, up to `MAX_REDIRECTS` times. Any other answer (an error status, plain text, JSON)
is kept as is for the caller to show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pyserverless.simulate.twiml import TwimlError, looks_like_twiml, parse_twiml
from pyserverless.simulate.webhooks import sms_params

if TYPE_CHECKING:
    from pyserverless.simulate.simulator import Exchange, Simulator

MAX_REDIRECTS = 10


@dataclass(frozen=True)
class OutgoingMessage:
    """A message the TwiML answer sends: to the sender unless `to` says otherwise."""

    body: str
    media: tuple[str, ...] = ()
    to: str | None = None
    from_: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"body": self.body, "media": list(self.media), "to": self.to, "from": self.from_}


@dataclass
class SmsReply:
    """What came back for one inbound message: every request made (the first, then one per redirect), the
    messages the TwiML sends, and a `problem` when the answer could not be followed."""

    exchanges: list[Exchange]
    outgoing: list[OutgoingMessage] = field(default_factory=list)
    problem: str | None = None
    ignored: list[str] = field(default_factory=list)

    @property
    def last(self) -> Exchange:
        return self.exchanges[-1]

    @property
    def status(self) -> int:
        return self.last.status

    @property
    def ok(self) -> bool:
        return self.last.ok and self.problem is None

    @property
    def is_twiml(self) -> bool:
        return looks_like_twiml(self.last.content_type, self.last.response.body)

    @property
    def text(self) -> str:
        """The body of the last answer, as text."""
        return self.last.text

    @property
    def messages(self) -> list[str]:
        """The bodies of the messages sent back, in order."""
        return [message.body for message in self.outgoing]

    @property
    def media(self) -> list[str]:
        return [url for message in self.outgoing for url in message.media]

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "twiml": self.is_twiml,
            "messages": [message.as_dict() for message in self.outgoing],
            "problem": self.problem,
            "ignored": self.ignored,
            "requests": [exchange.as_dict() for exchange in self.exchanges],
        }


class Conversation:
    """Messages from `sender` to `recipient`, answered by the function at `url`."""

    def __init__(
        self, simulator: Simulator, url: str, sender: str, recipient: str, method: str = "POST"
    ) -> None:
        self.simulator = simulator
        self.url = url
        self.sender = sender
        self.recipient = recipient
        self.method = method.upper()

    @property
    def cookies(self) -> dict[str, str]:
        """The cookies Twilio would send with the next message of this pair."""
        return self.simulator.jar.cookies(self.sender, self.recipient)

    def reset(self) -> None:
        """Forget the pair's cookies: the next message starts a new conversation."""
        self.simulator.jar.reset(self.sender, self.recipient)

    def send(self, body: str = "", media: Sequence[str] = ()) -> SmsReply:
        """Text `body` (with optional media URLs) and follow the answer."""
        jar = self.simulator.jar
        params = sms_params(self.simulator.account_sid, self.sender, self.recipient, body, media)
        url, method = self.url, self.method
        reply = SmsReply(exchanges=[])
        for _ in range(MAX_REDIRECTS + 1):
            exchange = self.simulator.exchange(
                method, url, params, jar.cookie_header(self.sender, self.recipient)
            )
            jar.store(self.sender, self.recipient, exchange.set_cookies)
            reply.exchanges.append(exchange)
            if not exchange.ok or not looks_like_twiml(exchange.content_type, exchange.response.body):
                return reply
            try:
                verbs = parse_twiml(exchange.response.body)
            except TwimlError as error:
                reply.problem = f"Twilio could not read this TwiML: {error}."
                return reply
            redirect = None
            for verb in verbs:
                if verb.name == "Message":
                    bodies = verb.nouns("Body")
                    text = "".join(noun.text for noun in bodies) if bodies else verb.own_text
                    media_urls = tuple(noun.text for noun in verb.nouns("Media"))
                    to, sender = verb.attributes.get("to"), verb.attributes.get("from")
                    reply.outgoing.append(OutgoingMessage(text, media_urls, to, sender))
                elif verb.name == "Redirect":
                    redirect = verb
                    break
                else:
                    reply.ignored.append(verb.name)
            if redirect is None:
                return reply
            url = self.simulator.resolve(url, redirect.text)
            method = redirect.method
            if not self.simulator.reachable(url):
                reply.problem = f"<Redirect> to {url} leaves the project; it is not followed in-process."
                return reply
        reply.problem = f"More than {MAX_REDIRECTS} <Redirect>s in a row: stopped (a redirect loop?)."
        return reply
