"""A message status callback: Twilio posts here each time a message you sent changes status.

Give this function's URL as `status_callback` when you send a message
(`client.messages.create(to=..., from_=..., body=..., status_callback="https://.../message-status")`) or as
the Messaging Service's status callback. Twilio posts `MessageSid`, `MessageStatus` (queued, sent, delivered,
undelivered, failed, read, ...) and, for a failure, `ErrorCode`. Each status is logged; undelivered and failed
ones as warnings with the error code's documentation page. Twilio only needs a 200 answer: the body is ignored.
"""

import logging

from pyserverless.types import MessageStatusCallback

log = logging.getLogger(__name__)

FAILED = ("undelivered", "failed")


def handler(context, event: MessageStatusCallback, callback):
    sid = event.get("MessageSid", "?")
    status = event.get("MessageStatus", "?")
    to = event.get("To", "?")
    if status in FAILED:
        code = event.get("ErrorCode", "")
        log.warning(
            "Message %s to %s %s: error %s (https://www.twilio.com/docs/api/errors/%s)",
            sid,
            to,
            status,
            code,
            code,
        )
    else:
        log.info("Message %s to %s: %s", sid, to, status)
    callback(None, "")
