"""Check `X-Twilio-Signature` on requests to protected routes, with twilio's `RequestValidator`.

The signature covers the public URL Twilio called (query included) plus, for form bodies, every form
parameter (repeated keys with all their values). For other bodies (JSON) it covers the URL only, and the URL's
`bodySHA256` parameter must be the SHA-256 of the raw body; such a body without `bodySHA256` is refused, as it
would otherwise go unauthenticated.
"""

from __future__ import annotations

from dataclasses import dataclass

from twilio.request_validator import RequestValidator

from pyserverless.runtime.http import Request

SIGNATURE_HEADER = "x-twilio-signature"


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


def check_signature(request: Request, auth_token: str, form: list[tuple[str, str]] | None) -> SignatureCheck:
    """Whether `request` carries a valid signature; `form` are its form pairs (None when not a form body)."""
    url = request.public_url
    signature = request.headers.get(SIGNATURE_HEADER)
    if not signature:
        return SignatureCheck(False, url, "the request has no X-Twilio-Signature header")
    if not auth_token:
        return SignatureCheck(False, url, "AUTH_TOKEN is not set in the project's environment")
    validator = RequestValidator(auth_token)
    if form is not None:
        valid = validator.validate(url, _FormParameters(form), signature)
    elif request.body:
        if "bodySHA256" not in dict(request.query):
            return SignatureCheck(
                False, url, "the body is not a form and the URL has no bodySHA256 parameter"
            )
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError:
            return SignatureCheck(False, url, "the body is not UTF-8 text")
        valid = validator.validate(url, text, signature)
    else:
        valid = validator.validate(url, {}, signature)
    return SignatureCheck(valid, url, "" if valid else "X-Twilio-Signature does not match")
