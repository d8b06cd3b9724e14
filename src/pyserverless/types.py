"""Types of the `event` a handler gets for Twilio's webhooks, for editors and type checkers.

    from pyserverless.types import SmsWebhook

    def handler(context, event: SmsWebhook, callback):
        sender = event["From"]            # completed and checked: a typo such as event["Form"] is an error

Each is a `TypedDict` of the parameters Twilio documents for that webhook ("Twilio's request to your incoming
message Webhook URL", "Voice webhooks", the `<Gather>`, `<Dial>` and `<Record>` TwiML references, and the
status callback pages), plus `request`, the headers and cookies the runtime adds. Twilio sends every value as
a string, and adds parameters over time; the keys that are always sent are required, the others are not
(`event.get("MessagingServiceSid")`). Numbered parameters (`MediaUrl0`, `MediaContentType1`, ...) cannot be
declared: read them with `event.get(f"MediaUrl{index}")`, which the type checker allows as `object`.

Only annotations: at run time an event is the plain dict it always was. This module imports nothing but
`typing`, and ships to Lambda with the runtime, so handlers may import it there too.
"""

from __future__ import annotations

from typing import TypedDict

__all__ = [
    "CallStatusCallback",
    "DialResult",
    "GatherResult",
    "MessageStatusCallback",
    "RecordResult",
    "SmsWebhook",
    "TranscriptionResult",
    "VoiceWebhook",
    "WebhookRequest",
]


class WebhookRequest(TypedDict):
    """`event["request"]`: the request's headers (names lower-cased; repeated ones as lists) and cookies."""

    headers: dict[str, str | list[str]]
    cookies: dict[str, str]


class _Webhook(TypedDict):
    AccountSid: str
    From: str
    To: str
    request: WebhookRequest


class _Places(TypedDict, total=False):
    """Where Twilio places the numbers (empty when it does not know)."""

    FromCity: str
    FromState: str
    FromZip: str
    FromCountry: str
    ToCity: str
    ToState: str
    ToZip: str
    ToCountry: str


class SmsWebhook(_Webhook, _Places, total=False):
    """An incoming message (SMS, MMS, WhatsApp): what Twilio sends to a number's messaging webhook."""

    MessageSid: str
    SmsSid: str
    SmsMessageSid: str
    SmsStatus: str
    MessagingServiceSid: str
    Body: str
    NumMedia: str
    NumSegments: str
    ApiVersion: str
    # WhatsApp and other channels
    ProfileName: str
    WaId: str
    Forwarded: str
    FrequentlyForwarded: str
    ButtonText: str
    ButtonPayload: str
    Latitude: str
    Longitude: str
    Address: str
    Label: str


class MessageStatusCallback(_Webhook, total=False):
    """A message's status change (`StatusCallback` of a sent message): queued, sent, delivered, failed, ..."""

    MessageSid: str
    MessageStatus: str
    SmsSid: str
    SmsStatus: str
    MessagingServiceSid: str
    ErrorCode: str
    ApiVersion: str
    RawDlrDoneDate: str
    ChannelToAddress: str
    ChannelPrefix: str
    ChannelInstallSid: str


class _CallPlaces(_Places, total=False):
    CalledCity: str
    CalledState: str
    CalledZip: str
    CalledCountry: str
    CallerCity: str
    CallerState: str
    CallerZip: str
    CallerCountry: str


class VoiceWebhook(_Webhook, _CallPlaces, total=False):
    """An incoming call: what Twilio sends to a number's voice webhook, and with every TwiML request of the
    call."""

    CallSid: str
    CallStatus: str
    ApiVersion: str
    Direction: str
    Called: str
    Caller: str
    CallerName: str
    ForwardedFrom: str
    ParentCallSid: str
    CallToken: str
    StirVerstat: str


class CallStatusCallback(VoiceWebhook, total=False):
    """A call's status change (`StatusCallback`): initiated, ringing, answered, completed, ..."""

    CallDuration: str
    Duration: str
    Timestamp: str
    CallbackSource: str
    SequenceNumber: str
    SipResponseCode: str
    RecordingUrl: str
    RecordingSid: str
    RecordingDuration: str


class GatherResult(VoiceWebhook, total=False):
    """The request to a `<Gather action>`: the keys pressed, or what was said."""

    Digits: str
    FinishedOnKey: str
    SpeechResult: str
    Confidence: str


class DialResult(VoiceWebhook, total=False):
    """The request to a `<Dial action>` once the dialled call ends."""

    DialCallStatus: str
    DialCallSid: str
    DialCallDuration: str
    DialBridged: str
    RecordingUrl: str


class RecordResult(VoiceWebhook, total=False):
    """The request to a `<Record action>` once the recording ends."""

    RecordingUrl: str
    RecordingSid: str
    RecordingDuration: str
    Digits: str


class TranscriptionResult(VoiceWebhook, total=False):
    """The request to a `<Record transcribeCallback>` once the transcription is done (or failed)."""

    TranscriptionSid: str
    TranscriptionText: str
    TranscriptionStatus: str
    TranscriptionUrl: str
    RecordingSid: str
    RecordingUrl: str
