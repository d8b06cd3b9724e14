"""The whisper: played to you (not the caller) when you answer a forwarded call; press 1 to take it.

Twilio posts here with `From` the caller's number. Without a key press the Gather posts the same URL with
`Digits`: 1 answers with empty TwiML, which connects the two calls; any other key, or silence, hangs up your
side before the calls are bridged, so the caller's `<Dial>` ends and `dial-ended` tells them.
"""

from twilio.twiml.voice_response import VoiceResponse

from pyserverless.types import GatherResult


def handler(context, event: GatherResult, callback):
    twiml = VoiceResponse()
    digits = event.get("Digits")
    if digits is None:
        caller = " ".join(event.get("From", "an unknown number"))
        gather = twiml.gather(num_digits=1, timeout=5)
        gather.say(f"Call from {caller}. Press 1 to accept, any other key to decline.")
        twiml.say("Declined.")
        twiml.hangup()
    elif digits != "1":
        twiml.say("Declined.")
        twiml.hangup()
    callback(None, twiml)
