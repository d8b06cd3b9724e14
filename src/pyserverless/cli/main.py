"""The `pyserverless` command: builds the Typer app and turns every failure into a message and an exit code.

`main()` runs the app with click's standalone mode off so that it sees every exception: a `UserError` becomes
a red panel and exit code 1, a usage error the usual usage message and exit code 1, Ctrl-C exit code 130, and
any other exception a short "unexpected error" panel. `--debug` or `PYSERVERLESS_DEBUG=1` adds the traceback.
Command modules import their heavy dependencies inside the command, so `pyserverless --help` stays fast.
"""

from __future__ import annotations

import os
import sys

import typer

from pyserverless import __version__
from pyserverless.cli import (
    call,
    deploy,
    env,
    init,
    list_deployed,
    list_templates,
    logs,
    new,
    phone_numbers,
    promote,
    remove,
    replay,
    serve,
    simulator_session,
    sms,
    start,
)
from pyserverless.cli.defaults import configured
from pyserverless.cli.help_text import PlainHelpCommand
from pyserverless.cli.lazy_group import LazyGroup, build_cli
from pyserverless.cli.options import DeployedEnvironmentCommand, DeployedServiceCommand
from pyserverless.errors import UserError

app = typer.Typer(
    name="pyserverless",
    help="The Twilio Serverless Toolkit for Python: build, run and deploy SMS and voice webhooks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Plain click help: Typer's rich help imports rich.markdown and rich.traceback, which doubles the time of
    # `pyserverless --help` (bench/help_speed). Errors and command output still use rich (cli/output.py).
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    # Commands are built when used, not all at start (cli/lazy_group.py): `pyserverless --help` stays fast.
    cls=LazyGroup,
)

app.command("init", cls=PlainHelpCommand)(init.command)
app.command("new", cls=PlainHelpCommand)(new.command)
app.command("list-templates", cls=PlainHelpCommand)(list_templates.command)
app.command("start", cls=configured(*start.CONFIG_KEYS))(start.command)
app.command("deploy", cls=configured(*deploy.CONFIG_KEYS))(deploy.command)
app.command("serve", cls=configured(*serve.CONFIG_KEYS))(serve.command)
app.command("sms", cls=configured(*simulator_session.CONFIG_KEYS))(sms.command)
app.command("call", cls=configured(*simulator_session.CONFIG_KEYS))(call.command)
app.command("replay", cls=configured(*replay.CONFIG_KEYS))(replay.command)
app.command("phone-numbers:update", cls=configured(*phone_numbers.CONFIG_KEYS))(phone_numbers.command)
app.add_typer(phone_numbers.app, name="phone-numbers")
app.command("list", cls=DeployedEnvironmentCommand)(list_deployed.command)
app.command("logs", cls=DeployedEnvironmentCommand)(logs.command)
app.add_typer(env.app, name="env")
app.command("promote", cls=DeployedServiceCommand)(promote.command)
app.command("remove", cls=DeployedEnvironmentCommand)(remove.command)

#: Whether --debug was given (set by the root callback, read when an error is shown).
_options = {"debug": False}


def _show_version(value: bool) -> None:
    if value:
        print(f"pyserverless {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
    ),
    debug: bool = typer.Option(
        False,
        "--debug",
        envvar="PYSERVERLESS_DEBUG",
        help="Show tracebacks of errors (or PYSERVERLESS_DEBUG=1).",
    ),
) -> None:
    """The Twilio Serverless Toolkit for Python."""
    _options["debug"] = debug


def debug_enabled() -> bool:
    return _options["debug"] or os.environ.get("PYSERVERLESS_DEBUG", "").lower() in ("1", "true", "yes")


def expand_ngrok_domain(args: list[str]) -> list[str]:
    """Read the Node toolkit's `--ngrok=DOMAIN` as `--ngrok-domain DOMAIN`, and `--ngrok=` as `--ngrok`.

    Typer has no option with an optional value, so the `=` spelling is rewritten before parsing; a bare
    `--ngrok` stays a flag and never swallows the argument after it.
    """
    expanded: list[str] = []
    for index, arg in enumerate(args):
        if arg == "--":
            return expanded + args[index:]
        if arg.startswith("--ngrok="):
            domain = arg.removeprefix("--ngrok=")
            expanded += ["--ngrok-domain", domain] if domain else ["--ngrok"]
        else:
            expanded.append(arg)
    return expanded


def main() -> None:
    try:
        result = build_cli(app)(args=expand_ngrok_domain(sys.argv[1:]), standalone_mode=False)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:
        sys.exit(_report(error))
    sys.exit(result if isinstance(result, int) else 0)


def _report(error: Exception) -> int:
    """Show why the command failed, inside its `except` block; the exit code. Rich is loaded only here."""
    from pyserverless.cli.output import err_console, render_error

    if isinstance(error, typer.Abort):
        err_console.print("Aborted.")
        return 130
    if isinstance(error, typer.TyperException):
        # Usage errors: Typer 0.28+ raises those of its own copy of click (click itself is not imported).
        show = getattr(error, "show", None)
        if callable(show):
            show()
        else:
            err_console.print(error.format_message())
        return 1
    if debug_enabled():
        err_console.print_exception()
    if not isinstance(error, UserError):
        error = UserError(
            f"pyserverless stopped on an unexpected error: {type(error).__name__}: {error}",
            hint="Run the command again with --debug to see the traceback, and report it as a bug.",
        )
    render_error(error)
    return 1
