"""The `context` a handler receives, and the Twilio client it (and `Runtime.get_sync`) can build.

`context.X` reads variable X of the project's environment; `PATH` (this function's route) and `DOMAIN_NAME`
(the host the caller used) are set by the runtime and win over the environment, `SERVICE_SID` and
`ENVIRONMENT_SID` are None unless the host knows them. A variable the environment lacks reads as None, as
`context.X` is `undefined` in JavaScript (so `context.X or "default"` works), and the log says so once per
name (`unset_logged`, shared by every context of one dispatcher); `context.get(name, default)` reads one
without that log line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

ACCOUNT_SID_PATTERN = re.compile(r"AC[0-9a-fA-F]{32}")
AUTH_TOKEN_PATTERN = re.compile(r"[0-9a-zA-Z]{32}")
RUNTIME_VARIABLES = ("PATH", "DOMAIN_NAME")
#: What the runtime sets on every context, never read from the environment.
CONTEXT_ATTRIBUTES = (*RUNTIME_VARIABLES, "SERVICE_SID", "ENVIRONMENT_SID")
RUNTIME_LOGGER = logging.getLogger("pyserverless.runtime")


class TwilioCredentialsError(RuntimeError):
    """ACCOUNT_SID or AUTH_TOKEN is missing or malformed, so no Twilio client can be built."""


def twilio_client(env: Mapping[str, str], **options: Any) -> Any:
    """A `twilio.rest.Client` for the project's ACCOUNT_SID and AUTH_TOKEN; `options` go to the client."""
    account_sid = env.get("ACCOUNT_SID", "")
    auth_token = env.get("AUTH_TOKEN", "")
    if not account_sid or not auth_token:
        missing = " and ".join(
            name for name, value in (("ACCOUNT_SID", account_sid), ("AUTH_TOKEN", auth_token)) if not value
        )
        raise TwilioCredentialsError(
            f"{missing} {'is' if ' and ' not in missing else 'are'} not set: a Twilio client needs the "
            "project's ACCOUNT_SID and AUTH_TOKEN. Add them to .env (find them in the Twilio Console)."
        )
    if not ACCOUNT_SID_PATTERN.fullmatch(account_sid):
        raise TwilioCredentialsError(
            "ACCOUNT_SID is malformed: an Account SID is 'AC' followed by 32 hexadecimal characters. "
            "Copy it from the Twilio Console into .env."
        )
    if not AUTH_TOKEN_PATTERN.fullmatch(auth_token):
        raise TwilioCredentialsError(
            "AUTH_TOKEN is malformed: an Auth Token is 32 letters and digits. "
            "Copy it from the Twilio Console into .env."
        )
    from twilio.rest import Client

    arguments: dict[str, Any] = {"username": account_sid, "password": auth_token, **options}
    return Client(**arguments)


class Context:
    """Attribute access to the environment plus the runtime's variables; see the module docstring."""

    def __init__(
        self,
        env: Mapping[str, str],
        path: str,
        domain_name: str,
        service_sid: str | None = None,
        environment_sid: str | None = None,
        *,
        unset_logged: set[str] | None = None,
    ) -> None:
        self._env = env
        self._unset_logged = set() if unset_logged is None else unset_logged
        self.PATH = path
        self.DOMAIN_NAME = domain_name
        self.SERVICE_SID = service_sid
        self.ENVIRONMENT_SID = environment_sid

    def __getattr__(self, name: str) -> str | None:
        # Only called for names that are not attributes of the instance: the environment's variables.
        if name.startswith("__"):
            raise AttributeError(name)
        value = self._env.get(name)
        if value is None and name not in self._unset_logged:
            self._unset_logged.add(name)
            RUNTIME_LOGGER.warning(
                "%s read context.%s, which is not set, so it is None: add %s=... to the project's .env, "
                "or read it with context.get(%r, default).",
                self.PATH,
                name,
                name,
                name,
                extra={"route": self.PATH},
            )
        return value

    def get(self, name: str, default: str | None = None) -> str | None:
        """`context.get("NAME")`: the variable, or `default` when the environment has no such variable."""
        if name in CONTEXT_ATTRIBUTES:
            value: str | None = getattr(self, name)
            return value
        return self._env.get(name, default)

    def get_twilio_client(self, **options: Any) -> Any:
        """A `twilio.rest.Client` from ACCOUNT_SID/AUTH_TOKEN; `TwilioCredentialsError` when they are bad."""
        return twilio_client(self._env, **options)

    def __repr__(self) -> str:
        return (
            f"Context(PATH={self.PATH!r}, DOMAIN_NAME={self.DOMAIN_NAME!r}, variables={sorted(self._env)!r})"
        )
