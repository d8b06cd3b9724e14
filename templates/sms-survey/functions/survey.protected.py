"""A three-question SMS survey with no database: the answers so far live in cookies of the conversation.

Point a phone number's "A message comes in" webhook here. The first text starts the survey; each reply answers
the current question, which is checked (a number from 1 to 5, YES or NO, any text) and asked again when it does
not fit. Twilio keeps the cookies of a conversation for up to four hours, so a survey left unfinished for
longer starts over. When the last answer arrives the cookies are removed and `save_answers` logs the answers
as one JSON line: replace it to store them somewhere (a Google Sheet, Airtable, your own API).
"""

import json
import logging
from urllib.parse import quote, unquote

from twilio.twiml.messaging_response import MessagingResponse

from pyserverless import Response
from pyserverless.types import SmsWebhook

log = logging.getLogger(__name__)

QUESTIONS = [
    ("rating", "From 1 (poor) to 5 (great), how was your visit today?"),
    ("recommend", "Would you recommend us to a friend? Reply YES or NO."),
    ("comment", "Last one: what could we do better?"),
]
MAX_ANSWER_LENGTH = 300


def handler(context, event: SmsWebhook, callback):
    cookies = event["request"]["cookies"]
    answers = {name: unquote(cookies[name]) for name, _ in QUESTIONS if name in cookies}
    current = next((index for index, (name, _) in enumerate(QUESTIONS) if name not in answers), 0)
    twiml = MessagingResponse()
    response = Response()
    if "survey" not in cookies:
        twiml.message(f"Thanks for taking our 3-question survey! {QUESTIONS[0][1]}")
        response.set_cookie("survey", "started")
        for name, _ in QUESTIONS:
            response.remove_cookie(name)
    else:
        name, question = QUESTIONS[current]
        answer, problem = check_answer(name, event.get("Body", ""))
        if problem:
            twiml.message(f"{problem} {question}")
        elif current + 1 < len(QUESTIONS):
            response.set_cookie(name, quote(answer, safe=""))
            twiml.message(QUESTIONS[current + 1][1])
        else:
            answers[name] = answer
            save_answers(event.get("From", ""), answers)
            twiml.message("Thank you! Your answers help us get better.")
            for cookie in ["survey", *(name for name, _ in QUESTIONS)]:
                response.remove_cookie(cookie)
    response.append_header("Content-Type", "text/xml")
    response.set_body(str(twiml))
    callback(None, response)


def check_answer(name, text):
    """The answer to keep and, when the text does not answer the question, what is wrong with it."""
    text = text.strip()
    if name == "rating":
        return text, None if text in ("1", "2", "3", "4", "5") else "Please answer with a number from 1 to 5."
    if name == "recommend":
        word = text.upper().rstrip(".!")
        return word, None if word in ("YES", "NO") else "Please answer YES or NO."
    return text[:MAX_ANSWER_LENGTH], None if text else "Please write a few words."


def save_answers(sender, answers):
    """Where the answers go when the survey ends: the log, as one JSON line. Replace with your own storage."""
    log.info("Survey answers: %s", json.dumps({"from": sender, **answers}, sort_keys=True))
