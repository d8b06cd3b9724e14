"""Rejects calls from blocked numbers and forwards the others to MY_PHONE_NUMBER (set it in .env).

Point a phone number's "A call comes in" webhook here. The blocked numbers are the private asset
`assets/blocked.private.txt`, one per line: never served over HTTP, read through `Runtime.get_assets()`, so the
list stays yours. A blocked caller gets `<Reject reason="busy">`: a busy tone, and the call is never answered
(so it costs nothing). A caller with no number (`From` anonymous or empty) is rejected too.
"""

import posixpath

from twilio.twiml.voice_response import VoiceResponse

from pyserverless import Runtime
from pyserverless.types import VoiceWebhook

BLOCKLIST = "blocked.txt"
ANONYMOUS = ("", "anonymous", "+266696687", "+86282452253", "restricted", "unknown")


def handler(context, event: VoiceWebhook, callback):
    caller = event.get("From", "").strip()
    twiml = VoiceResponse()
    forward_to = getattr(context, "MY_PHONE_NUMBER", "").strip()
    if caller.lower() in ANONYMOUS or caller in blocked_numbers(context):
        twiml.reject(reason="busy")
    elif forward_to:
        twiml.dial(forward_to)
    else:
        twiml.say("This number cannot forward calls yet. Set MY_PHONE_NUMBER in the project's .env file.")
    callback(None, twiml)


def blocked_numbers(context):
    """The numbers of the private block list beside this function, without comments and blank lines."""
    path = posixpath.join(posixpath.dirname(context.PATH), BLOCKLIST)
    lines = Runtime.get_assets()[path].open().splitlines()
    return {line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")}
