"""A local stand-in for Twilio's REST API, limited to the IncomingPhoneNumbers resource.

It is a real HTTP server (stdlib `ThreadingHTTPServer` in a thread, on a free loopback port) that answers the
way api.twilio.com does: `GET .../IncomingPhoneNumbers.json?PhoneNumber=` lists numbers matching a pattern
(`*` is any digit, partial numbers match), `GET .../IncomingPhoneNumbers/PN….json` fetches one, `POST` to the
same URL updates the form-encoded fields given. Every request must carry Basic auth with the account SID and
auth token, or an API key and its secret; failures answer Twilio's JSON error bodies (`code`, `message`,
`more_info`, `status`). Every request is recorded, so a test asserts exactly what the client sent. Point the
CLI at it with `PYSERVERLESS_TWILIO_API_URL=api.base_url`.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

ACCOUNT_SID = "AC" + "a1" * 16
AUTH_TOKEN = "b2" * 16
API_KEY = "SK" + "c3" * 16
API_SECRET = "d4" * 16

#: Form parameters of the update request and the JSON attribute each one sets.
UPDATABLE = {
    "FriendlyName": "friendly_name",
    "SmsUrl": "sms_url",
    "SmsMethod": "sms_method",
    "SmsFallbackUrl": "sms_fallback_url",
    "SmsFallbackMethod": "sms_fallback_method",
    "SmsApplicationSid": "sms_application_sid",
    "VoiceUrl": "voice_url",
    "VoiceMethod": "voice_method",
    "VoiceFallbackUrl": "voice_fallback_url",
    "VoiceFallbackMethod": "voice_fallback_method",
    "VoiceApplicationSid": "voice_application_sid",
    "StatusCallback": "status_callback",
    "StatusCallbackMethod": "status_callback_method",
}
URL_PARAMETERS = ("SmsUrl", "SmsFallbackUrl", "VoiceUrl", "VoiceFallbackUrl", "StatusCallback")
_NUMBERS_PATH = re.compile(
    r"/2010-04-01/Accounts/(?P<account>[^/]+)/IncomingPhoneNumbers(?:/(?P<sid>[^/]+))?\.json"
)


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the double received it: form and query values decoded, the Basic-auth user name."""

    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    username: str | None


@dataclass(frozen=True)
class InjectedError:
    method: str
    status: int
    code: int
    message: str


