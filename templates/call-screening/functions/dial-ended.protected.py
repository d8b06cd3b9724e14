"""The action of the forwarding `<Dial>`: Twilio posts here when the forwarded call ends.

`DialCallStatus` says how it went: `completed` (you talked), or `busy`, `no-answer`, `failed`, `canceled`
(declined at the whisper, or never answered), in which case the caller hears a message before the call ends.
"""

from twilio.twiml.voice_response import VoiceResponse


def handler(context, event, callback):
    twiml = VoiceResponse()
    if event.get("DialCallStatus") != "completed":
        twiml.say("Sorry, nobody can take your call right now. Please try again later. Goodbye!")
    twiml.hangup()
    callback(None, twiml)
