"""A Twilio phone number's webhooks through the REST API: find the number, update fields, restore them.

How it works: the number is found by E.164 (`IncomingPhoneNumbers.list(phone_number=...)`, exact match
kept) or fetched by its `PN…` SID. `apply_update` sends only the fields given, in one update, and keeps the
values before it; `restore_update` puts back the fields it changed, unless somebody changed them meanwhile
(those are left alone). If restoring fails, the error carries the exact `pyserverless phone-numbers:update`
command that restores the number by hand.
"""

from __future__ import annotations

import contextlib
import difflib
import re
import shlex
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pyserverless.errors import UserError
from pyserverless.twilio_api.client import TwilioApiError, api_errors, make_client
from pyserverless.twilio_api.credentials import Credentials


@dataclass(frozen=True)
class WebhookField:
    """One updatable field of a number: its name in the twilio library and JSON, its option, its label."""

    name: str
    option: str
    label: str

    @property
    def is_url(self) -> bool:
        return self.name.endswith("_url")


FIELDS = (
    WebhookField("friendly_name", "--friendly-name", "Friendly name"),
    WebhookField("sms_url", "--sms-url", "SMS URL"),
    WebhookField("sms_method", "--sms-method", "SMS method"),
    WebhookField("sms_fallback_url", "--sms-fallback-url", "SMS fallback URL"),
    WebhookField("sms_fallback_method", "--sms-fallback-method", "SMS fallback method"),
    WebhookField("voice_url", "--voice-url", "Voice URL"),
    WebhookField("voice_method", "--voice-method", "Voice method"),
    WebhookField("voice_fallback_url", "--voice-fallback-url", "Voice fallback URL"),
    WebhookField("voice_fallback_method", "--voice-fallback-method", "Voice fallback method"),
)
FIELDS_BY_NAME = {webhook.name: webhook for webhook in FIELDS}
METHODS = ("GET", "POST")

_E164 = re.compile(r"\+[1-9][0-9]{1,14}")
_NUMBER_SID = re.compile(r"PN[0-9a-fA-F]{32}")
_NUMBER_SEPARATORS = re.compile(r"[\s().-]")


@dataclass(frozen=True)
class PhoneNumber:
    """A number of the account and the current value of every field of `FIELDS` ('' when unset)."""

    sid: str
    phone_number: str
    values: Mapping[str, str]
    sms_application_sid: str = ""
    voice_application_sid: str = ""


@dataclass(frozen=True)
class TunnelLink:
    """A tunnel opened for the update: the local address it forwards to and its public URL."""

    local: str
    public_url: str


@dataclass(frozen=True)
class UpdateOutcome:
    """What an update did: the number before and after, the fields changed, the tunnel used."""

    credentials: Credentials
    before: PhoneNumber
    after: PhoneNumber
    changed: tuple[str, ...]
    tunnel: TunnelLink | None = None
    kept: bool = False

    def restore_command(self) -> str:
        return restore_command(self.before, self.changed)

    def to_json(self) -> dict[str, Any]:
        return {
            "account_sid": self.credentials.account_sid,
            "credentials": self.credentials.source,
            "sid": self.after.sid,
            "phone_number": self.after.phone_number,
            "changed": list(self.changed),
            "before": dict(self.before.values),
            "after": dict(self.after.values),
            "tunnel": None
            if self.tunnel is None
            else {"local": self.tunnel.local, "public_url": self.tunnel.public_url},
            "restore_on_exit": self.tunnel is not None and not self.kept,
        }


@dataclass(frozen=True)
class RestoreOutcome:
    """What restoring did: the number as restored and the fields left alone because they had changed since."""

    number: PhoneNumber
    restored: tuple[str, ...]
    left_alone: tuple[str, ...]


