"""A public voice webhook: anyone may call it. It answers TwiML that says "Hello World!"."""

from twilio.twiml.voice_response import VoiceResponse

from pyserverless.types import VoiceWebhook


def handler(context, event: VoiceWebhook, callback):
    twiml = VoiceResponse()
    twiml.say("Hello World!")
    callback(None, twiml)
