"""`--public-url`: an http(s) origin, or a clear refusal."""

from __future__ import annotations

import pytest

from pyserverless.dev.session import check_public_url
from pyserverless.errors import UserError


@pytest.mark.parametrize(
    "url", ["https://abc.trycloudflare.com", "http://203.0.113.7:8080", "https://x.example/"]
)
def test_public_url_accepts_origins(url: str) -> None:
    check_public_url(url)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("abc.trycloudflare.com", "--public-url abc.trycloudflare.com is not an http(s) URL of a host."),
        ("ftp://host", "--public-url ftp://host is not an http(s) URL of a host."),
        ("https://host/app", "--public-url https://host/app is not an http(s) URL of a host."),
        ("https://host?x=1", "--public-url https://host?x=1 holds a query or fragment."),
    ],
)
def test_public_url_refuses_anything_else(url: str, message: str) -> None:
    with pytest.raises(UserError) as raised:
        check_public_url(url)
    assert raised.value.message == message
