"""Routes each call by your business hours, read in your own time zone whatever the server's clock says.

Point a phone number's "A call comes in" webhook here. During OPENING_HOURS (in BUSINESS_TIME_ZONE, both in
.env) the call is forwarded to MY_PHONE_NUMBER; outside them the caller hears the hours and the call ends.

OPENING_HOURS is a comma-separated list of `DAYS HH:MM-HH:MM`, where DAYS is a day (`Sat`) or a range
(`Mon-Fri`); `24:00` is the end of the day; `closed` means never open. Time zones come from the system's
time zone database (`zoneinfo`); where there is none (Windows, slim containers) install `tzdata`
(`pip install tzdata`), or the hours are read in UTC and the log says so.
"""

import datetime
import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from twilio.twiml.voice_response import VoiceResponse

from pyserverless.types import VoiceWebhook

log = logging.getLogger(__name__)

DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def handler(context, event: VoiceWebhook, callback):
    twiml = VoiceResponse()
    hours_text = getattr(context, "OPENING_HOURS", "closed")
    try:
        hours = parse_opening_hours(hours_text)
    except ValueError as error:
        log.error("OPENING_HOURS in .env is not valid (%s): the line is treated as closed.", error)
        hours = []
    now = datetime.datetime.now(business_time_zone(getattr(context, "BUSINESS_TIME_ZONE", "UTC")))
    forward_to = getattr(context, "MY_PHONE_NUMBER", "").strip()
    if is_open(hours, now) and forward_to:
        twiml.say("Connecting you now.")
        twiml.dial(forward_to)
    else:
        if is_open(hours, now):
            log.warning("Open, but MY_PHONE_NUMBER is not set in .env: callers hear the closed message.")
        opening = f"Our opening hours are {hours_text}." if hours else "We are closed at the moment."
        twiml.say(f"Thanks for calling. We are closed right now. {opening} Please call again then. Goodbye!")
        twiml.hangup()
    callback(None, twiml)


def business_time_zone(name):
    """The time zone called `name`, or UTC (with an error in the log) when the system does not know it."""
    if name.strip().upper() in ("", "UTC"):
        return datetime.timezone.utc
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        log.error(
            "Unknown time zone %r in BUSINESS_TIME_ZONE: hours are read in UTC. Check the name, "
            "or install the time zone database with `pip install tzdata`.",
            name,
        )
        return datetime.timezone.utc


def parse_opening_hours(text):
    """`Mon-Fri 09:00-17:00, Sat 10:00-14:00` as a list of (weekday numbers, start minute, end minute)."""
    if text.strip().lower() == "closed":
        return []
    ranges = []
    for part in text.split(","):
        days_text, _, times_text = part.strip().partition(" ")
        first, _, last = days_text.partition("-")
        start_text, _, end_text = times_text.strip().partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise ValueError(f"{days_text!r} is not a day or range of days such as Mon-Fri")
        start, end = minutes(start_text), minutes(end_text)
        if start >= end:
            raise ValueError(f"{times_text!r} does not end after it starts")
        first_day, last_day = DAYS.index(first), DAYS.index(last or first)
        days = [day % 7 for day in range(first_day, last_day + (7 if last_day < first_day else 0) + 1)]
        ranges.append((days, start, end))
    return ranges


def minutes(text):
    """`09:30` as 570 minutes after midnight; `24:00` is 1440."""
    hours, colon, mins = text.partition(":")
    if not colon or not hours.isdigit() or not mins.isdigit() or int(hours) * 60 + int(mins) > 24 * 60:
        raise ValueError(f"{text!r} is not a time such as 09:00")
    return int(hours) * 60 + int(mins)


def is_open(hours, now):
    minute = now.hour * 60 + now.minute
    return any(now.weekday() in days and start <= minute < end for days, start, end in hours)
