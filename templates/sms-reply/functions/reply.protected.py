"""A protected SMS webhook: only requests signed by Twilio with your AUTH_TOKEN get through.

Point a phone number's "A message comes in" webhook at this function's URL. Twilio sends the text in
`event["Body"]` and the sender in `event["From"]`; the reply thanks the sender and quotes the text back.
"""

from twilio.twiml.messaging_response import MessagingResponse

from pyserverless.types import SmsWebhook


def handler(context, event: SmsWebhook, callback):
    body = event.get("Body", "").strip()
    twiml = MessagingResponse()
    if body:
        twiml.message(f'Thanks for your message! You said: "{body}"')
    else:
        twiml.message("Thanks for your message!")
    callback(None, twiml)