class NumbersApi:
    """The account's IncomingPhoneNumbers resource, with Twilio's errors turned into `UserError`s."""

    def __init__(self, credentials: Credentials, environ: Mapping[str, str]) -> None:
        self.credentials = credentials
        self.environ = environ
        self._client = make_client(credentials, environ)

    @property
    def _numbers(self) -> Any:
        return self._client.api.v2010.accounts(self.credentials.account_sid).incoming_phone_numbers

    def find(self, number: str) -> PhoneNumber:
        """The number given as E.164 (spaces, dashes and brackets allowed) or as its PN SID."""
        wanted = parse_number(number)
        if wanted.startswith("PN"):
            return self.fetch(wanted)
        with self._errors(wanted):
            for instance in self._numbers.list(phone_number=wanted, limit=20):
                if instance.phone_number == wanted:
                    return _phone_number(instance)
        raise self._not_found(wanted)

    def update(self, sid: str, changes: Mapping[str, str]) -> PhoneNumber:
        """Send exactly `changes` (field name → value) in one update; the number as Twilio returns it."""
        with self._errors(sid):
            return _phone_number(self._numbers(sid).update(**changes))

    def fetch(self, sid: str) -> PhoneNumber:
        with self._errors(sid):
            return _phone_number(self._numbers(sid).fetch())

    @contextlib.contextmanager
    def _errors(self, wanted: str) -> Iterator[None]:
        try:
            with api_errors(self.credentials, self.environ):
                yield
        except TwilioApiError as error:
            if error.code == 20404:
                raise self._not_found(wanted) from error
            if error.code == 21402:
                raise UserError(
                    f"Twilio refused a webhook URL: {error.message} (Twilio error 21402).",
                    hint="A webhook URL must be a full http:// or https:// URL (host, path, URL-encoded "
                    "query) that Twilio can reach over the internet.",
                ) from error
            raise UserError(
                f"Twilio answered {error.status}: {error.message} (Twilio error {error.code}).",
                hint=f"See https://www.twilio.com/docs/errors/{error.code}",
            ) from error

    def _not_found(self, wanted: str) -> UserError:
        account = self.credentials.account_sid
        try:
            with api_errors(self.credentials, self.environ):
                numbers = [_phone_number(instance) for instance in self._numbers.list(limit=1000)]
        except TwilioApiError as error:
            hint = f"The account's numbers could not be listed ({error.message})."
        else:
            hint = _close_numbers_hint(wanted, numbers)
        return UserError(
            f"{wanted} is not a phone number of account {account} (Twilio error 20404).",
            hint=f"{hint} Check the number, or the credentials ({self.credentials.source}) if it belongs to "
            "another account.",
        )


def _close_numbers_hint(wanted: str, numbers: list[PhoneNumber]) -> str:
    by_key = {(number.sid if wanted.startswith("PN") else number.phone_number): number for number in numbers}
    close = closest(wanted, by_key)
    if close:
        listed = ", ".join(f"{by_key[key].phone_number} ({by_key[key].sid})" for key in close)
        return f"Numbers of this account that look close: {listed}."
    if numbers:
        return f"None of the account's {len(numbers)} numbers looks close to it."
    return "This account has no phone numbers."


def closest(wanted: str, candidates: Iterable[str], limit: int = 5) -> list[str]:
    """The candidates that look like `wanted` (similarity 0.6 or more), most similar first."""
    scored = [
        (difflib.SequenceMatcher(None, wanted, candidate).ratio(), candidate) for candidate in candidates
    ]
    return [
        candidate for score, candidate in sorted(scored, key=lambda item: (-item[0], item[1])) if score >= 0.6
    ][:limit]


def _phone_number(instance: Any) -> PhoneNumber:
    return PhoneNumber(
        sid=str(instance.sid),
        phone_number=str(instance.phone_number),
        values={webhook.name: str(getattr(instance, webhook.name, None) or "") for webhook in FIELDS},
        sms_application_sid=str(instance.sms_application_sid or ""),
        voice_application_sid=str(instance.voice_application_sid or ""),
    )


