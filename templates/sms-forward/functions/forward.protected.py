"""Forwards every text your Twilio number receives to MY_PHONE_NUMBER (set it in .env), with its pictures.

Point a phone number's "A message comes in" webhook here. The forwarded message starts with the sender's
number; the sender gets no reply. Until MY_PHONE_NUMBER is set nothing is forwarded and the log says why.
"""

import logging

from twilio.twiml.messaging_response import MessagingResponse

from pyserverless.types import SmsWebhook

log = logging.getLogger(__name__)


def handler(context, event: SmsWebhook, callback):
    twiml = MessagingResponse()
    forward_to = getattr(context, "MY_PHONE_NUMBER", "").strip()
    if not forward_to:
        log.warning("Not forwarded: set MY_PHONE_NUMBER in the project's .env file.")
        callback(None, twiml)
        return
    message = twiml.message(to=forward_to)
    message.body(f"From {event.get('From', 'an unknown number')}: {event.get('Body', '')}")
    for index in range(int(event.get("NumMedia", "0") or 0)):
        message.media(event.get(f"MediaUrl{index}"))
    callback(None, twiml)
