"""A public voice webhook: anyone may call it. It answers TwiML that says "Hello World!"."""

from twilio.twiml.voice_response import VoiceResponse


def handler(context, event, callback):
    twiml = VoiceResponse()
    twiml.say("Hello World!")
    callback(None, twiml)
