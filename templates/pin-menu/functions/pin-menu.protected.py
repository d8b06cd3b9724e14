"""A voice menu behind a PIN, with what the caller has done so far kept in cookies for the length of the call.

Point a phone number's "A call comes in" webhook here. The caller keys in MENU_PIN (from .env) and `#`; after
three wrong PINs the call ends. Then a menu: 1 reads today's announcement, the private asset
`assets/announcement.private.txt` (never served over HTTP, read through `Runtime.get_assets()`: edit it to
change the announcement), 2 ends the call. Each `<Gather>` has no action, so Twilio posts the keys back to
this same URL with the call's cookies: `signed_in` once the PIN was right, `tries` counting wrong PINs.
"""

import hmac
import posixpath

from twilio.twiml.voice_response import VoiceResponse

from pyserverless import Response, Runtime
from pyserverless.types import GatherResult

MAX_TRIES = 3
ANNOUNCEMENT = "announcement.txt"


def handler(context, event: GatherResult, callback):
    cookies = event["request"]["cookies"]
    digits = event.get("Digits")
    pin = getattr(context, "MENU_PIN", "").strip()
    twiml = VoiceResponse()
    response = Response()
    if not pin.isdigit():
        twiml.say("This line has no PIN yet. Set MENU_PIN in the project's .env file. Goodbye!")
        twiml.hangup()
    elif cookies.get("signed_in") == "yes":
        if digits == "1":
            twiml.say(read_announcement(context))
        if digits == "2":
            twiml.say("Goodbye!")
            twiml.hangup()
        else:
            menu(twiml)
    elif digits is None:
        ask_for_pin(twiml, "Welcome. Please enter your PIN, then press pound.")
    elif hmac.compare_digest(digits.encode(), pin.encode()):
        response.set_cookie("signed_in", "yes")
        response.remove_cookie("tries")
        twiml.say("Thank you.")
        menu(twiml)
    else:
        tries = int(cookies.get("tries", "0") or 0) + 1
        if tries >= MAX_TRIES:
            twiml.say("That PIN is not right. Goodbye!")
            twiml.hangup()
        else:
            response.set_cookie("tries", str(tries))
            ask_for_pin(twiml, "That PIN is not right. Please try again, then press pound.")
    response.append_header("Content-Type", "text/xml")
    response.set_body(str(twiml))
    callback(None, response)


def ask_for_pin(twiml, prompt):
    gather = twiml.gather(finish_on_key="#", timeout=10)
    gather.say(prompt)
    twiml.say("We did not get a PIN. Goodbye!")
    twiml.hangup()


def menu(twiml):
    gather = twiml.gather(num_digits=1, timeout=10)
    gather.say("To hear today's announcement, press 1. To hang up, press 2.")
    twiml.say("Goodbye!")
    twiml.hangup()


def read_announcement(context):
    """The text of the private asset beside this function (its folder may be a `pyserverless new` namespace)."""
    path = posixpath.join(posixpath.dirname(context.PATH), ANNOUNCEMENT)
    return Runtime.get_assets()[path].open().strip()
