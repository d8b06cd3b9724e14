"""A public function that reads a private asset: `assets/message.private.txt` is never served over HTTP, but
every function can read it through `Runtime.get_assets()`. It answers an SMS with the asset's text.
"""

from twilio.twiml.messaging_response import MessagingResponse

from pyserverless import Runtime


def handler(context, event, callback):
    message = Runtime.get_assets()["/message.txt"].open()
    twiml = MessagingResponse()
    twiml.message(message.strip())
    callback(None, twiml)
