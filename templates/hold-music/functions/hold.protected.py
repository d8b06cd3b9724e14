"""Hold music: the caller hears a short greeting, then `assets/hold-music.wav` in a loop until someone acts.

Point a phone number's "A call comes in" webhook here, or use this function's URL as the `waitUrl` of an
`<Enqueue>` so callers waiting in a queue hear it. Twilio fetches the music from the URL in `<Play>`, so it is
built from the host Twilio called (`context.DOMAIN_NAME`) and this function's folder: it works behind
`pyserverless start --ngrok`, once deployed, and when `pyserverless new` puts the template in a folder of its
own. Replace the file with your own music (WAV or MP3).
"""

import posixpath

from twilio.twiml.voice_response import VoiceResponse

from pyserverless.types import VoiceWebhook

MUSIC = "hold-music.wav"


def handler(context, event: VoiceWebhook, callback):
    twiml = VoiceResponse()
    twiml.say("Thanks for calling. Please hold, someone will be with you shortly.")
    twiml.play(asset_url(context, MUSIC), loop=0)
    callback(None, twiml)


def asset_url(context, name):
    """The public URL of an asset beside this function (`assets/NAME` when the function is `functions/x.py`)."""
    local = context.DOMAIN_NAME.startswith(("localhost", "127.0.0.1"))
    folder = posixpath.dirname(context.PATH)
    return f"{'http' if local else 'https'}://{context.DOMAIN_NAME}{posixpath.join(folder, name)}"
