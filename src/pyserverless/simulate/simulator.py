"""The simulator: sends signed Twilio webhooks to a project's functions and keeps cookies as Twilio does.

A `Simulator` knows where requests go (a transport), the project's `AUTH_TOKEN` to sign them with, the
clock, and the messaging cookie jar. `exchange` builds one webhook request the way Twilio does
(form-encoded POST, or the parameters in the query string for GET; `X-Twilio-Signature` computed with
twilio's `RequestValidator` over the full URL called plus, for POST, the parameters; the conversation's
`Cookie` header) and returns what came back. Conversations (`sms`) and calls (`call`) build on it.

`open_simulator` picks the transport: the URL it is given, else a `pyserverless start` on the port when that
server says it serves this very project folder (`server.dev_pages`), else the project in-process. In-process,
a project with no `AUTH_TOKEN` gets a throwaway one for signing and checking alike, so protected functions
answer with no Twilio account; over HTTP nothing is relaxed, and the server refuses unsigned requests."""

from __future__ import annotations

import difflib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlencode, urljoin, urlsplit

from pyserverless.errors import UserError
from pyserverless.runtime.http import HttpResponse
from pyserverless.simulate.clock import Clock, ManualClock, SystemClock
from pyserverless.simulate.cookies import MessagingCookieJar
from pyserverless.simulate.transport import (
    HttpTransport,
    InProcessTransport,
    OutgoingRequest,
    Transport,
    server_listening,
    serves_project,
)
from pyserverless.simulate.webhooks import (
    DEFAULT_RECIPIENT,
    DEFAULT_SENDER,
    USER_AGENT,
    account_sid_for,
    new_sid,
)

if TYPE_CHECKING:
    from pyserverless.project.folder import Project
    from pyserverless.runtime.routes import RouteTable
    from pyserverless.simulate.messaging import Conversation
    from pyserverless.simulate.replay import Replayed
    from pyserverless.simulate.voice import Call

DEFAULT_PORT = 3000
COOKIE_FILE = Path(".pyserverless") / "cookies.json"
SIGNATURE_HEADER = "X-Twilio-Signature"
#: What `GET /` serves when the project has it, as Twilio does.
INDEX_ASSET = "/index.html"


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
        *,
        clock: Clock | None = None,
        jar: MessagingCookieJar | None = None,
        notes: Sequence[str] = (),
        routes: RouteTable | None = None,
    ) -> None:
        self.transport = transport
        #: What the user should know about how requests are sent (one line each), e.g. why in-process.
        self.notes = list(notes)
        #: The project's routes when requests go to this project (None for a server named by URL).
        self.routes = routes
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

    def check_route(self, path: str) -> None:
        """Refuse a path that is no route of the project, naming the nearest one and the functions."""
        if self.routes is None or urlsplit(path).scheme:
            return
        route = "/" + unquote(urlsplit(path).path).lstrip("/")
        if self.routes.get(route) or (route == "/" and self.routes.get(INDEX_ASSET)):
            return
        callable_routes = [known.path for known in self.routes if known.visibility != "private"]
        functions = [known.path for known in self.routes.functions if known.visibility != "private"]
        nearest = difflib.get_close_matches(route, callable_routes, n=1, cutoff=0.5)
        listing = f"Its functions: {', '.join(functions)}." if functions else "It has no functions yet."
        raise UserError(
            f"The project has no function or asset at {route}.",
            hint=f"Did you mean {nearest[0]}? {listing}" if nearest else listing,
        )

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

    def replay(self, recording_file: Path | str, only: str | None = None) -> list[Replayed]:
        """Send the requests of a recording file (`start --record`) again, signed with this simulator's
        token, each to its recorded URL in-process (over HTTP, to this simulator's base URL), and compare
        the answers with the recorded ones; `only` keeps the requests to one route."""
        from pyserverless.simulate.replay import Replayer, route_of

        base_url = None if isinstance(self.transport, InProcessTransport) else self.base_url
        replayer = Replayer(self.transport, self.auth_token, base_url)
        return replayer.replay_file(Path(recording_file), route_of(only) if only is not None else None)

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> Simulator:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class TwilioSim(Simulator):
    """The simulator of the `twilio_sim` pytest fixture: its clock is a `ManualClock` the test moves."""

    clock: ManualClock

    def assert_replay(self, recording_file: Path | str, only: str | None = None) -> list[Replayed]:
        """`replay` the file and fail with every difference when an answer changed; the replays otherwise."""
        replayed = self.replay(recording_file, only)
        if not replayed:
            raise AssertionError(
                f"{recording_file} holds no recorded request" + (f" to {only}" if only else "")
            )
        changed = [item for item in replayed if not item.same]
        if changed:
            report = "\n".join(f"{item.name}: {', '.join(item.differences)}\n{item.diff}" for item in changed)
            raise AssertionError(f"{len(changed)} of {len(replayed)} recorded answers changed:\n{report}")
        return replayed


def open_simulator(
    root: Path,
    *,
    url: str | None = None,
    port: int = DEFAULT_PORT,
    env_file: Path | None = None,
    clock: Clock | None = None,
    persist_cookies: bool = True,
    find_server: bool = True,
) -> Simulator:
    """A simulator for the project at `root`.

    With `url`, requests go over HTTP to that server. Without, they go to the local dev server on `port` when
    it is a `pyserverless start` serving this same project folder (unless `find_server` is False), else to
    the project in-process (a note says why when something else listens on `port`). In-process, a project
    with no `AUTH_TOKEN` is signed and checked with a throwaway local token, and a note says so. Cookies
    persist in `.pyserverless/cookies.json` of the project unless `persist_cookies` is False.
    """
    from pyserverless.project.folder import load_project

    project = load_project(root, env_file)
    clock = clock if clock is not None else SystemClock()
    jar = MessagingCookieJar(clock, project.root / COOKIE_FILE if persist_cookies else None)
    base_url = url if url is not None else f"http://localhost:{port}"
    env = dict(project.env)
    if url is not None:
        return Simulator(HttpTransport(), base_url, env, clock=clock, jar=jar)
    routes = project.routes
    notes: list[str] = []
    if find_server and server_listening(base_url):
        if serves_project(base_url, project.root):
            return Simulator(HttpTransport(), base_url, env, clock=clock, jar=jar, routes=routes)
        notes.append(
            f"{urlsplit(base_url).netloc} is not a `pyserverless start` of this project ({project.root}): "
            "running the project in-process instead."
        )
    return in_process_simulator(project, base_url, clock=clock, jar=jar, notes=notes)


def in_process_simulator(
    project: Project,
    base_url: str,
    *,
    clock: Clock,
    jar: MessagingCookieJar,
    notes: Sequence[str] = (),
    timeout: float | None = None,
) -> Simulator:
    """A simulator that runs `project` in-process, as if served at `base_url`; a project with no `AUTH_TOKEN`
    is signed and checked with a throwaway local token, and a note says so."""
    env = dict(project.env)
    notes = list(notes)
    if not env.get("AUTH_TOKEN"):
        env["AUTH_TOKEN"] = secrets.token_urlsafe(24)
        where = project.env_file.name if project.env_file else "the project (no .env)"
        notes.append(
            f"No AUTH_TOKEN in {where}: signed and checked with a throwaway local token (in-process)."
        )
    transport = InProcessTransport(project, env, timeout)
    return Simulator(transport, base_url, env, clock=clock, jar=jar, notes=notes, routes=project.routes)
