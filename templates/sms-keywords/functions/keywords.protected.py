"""A keyword auto-responder: a text whose first word is a keyword gets that keyword's answer.

Point a phone number's "A message comes in" webhook here. The first word of the text is matched without regard
to case or punctuation ("hours?", "Hours please" both match HOURS); any other text gets the list of keywords.
Edit ANSWERS to change the keywords and their answers. Leave STOP, START and HELP out: Twilio answers those
itself (opt-out handling) before your function sees them.
"""

from twilio.twiml.messaging_response import MessagingResponse

from pyserverless.types import SmsWebhook

ANSWERS = {
    "HOURS": "We are open Monday to Friday, 9 AM to 5 PM, and Saturday, 10 AM to 2 PM.",
    "ADDRESS": "You will find us at 100 Main Street, Springfield. Parking is behind the building.",
    "PRICES": "A haircut is $25, a beard trim $15, both together $35.",
}


def handler(context, event: SmsWebhook, callback):
    words = event.get("Body", "").split()
    keyword = words[0].strip(".,!?;:'\"").upper() if words else ""
    twiml = MessagingResponse()
    if keyword in ANSWERS:
        twiml.message(ANSWERS[keyword])
    else:
        twiml.message(f"Hi! Text one of these words: {', '.join(ANSWERS)}.")
    callback(None, twiml)
