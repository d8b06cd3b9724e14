"""Replies to every text with a picture: an MMS whose image is `assets/postcard.png`, served by this project.

Point a phone number's "A message comes in" webhook here. Twilio fetches the image from the URL in `<Media>`,
so it must be public: the URL is built from the host Twilio called (`context.DOMAIN_NAME`: your tunnel while
`pyserverless start --ngrok` runs, your deployment once deployed) and this function's folder, so the template
also works when `pyserverless new` puts it in a folder of its own. Replace the picture, or point `<Media>` at
any public image URL.
"""

import posixpath

from twilio.twiml.messaging_response import MessagingResponse

from pyserverless.types import SmsWebhook

PICTURE = "postcard.png"


def handler(context, event: SmsWebhook, callback):
    twiml = MessagingResponse()
    message = twiml.message()
    message.body("Greetings from the hills! Here is a postcard for you.")
    message.media(asset_url(context, PICTURE))
    callback(None, twiml)


def asset_url(context, name):
    """The public URL of an asset beside this function (`assets/NAME` when the function is `functions/x.py`)."""
    local = context.DOMAIN_NAME.startswith(("localhost", "127.0.0.1"))
    folder = posixpath.dirname(context.PATH)
    return f"{'http' if local else 'https'}://{context.DOMAIN_NAME}{posixpath.join(folder, name)}"
