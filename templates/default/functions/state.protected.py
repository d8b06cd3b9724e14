"""An SMS conversation that remembers where it is, with no database: the count lives in a cookie.

Twilio keeps the cookies a messaging webhook sets for each pair of phone numbers (for up to four hours) and sends
them back with the next message of that pair. The first message of a conversation gets a greeting and sets
`count` to 1; the next ones get "Your current count is N" up to 5; the one after that ends the count and removes
the cookie, so the following message starts over.
"""

from twilio.twiml.messaging_response import MessagingResponse

from pyserverless import Response
from pyserverless.types import SmsWebhook

LAST_COUNT = 5


def handler(context, event: SmsWebhook, callback):
    count = read_count(event["request"]["cookies"])
    twiml = MessagingResponse()
    response = Response()
    if count is None:
        twiml.message("Hello, thanks for the new message!")
        response.set_cookie("count", "1")
    elif count <= LAST_COUNT:
        twiml.message(f"Your current count is {count}")
        response.set_cookie("count", str(count + 1))
    else:
        twiml.message("You've reached the end of the count!")
        response.remove_cookie("count")
    response.append_header("Content-Type", "text/xml")
    response.set_body(str(twiml))
    callback(None, response)


def read_count(cookies):
    """The count the conversation's cookie holds, or None when it has none (or one this function never set)."""
    try:
        count = int(cookies.get("count", ""))
    except ValueError:
        return None
    return count if 1 <= count <= LAST_COUNT + 1 else None
