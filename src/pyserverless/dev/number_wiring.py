"""`start --sms-number NUMBER[:PATH]` / `--voice-number NUMBER[:PATH]`: numbers follow the dev server.

How it works: `start` builds a `NumberWiring` from the options before it binds (numbers and paths checked,
credentials resolved as `phone-numbers:update` does: environment, then the project's env file) and settles
each number's route (`with_routes`: the only function, or the user picks one on a terminal). Once the
public URL is known (ngrok tunnel or `--public-url`), `numbers_wired` looks each number up and sets its SMS or
voice URL to the public URL + PATH, one update per number; it yields while the server runs. When the server
stops (Ctrl-C, SIGTERM or an error) it restores every field it changed, unless somebody changed it meanwhile,
with SIGINT/SIGTERM ignored so a second Ctrl-C cannot cut the restore short; only then does `start` close the
tunnel. A failed restore ends in a `UserError` that lists the commands restoring each number by hand.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from pyserverless.errors import UserError
from pyserverless.project.folder import load_env
from pyserverless.runtime.routes import RouteTable
from pyserverless.signals import handling_signals
from pyserverless.twilio_api.credentials import Credentials, resolve_credentials
from pyserverless.twilio_api.phone_numbers import (
    FIELDS_BY_NAME,
    NumbersApi,
    UpdateOutcome,
    application_warnings,
    apply_update,
    parse_number,
    restore_update,
)

OPTIONS = {"sms_url": "--sms-number", "voice_url": "--voice-number"}


@dataclass(frozen=True)
class NumberTarget:
    """One `--sms-number`/`--voice-number`: which number, which field, which route (None: the only one)."""

    number: str
    field: str
    path: str | None


@dataclass(frozen=True)
class NumberWiring:
    """The numbers `start` points at its public URL, and the credentials to do it with."""

    targets: tuple[NumberTarget, ...]
    credentials: Credentials
    environ: Mapping[str, str]


def parse_target(text: str, field: str) -> NumberTarget:
    """`+15551234567:/sms/reply` (or a PN SID, or no `:PATH`) as a target for `field`."""
    number, separator, path = text.partition(":")
    if separator and not path.startswith("/"):
        raise UserError(
            f"{OPTIONS[field]} {text}: the path after ':' must start with /.",
            hint=f"Write it as {OPTIONS[field]} +15551234567:/sms/reply.",
        )
    return NumberTarget(parse_number(number), field, path or None)


def wiring_from_options(
    sms_numbers: Sequence[str],
    voice_numbers: Sequence[str],
    *,
    public_url_known: bool,
    env_file: Path | None,
    environ: Mapping[str, str],
) -> NumberWiring | None:
    """The wiring asked for by `--sms-number`/`--voice-number`, checked before the server starts."""
    targets = tuple(
        [parse_target(text, "sms_url") for text in sms_numbers]
        + [parse_target(text, "voice_url") for text in voice_numbers]
    )
    if not targets:
        return None
    if not public_url_known:
        raise UserError(
            "--sms-number and --voice-number need a public URL that Twilio can call.",
            hint="Add --ngrok (or --public-url URL of your own tunnel).",
        )
    project_env = load_env(env_file) if env_file is not None and env_file.is_file() else None
    credentials = resolve_credentials(
        account_sid=None,
        auth_token=None,
        api_key=None,
        api_secret=None,
        environ=environ,
        project_env=project_env,
        env_file_label=str(env_file),
        accepts_flags=False,
    )
    return NumberWiring(targets, credentials, environ)


def route_for_target(
    target: NumberTarget, routes: RouteTable, choose: Callable[[str, list[str]], str] | None = None
) -> str:
    """The target's path, else the project's only function, else the one `choose(question, functions)`
    picks (on a terminal); with no way to choose, a `UserError` naming the functions."""
    if target.path is not None:
        return target.path
    functions = [route.path for route in routes.functions]
    if len(functions) == 1:
        return functions[0]
    option = OPTIONS[target.field]
    if choose is not None and functions:
        return choose(f"Which function should {option} {target.number} point at?", functions)
    listed = ", ".join(functions) or "none"
    example = functions[0] if functions else "/sms/reply"
    raise UserError(
        f"{option} {target.number} names no route, and the project has {len(functions)} functions "
        f"({listed}).",
        hint=f"Add the route after a colon: {option} {target.number}:{example}.",
    )


def with_routes(
    wiring: NumberWiring, routes: RouteTable, choose: Callable[[str, list[str]], str] | None
) -> NumberWiring:
    """The wiring with every target's route settled (see `route_for_target`), before the server starts."""
    targets = tuple(
        replace(target, path=route_for_target(target, routes, choose)) for target in wiring.targets
    )
    return replace(wiring, targets=targets)


@contextmanager
def numbers_wired(
    wiring: NumberWiring | None,
    public_url: str,
    routes: RouteTable,
    say: Callable[[str], None],
    warn: Callable[[str], None],
) -> Iterator[None]:
    """Point the numbers at `public_url` for the duration of the block, then put them back."""
    if wiring is None:
        yield
        return
    api = NumbersApi(wiring.credentials, wiring.environ)
    changes_by_number: dict[str, dict[str, str]] = {}
    for target in wiring.targets:
        path = route_for_target(target, routes)
        route = routes.get(path)
        if route is None:
            warn(f"{path} is not a route of the project (yet): Twilio will get 404 until it is.")
        elif route.visibility == "private":
            warn(f"{path} is private: Twilio will get 403. Make it protected (x.protected.py) instead.")
        changes_by_number.setdefault(target.number, {})[target.field] = public_url.rstrip("/") + path
    outcomes: list[UpdateOutcome] = []
    try:
        for number, changes in changes_by_number.items():
            current = api.find(number)
            for message in application_warnings(current, changes):
                warn(message)
            outcome = apply_update(api, current, changes, None, keep=False)
            outcomes.append(outcome)
            for name in outcome.changed:
                was = outcome.before.values[name] or "nothing"
                new = outcome.after.values[name]
                label = FIELDS_BY_NAME[name].label
                say(f"{outcome.after.phone_number} {label} → {new} (was {was}; restored on exit)")
        yield
    finally:
        with handling_signals(signal.SIG_IGN):
            _restore_all(api, outcomes, say, warn)


def _restore_all(
    api: NumbersApi, outcomes: list[UpdateOutcome], say: Callable[[str], None], warn: Callable[[str], None]
) -> None:
    failures: list[UserError] = []
    for outcome in outcomes:
        try:
            restored = restore_update(api, outcome)
        except UserError as error:
            failures.append(error)
            continue
        for name in restored.restored:
            value = restored.number.values[name] or "nothing"
            say(f"Restored {FIELDS_BY_NAME[name].label} of {restored.number.phone_number}: {value}")
        for name in restored.left_alone:
            warn(
                f"{FIELDS_BY_NAME[name].label} of {restored.number.phone_number} changed while the server "
                f"ran: left as {restored.number.values[name] or 'nothing'}."
            )
    if failures:
        raise UserError(
            "\n".join(failure.message for failure in failures),
            hint="\n".join(failure.hint or "" for failure in failures),
        )
