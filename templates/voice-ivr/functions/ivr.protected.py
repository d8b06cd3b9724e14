"""A two-level phone menu that remembers where the caller is, using cookies kept for the length of the call.

Point a phone number's "A call comes in" webhook at this function's URL. Each <Gather> has no action, so Twilio
posts the key the caller pressed (`event["Digits"]`) back to this same URL, along with the cookies this function
set earlier in the call. The `menu` cookie says which menu the key answers; a new call starts with no cookies.

    main menu         1: opening hours (then the main menu again)   2: the departments menu
    departments menu  1: sales   2: support   0: back to the main menu
"""

from twilio.twiml.voice_response import VoiceResponse

from pyserverless import Response
from pyserverless.types import GatherResult

MAIN = "main"
DEPARTMENTS = "departments"
PROMPTS = {
    MAIN: "For our opening hours, press 1. To reach a department, press 2.",
    DEPARTMENTS: "For sales, press 1. For support, press 2. To go back, press 0.",
}
OPENING_HOURS = "We are open Monday to Friday, from 9 AM to 5 PM."
DEPARTMENT_NAMES = {"1": "sales", "2": "support"}


def handler(context, event: GatherResult, callback):
    menu = event["request"]["cookies"].get("menu")
    digits = event.get("Digits")
    twiml = VoiceResponse()
    response = Response()
    if menu not in PROMPTS or digits is None:
        twiml.say("Thanks for calling!")
        menu = MAIN
    elif menu == MAIN and digits == "1":
        twiml.say(OPENING_HOURS)
    elif menu == MAIN and digits == "2":
        menu = DEPARTMENTS
    elif menu == DEPARTMENTS and digits in DEPARTMENT_NAMES:
        twiml.say(f"Connecting you to {DEPARTMENT_NAMES[digits]}. Goodbye!")
        twiml.hangup()
        menu = None
    elif menu == DEPARTMENTS and digits == "0":
        menu = MAIN
    else:
        twiml.say("Sorry, that is not an option.")
    if menu is None:
        response.remove_cookie("menu")
    else:
        gather = twiml.gather(num_digits=1)
        gather.say(PROMPTS[menu])
        twiml.say("We did not hear a choice. Goodbye!")
        twiml.hangup()
        response.set_cookie("menu", menu)
    response.append_header("Content-Type", "text/xml")
    response.set_body(str(twiml))
    callback(None, response)
