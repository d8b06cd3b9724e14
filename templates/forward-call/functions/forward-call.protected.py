"""A protected voice webhook that forwards every incoming call to MY_PHONE_NUMBER (set it in .env).

Point a phone number's "A call comes in" webhook at this function's URL. Until MY_PHONE_NUMBER is set, callers
hear a sentence saying so instead of being connected.
"""

from twilio.twiml.voice_response import VoiceResponse

from pyserverless.types import VoiceWebhook


def handler(context, event: VoiceWebhook, callback):
    twiml = VoiceResponse()
    forward_to = (context.MY_PHONE_NUMBER or "").strip()
    if forward_to:
        twiml.dial(forward_to)
    else:
        twiml.say("This number cannot forward calls yet. Set MY_PHONE_NUMBER in the project's .env file.")
    callback(None, twiml)
