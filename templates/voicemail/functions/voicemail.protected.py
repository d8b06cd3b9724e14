"""A voicemail line: the caller hears a greeting and a beep, then speaks for up to two minutes.

Point a phone number's "A call comes in" webhook here. `<Record>` records the caller; when they hang up, press
`#` or stay silent for 5 seconds, Twilio posts the recording to `recorded` (its `action`, which answers the rest
of the call), and once the text is ready posts the transcription to `transcribed`. Both URLs are relative, so
they are this function's neighbours wherever it lives.
"""

from twilio.twiml.voice_response import VoiceResponse

from pyserverless.types import VoiceWebhook

GREETING = "Hi, you have reached Sam. Please leave a message after the beep, then press pound or hang up."


def handler(context, event: VoiceWebhook, callback):
    twiml = VoiceResponse()
    twiml.say(GREETING)
    twiml.record(
        action="recorded",
        max_length=120,
        timeout=5,
        finish_on_key="#",
        play_beep=True,
        transcribe=True,
        transcribe_callback="transcribed",
    )
    twiml.say("We did not get a message. Goodbye!")
    callback(None, twiml)
