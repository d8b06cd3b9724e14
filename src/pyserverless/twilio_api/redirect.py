"""The Twilio client's HTTP layer for the testing seam: the stock `TwilioHttpClient`, with every request
for a `*.twilio.com` URL sent to a base URL instead (`PYSERVERLESS_TWILIO_API_URL`, see `client`).
Imports the twilio library, so only `client.make_client` imports this module, when it makes a client.
"""

from __future__ import annotations

from typing import Any

from twilio.http.http_client import TwilioHttpClient

from pyserverless.twilio_api.client import HTTP_TIMEOUT, redirect_url


class RedirectingHttpClient(TwilioHttpClient):  # type: ignore[misc]
    """A `TwilioHttpClient` that sends every request for a `*.twilio.com` URL to `base_url` instead."""

    def __init__(self, base_url: str, timeout: float = HTTP_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        return super().request(method, redirect_url(url, self.base_url), *args, **kwargs)
