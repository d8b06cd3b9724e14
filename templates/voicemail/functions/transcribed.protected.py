"""The voicemail's transcription callback: Twilio posts the text of a recording here once it is ready.

Twilio sends `TranscriptionStatus` (completed or failed), `TranscriptionText` and `RecordingUrl`. The text is
logged; send it on from here, for example by SMS to yourself:
`context.get_twilio_client().messages.create(to=..., from_=..., body=...)`.
"""

import logging

from pyserverless.types import TranscriptionResult

log = logging.getLogger(__name__)


def handler(context, event: TranscriptionResult, callback):
    if event.get("TranscriptionStatus") == "completed":
        log.info("Voicemail from %s says: %s", event.get("From", "?"), event.get("TranscriptionText", ""))
    else:
        log.warning("Twilio could not transcribe the voicemail at %s", event.get("RecordingUrl", "?"))
    callback(None, "")