class TwilioApiDouble:
    """The fake API: numbers by SID, the requests received, and errors to answer on demand."""

    def __init__(
        self,
        account_sid: str = ACCOUNT_SID,
        auth_token: str = AUTH_TOKEN,
        api_key: str | None = API_KEY,
        api_secret: str | None = API_SECRET,
        page_size: int = 50,
    ) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.api_key = api_key
        self.api_secret = api_secret
        self.default_page_size = page_size
        self.numbers: dict[str, dict[str, Any]] = {}
        self.requests: list[RecordedRequest] = []
        self._errors: list[InjectedError] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="twilio-api-double", daemon=True
        )
        host, port = self._server.server_address[:2]
        self.base_url = f"http://{host!s}:{port}"

    def __enter__(self) -> TwilioApiDouble:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def add_number(self, phone_number: str, sid: str | None = None, **fields: str) -> str:
        """Add a number with a fresh number's webhooks, overridden by `fields`; returns its SID."""
        sid = sid or f"PN{len(self.numbers) + 1:032x}"
        uri = f"/2010-04-01/Accounts/{self.account_sid}/IncomingPhoneNumbers/{sid}.json"
        self.numbers[sid] = {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "capabilities": {"voice": True, "sms": True, "mms": True, "fax": False},
            "date_created": "Mon, 02 Nov 2026 10:00:00 +0000",
            "date_updated": "Mon, 02 Nov 2026 10:00:00 +0000",
            "friendly_name": phone_number,
            "phone_number": phone_number,
            "sid": sid,
            "sms_application_sid": "",
            "sms_fallback_method": "POST",
            "sms_fallback_url": "",
            "sms_method": "POST",
            "sms_url": "https://demo.twilio.com/welcome/sms/reply",
            "status": "in-use",
            "status_callback": "",
            "status_callback_method": "POST",
            "uri": uri,
            "voice_application_sid": "",
            "voice_fallback_method": "POST",
            "voice_fallback_url": "",
            "voice_method": "POST",
            "voice_url": "https://demo.twilio.com/welcome/voice/",
            **fields,
        }
        return sid

    def inject_error(self, method: str, status: int, code: int, message: str) -> None:
        """Answer the next `method` request with this Twilio error (after authenticating it)."""
        with self._lock:
            self._errors.append(InjectedError(method, status, code, message))

    def requests_of(self, method: str) -> list[RecordedRequest]:
        return [request for request in self.requests if request.method == method]

    def updates(self) -> list[dict[str, str]]:
        """The forms of every update (POST) received, in order."""
        return [request.form for request in self.requests_of("POST")]

    # -- request handling (called from the server's threads) --

    def handle(
        self, method: str, target: str, authorization: str | None, body: bytes
    ) -> tuple[int, dict[str, Any]]:
        parts = urlsplit(target)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True)) if body else {}
        username, password = _basic_auth(authorization)
        with self._lock:
            self.requests.append(RecordedRequest(method, parts.path, query, form, username))
            if not self._authenticated(username, password):
                return 401, _error(
                    401, 20003, "Authenticate", detail="Your AccountSid or AuthToken was incorrect."
                )
            matched = _NUMBERS_PATH.fullmatch(parts.path)
            if matched is None:
                return 404, _not_found(parts.path)
            if matched["account"] != self.account_sid:
                return 403, _error(403, 20003, "Authenticate", detail="Credentials do not match the account.")
            injected = next((error for error in self._errors if error.method == method), None)
            if injected is not None:
                self._errors.remove(injected)
                return injected.status, _error(injected.status, injected.code, injected.message)
            sid = matched["sid"]
            if sid is None and method == "GET":
                return 200, self._list(parts.path, query)
            if sid is None or sid not in self.numbers:
                return 404, _not_found(parts.path)
            if method == "GET":
                return 200, dict(self.numbers[sid])
            if method == "POST":
                return self._update(sid, form)
            return 405, _error(405, 20004, "Method not allowed")

    def _authenticated(self, username: str | None, password: str | None) -> bool:
        if username == self.account_sid:
            return password == self.auth_token
        return self.api_key is not None and username == self.api_key and password == self.api_secret

    def _list(self, path: str, query: dict[str, str]) -> dict[str, Any]:
        pattern = None if "PhoneNumber" not in query else _number_pattern(query["PhoneNumber"])
        found = [
            number
            for number in self.numbers.values()
            if pattern is None or pattern.search(number["phone_number"])
        ]
        page_size = int(query.get("PageSize", self.default_page_size))
        page = int(query.get("Page", "0"))
        start = page * page_size
        records = found[start : start + page_size]

        def page_uri(number: int) -> str:
            return f"{path}?{urlencode({**query, 'PageSize': page_size, 'Page': number})}"

        return {
            "incoming_phone_numbers": records,
            "end": start + len(records) - 1,
            "first_page_uri": page_uri(0),
            "next_page_uri": page_uri(page + 1) if start + page_size < len(found) else None,
            "page": page,
            "page_size": page_size,
            "previous_page_uri": page_uri(page - 1) if page > 0 else None,
            "start": start,
            "uri": page_uri(page),
        }

    def _update(self, sid: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        for name in URL_PARAMETERS:
            value = form.get(name)
            if value and not _valid_url(value):
                return 400, _error(400, 21402, f"{name} is not valid: {value}")
        number = self.numbers[sid]
        for name, value in form.items():
            attribute = UPDATABLE.get(name)
            if attribute is not None:
                number[attribute] = value.upper() if attribute.endswith("method") else value
        number["date_updated"] = "Mon, 02 Nov 2026 11:00:00 +0000"
        return 200, dict(number)


def _handler_for(api: TwilioApiDouble) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            status, document = api.handle(self.command, self.path, self.headers.get("Authorization"), body)
            payload = json.dumps(document).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_DELETE = _answer

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: tests read `api.requests` instead."""

    return Handler


def _basic_auth(header: str | None) -> tuple[str | None, str | None]:
    if not header or not header.startswith("Basic "):
        return None, None
    try:
        decoded = base64.b64decode(header[len("Basic ") :]).decode("utf-8")
    except ValueError:
        return None, None
    username, _, password = decoded.partition(":")
    return username, password


def _number_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile("".join(r"\d" if char == "*" else re.escape(char) for char in pattern.strip()))


def _valid_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not re.search(r"\s", value)


def _error(status: int, code: int, message: str, detail: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    if detail is not None:
        body["detail"] = detail
    return body


def _not_found(path: str) -> dict[str, Any]:
    return _error(404, 20404, f"The requested resource {path} was not found")
