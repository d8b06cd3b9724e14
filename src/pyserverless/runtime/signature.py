"""Check `X-Twilio-Signature` on requests to protected routes, with twilio's `RequestValidator`.

The signature covers the public URL Twilio called (query included) plus, for form bodies, every form
parameter (repeated keys with all their values). For other bodies (JSON) it covers the URL only, and the URL's
`bodySHA256` parameter must be the SHA-256 of the raw body; such a body without `bodySHA256` is refused, as it
would otherwise go unauthenticated. Whenever the URL carries `bodySHA256`, it is compared with the body.

The check runs in two steps so that a hostile request costs nothing: `precheck` looks only at the headers (a
missing signature, one that cannot be an HMAC-SHA1 in base64, or no AUTH_TOKEN) and runs before the body is
parsed; `check_signature` then computes the HMAC over the URL and the parsed parameters.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from twilio.request_validator import RequestValidator

from pyserverless.runtime.http import Request

SIGNATURE_HEADER = "x-twilio-signature"
#: An HMAC-SHA1 (20 bytes) in base64: what Twilio sends with an Auth Token signature.
_SIGNATURE_SHAPE = re.compile(r"[A-Za-z0-9+/]{27}=")


class _FormParameters(dict[str, list[str]]):
    """Form pairs grouped by key, with the `getlist` the validator uses for repeated keys."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        super().__init__()
        for key, value in pairs:
            self.setdefault(key, []).append(value)

    def getlist(self, key: str) -> list[str]:
        return self[key]


@dataclass(frozen=True)
class SignatureCheck:
    """`valid`, and why not (`reason`), for the URL that was checked."""

    valid: bool
    url: str
    reason: str = ""


def precheck(request: Request, auth_token: str) -> SignatureCheck | None:
    """The failed check when the headers alone show the request cannot be valid; None: check the body."""
    url = request.public_url
    signature = request.headers.get(SIGNATURE_HEADER)
    if not signature:
        return SignatureCheck(False, url, "the request has no X-Twilio-Signature header")
    if not auth_token:
        return SignatureCheck(False, url, "AUTH_TOKEN is not set in the project's environment")
    if not _SIGNATURE_SHAPE.fullmatch(signature):
        return SignatureCheck(
            False, url, "X-Twilio-Signature is not a Twilio signature (28 base64 characters)"
        )
    return None


def check_signature(request: Request, auth_token: str, form: list[tuple[str, str]] | None) -> SignatureCheck:
    """Whether `request` carries a valid signature; `form` are its form pairs (None when not a form body)."""
    failed = precheck(request, auth_token)
    if failed is not None:
        return failed
    url = request.public_url
    body_hashes = [value for key, value in request.query if key == "bodySHA256"]
    if body_hashes:
        if not body_hashes[0]:
            return SignatureCheck(False, url, "the URL's bodySHA256 parameter is empty")
        expected = body_hashes[0].lower().encode("utf-8")
        if not hmac.compare_digest(hashlib.sha256(request.body).hexdigest().encode(), expected):
            return SignatureCheck(False, url, "the body does not match the URL's bodySHA256 parameter")
    elif form is None and request.body:
        return SignatureCheck(False, url, "the body is not a form and the URL has no bodySHA256 parameter")
    parameters = _FormParameters(form) if form is not None else {}
    signature = request.headers.get(SIGNATURE_HEADER) or ""
    valid = RequestValidator(auth_token).validate(url, parameters, signature)
    return SignatureCheck(valid, url, "" if valid else "X-Twilio-Signature does not match")


def compute_signature(url: str, auth_token: str, form: list[tuple[str, str]] | None) -> str:
    """The `X-Twilio-Signature` Twilio would send for a request to `url` with these form pairs (None: not a
    form body), as `check_signature` checks it."""
    parameters = _FormParameters(form) if form is not None else {}
    signature: str = RequestValidator(auth_token).compute_signature(url, parameters)
    return signature
