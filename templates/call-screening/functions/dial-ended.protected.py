"""The action of the forwarding `<Dial>`: Twilio posts here when the forwarded call ends.

`DialCallStatus` is `completed` and `DialBridged` `true` when you took the call. Any other status (busy,
no-answer, failed, canceled), or a call never bridged because you declined it at the whisper, means nobody took
it: the caller hears so before the call ends.
"""

from twilio.twiml.voice_response import VoiceResponse

from pyserverless.types import DialResult


def handler(context, event: DialResult, callback):
    twiml = VoiceResponse()
    if event.get("DialCallStatus") != "completed" or event.get("DialBridged") == "false":
        twiml.say("Sorry, nobody can take your call right now. Please try again later. Goodbye!")
    twiml.hangup()
    callback(None, twiml)