def parse_number(text: str) -> str:
    """`+15551234567` (E.164, spaces, dashes and brackets allowed) or a `PN…` SID; else `UserError`."""
    if _NUMBER_SID.fullmatch(text):
        return text
    compact = _NUMBER_SEPARATORS.sub("", text)
    if _E164.fullmatch(compact):
        return compact
    if compact.isdigit():
        raise UserError(
            f"{text} has no country code.",
            hint=f"Write the number in E.164 form, with + and the country code: +{compact} if that is it.",
        )
    raise UserError(
        f"{text} is neither a phone number in E.164 form nor a phone number SID.",
        hint="Give the number as +15551234567 or its SID PN… (both are on the Twilio Console's number page).",
    )


def check_changes(changes: Mapping[str, str]) -> None:
    """Refuse unknown fields, methods other than GET/POST and URL values that are no URL, path or ''."""
    if not changes:
        options = ", ".join(webhook.option for webhook in FIELDS)
        raise UserError("Nothing to update: no field was given.", hint=f"Give at least one of {options}.")
    for name, value in changes.items():
        webhook = FIELDS_BY_NAME.get(name)
        if webhook is None:
            raise UserError(f"{name} is not a field of a phone number.", hint="Use the options of --help.")
        if name.endswith("_method") and value not in METHODS:
            raise UserError(
                f"{webhook.option} {value} is not an HTTP method Twilio uses.", hint="Use GET or POST."
            )
        if webhook.is_url and value and not value.startswith("/"):
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise UserError(
                    f"{webhook.option} {value} is not a URL.",
                    hint="Give a full URL (https://example.com/sms), a localhost URL "
                    "(http://localhost:3000/sms/reply, tunnelled for you) or a path of your deployed project "
                    "(/sms/reply), or '' to clear the field.",
                )


def restore_command(before: PhoneNumber, fields: tuple[str, ...]) -> str:
    """The `pyserverless phone-numbers:update` command that puts `fields` back to their values in `before`."""
    words = ["pyserverless", "phone-numbers:update", before.phone_number]
    for name in fields:
        words += [FIELDS_BY_NAME[name].option, before.values[name]]
    return " ".join(shlex.quote(word) for word in words)


def application_warnings(number: PhoneNumber, changes: Mapping[str, str]) -> list[str]:
    """Warnings for webhook changes that Twilio ignores because a TwiML app handles that channel."""
    warnings = []
    for channel, app_sid in (("sms", number.sms_application_sid), ("voice", number.voice_application_sid)):
        if app_sid and any(name.startswith(channel) for name in changes):
            warnings.append(
                f"{number.phone_number} hands {channel.upper() if channel == 'sms' else channel} to the "
                f"TwiML app {app_sid}: Twilio ignores its {channel} URLs until that app is removed from it."
            )
    return warnings


def apply_update(
    api: NumbersApi, number: PhoneNumber, changes: Mapping[str, str], tunnel: TunnelLink | None, keep: bool
) -> UpdateOutcome:
    """Send `changes` (final URLs) for `number`; the before → after of the update."""
    after = api.update(number.sid, changes)
    return UpdateOutcome(api.credentials, number, after, tuple(changes), tunnel, keep)


def restore_update(api: NumbersApi, outcome: UpdateOutcome) -> RestoreOutcome:
    """Put back the fields `outcome` changed, unless changed since by someone else; `UserError` on failure."""
    try:
        current = api.fetch(outcome.after.sid)
        ours = tuple(name for name in outcome.changed if current.values[name] == outcome.after.values[name])
        previous = {name: outcome.before.values[name] for name in ours}
        restored = api.update(outcome.after.sid, previous) if previous else current
    except UserError as error:
        raise UserError(
            f"Could not restore the previous webhooks of {outcome.before.phone_number}: {error.message}",
            hint=f"It still points at the values set by this command. Run this to restore it:\n"
            f"  {outcome.restore_command()}",
        ) from error
    left_alone = tuple(name for name in outcome.changed if name not in ours)
    return RestoreOutcome(restored, ours, left_alone)
