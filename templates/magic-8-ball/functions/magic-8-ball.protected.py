"""The magic 8-ball over SMS: text a yes-or-no question, get one of twenty answers.

Point a phone number's "A message comes in" webhook here. The answer is picked from a hash of the question
(ignoring case, spaces and punctuation), so asking the same question again gets the same answer, as a proper
oracle should; pick with `random.choice(ANSWERS)` instead for a new answer every time.
"""

import hashlib

from twilio.twiml.messaging_response import MessagingResponse

from pyserverless.types import SmsWebhook

ANSWERS = [
    # Yes (10)
    "Without a doubt.",
    "Yes, absolutely.",
    "You can count on it.",
    "All signs say yes.",
    "It is certain.",
    "Most likely.",
    "The outlook is good.",
    "Yes.",
    "I see it happening.",
    "As sure as the sun rises.",
    # Not sure (5)
    "The mist is too thick: ask again later.",
    "Better not tell you now.",
    "Cannot say yet.",
    "Concentrate and ask again.",
    "The answer is hazy.",
    # No (5)
    "Do not count on it.",
    "My answer is no.",
    "The outlook is not so good.",
    "Very doubtful.",
    "The stars say no.",
]


def handler(context, event: SmsWebhook, callback):
    question = "".join(char for char in event.get("Body", "").lower() if char.isalnum())
    twiml = MessagingResponse()
    if not question:
        twiml.message("Ask me a yes-or-no question and I will answer it.")
    else:
        digest = hashlib.sha256(question.encode("utf-8")).digest()
        twiml.message(f"🎱 {ANSWERS[int.from_bytes(digest[:4], 'big') % len(ANSWERS)]}")
    callback(None, twiml)
