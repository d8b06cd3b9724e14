"""The `action` of the voicemail's `<Record>`: Twilio posts here when the caller has finished recording.

Twilio sends `RecordingUrl`, `RecordingDuration` (seconds) and `Digits` (the key that ended the recording, or
`hangup`). The recording is logged, and the caller, if still on the line, is thanked.
"""

import logging

from twilio.twiml.voice_response import VoiceResponse

from pyserverless.types import RecordResult

log = logging.getLogger(__name__)


def handler(context, event: RecordResult, callback):
    log.info(
        "Voicemail from %s, %s s: %s",
        event.get("From", "?"),
        event.get("RecordingDuration", "?"),
        event.get("RecordingUrl", "?"),
    )
    twiml = VoiceResponse()
    twiml.say("Thanks for your message. Goodbye!")
    twiml.hangup()
    callback(None, twiml)
