"""A protected SMS webhook at /sms/reply: only requests signed by Twilio with your AUTH_TOKEN get through.

Point a phone number's "A message comes in" webhook here and every text gets the reply "Hello World!".
"""

from twilio.twiml.messaging_response import MessagingResponse

from pyserverless.types import SmsWebhook


def handler(context, event: SmsWebhook, callback):
    twiml = MessagingResponse()
    twiml.message("Hello World!")
    callback(None, twiml)
