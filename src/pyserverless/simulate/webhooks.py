"""The parameters Twilio sends to an incoming-message or incoming-call webhook, built as Twilio does.

Sources: "Twilio's request to your incoming message Webhook URL"
(https://www.twilio.com/docs/messaging/guides/webhook-request) and "Voice Webhooks"
(https://www.twilio.com/docs/usage/webhooks/voice-webhooks). SIDs are two letters and 32 hex digits;
geographic fields come from a small table of North American area codes and are empty when the number is not
in it, as Twilio leaves them when it knows nothing; `NumSegments` counts GSM-7 or UCS-2 segments as a
handset would."""

from __future__ import annotations

import mimetypes
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

API_VERSION = "2010-04-01"
DEFAULT_SENDER = "+14155550100"
DEFAULT_RECIPIENT = "+14155550199"
USER_AGENT = "TwilioProxy/1.1"

_ACCOUNT_SID = re.compile(r"^AC[0-9a-f]{32}$")

# GSM 03.38 default alphabet and the extension table (each extension character takes two septets).
_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENSION = set("^{}\\[~]|€\f")


@dataclass(frozen=True)
class Place:
    city: str
    state: str
    zip: str
    country: str


_AREA_CODES: dict[str, Place] = {
    "212": Place("NEW YORK", "NY", "10001", "US"),
    "206": Place("SEATTLE", "WA", "98101", "US"),
    "312": Place("CHICAGO", "IL", "60601", "US"),
    "415": Place("SAN FRANCISCO", "CA", "94103", "US"),
    "512": Place("AUSTIN", "TX", "78701", "US"),
    "617": Place("BOSTON", "MA", "02108", "US"),
}
_COUNTRY_CODES = {"+1": "US", "+44": "GB", "+49": "DE", "+33": "FR", "+61": "AU", "+91": "IN", "+81": "JP"}


def new_sid(prefix: str) -> str:
    """A SID as Twilio writes them: two letters then 32 lowercase hex digits (`SM…`, `CA…`)."""
    return prefix + uuid.uuid4().hex


def account_sid_for(env: dict[str, str]) -> str:
    """The project's `ACCOUNT_SID` when it is a real account SID, else a made-up one."""
    configured = env.get("ACCOUNT_SID", "")
    return configured if _ACCOUNT_SID.match(configured) else new_sid("AC")


def place_of(number: str) -> Place:
    """Where Twilio would say a phone number is; empty fields when unknown."""
    if number.startswith("+1") and len(number) == 12 and number[1:].isdigit():
        known = _AREA_CODES.get(number[2:5])
        if known is not None:
            return known
    for code in sorted(_COUNTRY_CODES, key=len, reverse=True):
        if number.startswith(code):
            return Place("", "", "", _COUNTRY_CODES[code])
    return Place("", "", "", "")


def segment_count(body: str) -> int:
    """How many SMS segments `body` takes: 160/153 GSM-7 septets, or 70/67 UCS-2 units when not GSM-7."""
    if all(char in _GSM_BASIC or char in _GSM_EXTENSION for char in body):
        units = sum(2 if char in _GSM_EXTENSION else 1 for char in body)
        single, multi = 160, 153
    else:
        units = len(body.encode("utf-16-le")) // 2
        single, multi = 70, 67
    if units <= single:
        return 1
    return -(-units // multi)


def _place_params(prefix: str, number: str) -> dict[str, str]:
    place = place_of(number)
    return {
        f"{prefix}City": place.city,
        f"{prefix}State": place.state,
        f"{prefix}Zip": place.zip,
        f"{prefix}Country": place.country,
    }


def sms_params(
    account_sid: str, sender: str, recipient: str, body: str, media: Sequence[str] = ()
) -> dict[str, str]:
    """An incoming-message webhook's parameters, with a fresh `MessageSid`."""
    message_sid = new_sid("MM" if media else "SM")
    params = {
        "AccountSid": account_sid,
        "ApiVersion": API_VERSION,
        "Body": body,
        "From": sender,
        "MessageSid": message_sid,
        "NumMedia": str(len(media)),
        "NumSegments": str(segment_count(body)),
        "SmsMessageSid": message_sid,
        "SmsSid": message_sid,
        "SmsStatus": "received",
        "To": recipient,
        **_place_params("From", sender),
        **_place_params("To", recipient),
    }
    for index, url in enumerate(media):
        params[f"MediaContentType{index}"] = mimetypes.guess_type(url)[0] or "application/octet-stream"
        params[f"MediaUrl{index}"] = url
    return params


def voice_params(account_sid: str, call_sid: str, caller: str, called: str, status: str) -> dict[str, str]:
    """An incoming-call webhook's parameters; `status` is `ringing` first, `in-progress` once answered."""
    params = {
        "AccountSid": account_sid,
        "ApiVersion": API_VERSION,
        "CallSid": call_sid,
        "CallStatus": status,
        "Called": called,
        "Caller": caller,
        "Direction": "inbound",
        "From": caller,
        "To": called,
    }
    for prefix, number in (("Called", called), ("Caller", caller), ("From", caller), ("To", called)):
        params.update(_place_params(prefix, number))
    return dict(sorted(params.items()))
