"""The conversation simulator: text and call a project's functions with no phone.

`open_simulator(root)` (or `Simulator(...)` with a transport of your choice) sends the webhooks Twilio
sends, signed with the project's `AUTH_TOKEN`, and keeps cookies the way Twilio's messaging platform (per
From/To pair, at most 4 hours) and voice calls (per call) do. `Simulator.sms(path)` gives a `Conversation`,
`Simulator.call(path)` a `Call`. `pyserverless sms`, `pyserverless call` and the `twilio_sim` pytest
fixture are built on it."""

from __future__ import annotations

from pyserverless.simulate.clock import Clock, ManualClock, SystemClock
from pyserverless.simulate.cookies import MESSAGING_COOKIE_LIFETIME, CookieStore, MessagingCookieJar
from pyserverless.simulate.messaging import Conversation, OutgoingMessage, SmsReply
from pyserverless.simulate.simulator import Exchange, Simulator, TwilioSim, open_simulator
from pyserverless.simulate.voice import Call, VoiceEvent

__all__ = [
    "MESSAGING_COOKIE_LIFETIME",
    "Call",
    "Clock",
    "Conversation",
    "CookieStore",
    "Exchange",
    "ManualClock",
    "MessagingCookieJar",
    "OutgoingMessage",
    "Simulator",
    "SmsReply",
    "SystemClock",
    "TwilioSim",
    "VoiceEvent",
    "open_simulator",
]
