"""A conference line: every caller joins the same room, a `<Conference>` inside `<Dial>`.

Point a phone number's "A call comes in" webhook here. When MODERATOR_PHONE_NUMBER is set (in .env), callers
wait with Twilio's hold music until the moderator calls in, and the conference ends when the moderator hangs
up; without it, the conference starts as soon as someone joins and ends with its last caller.
"""

from twilio.twiml.voice_response import Dial, VoiceResponse

from pyserverless.types import VoiceWebhook

ROOM = "team-meeting"


def handler(context, event: VoiceWebhook, callback):
    moderator = getattr(context, "MODERATOR_PHONE_NUMBER", "").strip()
    is_moderator = bool(moderator) and event.get("From") == moderator
    twiml = VoiceResponse()
    if not moderator:
        twiml.say("Welcome! Joining the conference now.")
        options = {"start_conference_on_enter": True, "end_conference_on_exit": False}
    elif is_moderator:
        twiml.say("Welcome back. Your conference is starting.")
        options = {"start_conference_on_enter": True, "end_conference_on_exit": True}
    else:
        twiml.say("Welcome! The conference starts when the host joins. Please stay on the line.")
        options = {"start_conference_on_enter": False, "end_conference_on_exit": False}
    dial = Dial()
    dial.conference(ROOM, **options)
    twiml.append(dial)
    callback(None, twiml)
