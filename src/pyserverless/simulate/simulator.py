"""The simulator: sends signed Twilio webhooks to a project's functions and keeps cookies as Twilio does.

A `Simulator` knows where requests go (a transport), the project's `AUTH_TOKEN` to sign them with, the
clock, and the messaging cookie jar. `exchange` builds one webhook request the way Twilio does
(form-encoded POST, or the parameters in the query string for GET; `X-Twilio-Signature` computed with
twilio's `RequestValidator` over the full URL called plus, for POST, the parameters; the conversation's
`Cookie` header) and returns what came back. Conversations (`sms`) and calls (`call`) build on it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urljoin, urlsplit

from pyserverless.runtime.http import HttpResponse
from pyserverless.simulate.clock import Clock, ManualClock, SystemClock
from pyserverless.simulate.cookies import MessagingCookieJar
from pyserverless.simulate.transport import (
    HttpTransport,
    InProcessTransport,
    OutgoingRequest,
    Transport,
    server_listening,
)
from pyserverless.simulate.webhooks import (
    DEFAULT_RECIPIENT,
    DEFAULT_SENDER,
    USER_AGENT,
    account_sid_for,
    new_sid,
)

if TYPE_CHECKING:
    from pyserverless.simulate.messaging import Conversation
    from pyserverless.simulate.voice import Call

DEFAULT_PORT = 3000
COOKIE_FILE = Path(".pyserverless") / "cookies.json"
SIGNATURE_HEADER = "X-Twilio-Signature"


@dataclass
class Exchange:
    """One webhook request the simulator sent and the answer it got."""

    method: str
    url: str
    params: dict[str, str]
    response: HttpResponse
    signed: bool
    set_cookies: list[str] = field(default_factory=list)

    @property
    def status(self) -> int:
        return self.response.status

    @property
    def ok(self) -> bool:
        return 200 <= self.response.status < 300

    @property
    def content_type(self) -> str:
        return self.response.header("content-type") or ""

    @property
    def text(self) -> str:
        return self.response.body.decode("utf-8", errors="replace")

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "url": self.url,
            "params": self.params,
            "signed": self.signed,
            "status": self.status,
            "content_type": self.content_type,
            "body": self.text,
            "set_cookies": self.set_cookies,
        }


class Simulator:
    """Sends Twilio's webhooks to the functions at `base_url` through `transport`."""

    def __init__(
        self,
        transport: Transport,
        base_url: str,
        env: Mapping[str, str],
        clock: Clock | None = None,
        jar: MessagingCookieJar | None = None,
    ) -> None:
        self.transport = transport
        self.base_url = base_url.rstrip("/")
        self.auth_token = env.get("AUTH_TOKEN") or None
        self.account_sid = account_sid_for(dict(env))
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.jar = jar if jar is not None else MessagingCookieJar(self.clock)

    def url_for(self, path: str) -> str:
        """The full URL of a function path (`/sms/reply`, or a URL given as is)."""
        if urlsplit(path).scheme:
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def resolve(self, current_url: str, target: str) -> str:
        """Where a `<Redirect>` or a `<Gather action>` leads, relative to the document that named it."""
        return urljoin(current_url, target)

    def reachable(self, url: str) -> bool:
        """In-process only the project's own URLs can be called; over HTTP any URL can."""
        if not isinstance(self.transport, InProcessTransport):
            return True
        return urlsplit(url).netloc == urlsplit(self.base_url).netloc

    def exchange(self, method: str, url: str, params: dict[str, str], cookie_header: str | None) -> Exchange:
        """Send one signed webhook request as Twilio would and return the answer."""
        from twilio.request_validator import RequestValidator

        method = method.upper()
        headers = [("User-Agent", USER_AGENT), ("Accept", "*/*"), ("I-Twilio-Idempotency-Token", new_sid(""))]
        body = b""
        target = url
        if method == "GET":
            if params:
                target = f"{url}{'&' if urlsplit(url).query else '?'}{urlencode(params)}"
            signed_params: dict[str, str] = {}
        else:
            body = urlencode(params).encode("utf-8")
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            signed_params = params
        if self.auth_token is not None:
            signature = RequestValidator(self.auth_token).compute_signature(target, signed_params)
            headers.append((SIGNATURE_HEADER, signature))
        if cookie_header:
            headers.append(("Cookie", cookie_header))
        response = self.transport.send(OutgoingRequest(method=method, url=target, headers=headers, body=body))
        set_cookies = [value for name, value in response.headers if name.lower() == "set-cookie"]
        return Exchange(method, target, params, response, self.auth_token is not None, set_cookies)

    def sms(
        self, path: str, from_: str = DEFAULT_SENDER, to: str = DEFAULT_RECIPIENT, method: str = "POST"
    ) -> Conversation:
        """A conversation between `from_` and `to` with the messaging function at `path`."""
        from pyserverless.simulate.messaging import Conversation

        return Conversation(self, self.url_for(path), from_, to, method)

    def call(
        self, path: str, from_: str = DEFAULT_SENDER, to: str = DEFAULT_RECIPIENT, method: str = "POST"
    ) -> Call:
        """Place a call to the voice function at `path`; the call runs until it waits for input or ends."""
        from pyserverless.simulate.voice import Call

        return Call(self, self.url_for(path), from_, to, method)

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> Simulator:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class TwilioSim(Simulator):
    """The simulator of the `twilio_sim` pytest fixture: its clock is a `ManualClock` the test moves."""

    clock: ManualClock


def open_simulator(
    root: Path,
    *,
    url: str | None = None,
    port: int = DEFAULT_PORT,
    env_file: Path | None = None,
    clock: Clock | None = None,
    persist_cookies: bool = True,
) -> Simulator:
    """A simulator for the project at `root`.

    With `url`, requests go over HTTP to that server. Without, they go to the local dev server on `port` when
    one listens there, else to the project in-process. Cookies persist in `.pyserverless/cookies.json` of the
    project unless `persist_cookies` is False.
    """
    from pyserverless.project.folder import load_project

    project = load_project(root, env_file)
    clock = clock if clock is not None else SystemClock()
    jar = MessagingCookieJar(clock, project.root / COOKIE_FILE if persist_cookies else None)
    base_url = url if url is not None else f"http://localhost:{port}"
    transport: Transport
    if url is not None or server_listening(base_url):
        transport = HttpTransport()
    else:
        transport = InProcessTransport(project)
    return Simulator(transport, base_url, project.env, clock=clock, jar=jar)
