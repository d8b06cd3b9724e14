"""A public function that reads a private asset: `assets/message.private.txt` is never served over HTTP, but
every function can read it through `Runtime.get_assets()`. It answers an SMS with the asset's text.

The asset's route is found beside this function's own (`context.PATH`), so the function still finds it when
`pyserverless new` puts the template in a folder of its own.
"""

import posixpath

from twilio.twiml.messaging_response import MessagingResponse

from pyserverless import Runtime
from pyserverless.types import SmsWebhook


def handler(context, event: SmsWebhook, callback):
    path = posixpath.join(posixpath.dirname(context.PATH), "message.txt")
    message = Runtime.get_assets()[path].open()
    twiml = MessagingResponse()
    twiml.message(message.strip())
    callback(None, twiml)
