"""Forwards each call to MY_PHONE_NUMBER (set it in .env) with a whisper, played to you before you are connected.

Point a phone number's "A call comes in" webhook here. `<Number url>` names the whisper, `screen`: when you
pick up, Twilio runs it on your side of the call only, and the caller hears ringing until you accept. When the
forwarded call ends, or was never accepted, Twilio posts to the `<Dial>`'s action, `dial-ended`.
"""

import posixpath

from twilio.twiml.voice_response import Dial, VoiceResponse

from pyserverless.types import VoiceWebhook


def handler(context, event: VoiceWebhook, callback):
    twiml = VoiceResponse()
    forward_to = getattr(context, "MY_PHONE_NUMBER", "").strip()
    if not forward_to:
        twiml.say("This number cannot forward calls yet. Set MY_PHONE_NUMBER in the project's .env file.")
        callback(None, twiml)
        return
    twiml.say("Please hold while we connect you.")
    dial = Dial(action="dial-ended", timeout=20)
    dial.number(forward_to, url=neighbour_url(context, "screen"))
    twiml.append(dial)
    callback(None, twiml)


def neighbour_url(context, name):
    """The public URL of the function `name` beside this one, wherever the project serves it."""
    local = context.DOMAIN_NAME.startswith(("localhost", "127.0.0.1"))
    folder = posixpath.dirname(context.PATH)
    return f"{'http' if local else 'https'}://{context.DOMAIN_NAME}{posixpath.join(folder, name)}"
