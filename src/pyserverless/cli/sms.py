"""`pyserverless sms PATH [BODY]`: text a messaging function as Twilio would, with no phone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from pyserverless.cli import simulator_session as session

if TYPE_CHECKING:
    from pyserverless.simulate.messaging import Conversation, SmsReply


@session.simulator_options
def command(
    path: Annotated[str, typer.Argument(help="The function's route, e.g. /sms/reply.")],
    body: Annotated[
        str | None, typer.Argument(help="The message text. Without it: an interactive conversation.")
    ] = None,
    *,
    sender: Annotated[
        str, typer.Option("--from", help="The sender's phone number (the person texting).")
    ] = session.DEFAULT_FROM,
    recipient: Annotated[str, typer.Option("--to", help="Your Twilio phone number.")] = session.DEFAULT_TO,
    method: session.MethodOption = "POST",
    media: Annotated[
        list[str] | None,
        typer.Option(metavar="<url>", help="A media URL sent with the message (repeat for several)."),
    ] = None,
    reset: Annotated[
        bool, typer.Option("--reset", help="Forget this From/To pair's cookies first: a new conversation.")
    ] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print each reply as JSON.")] = False,
    target: session.SimulatorTarget,
) -> None:
    """Send an inbound-SMS webhook to a function and show its reply; cookies kept per From/To pair as Twilio
    does (4 hours at most)."""
    from pyserverless.cli.output import err_console

    with target.session(path, persist_cookies=True) as simulator:
        conversation = simulator.sms(path, from_=sender, to=recipient, method=method)
        if reset:
            conversation.reset()
        where = simulator.transport.description
        if body is not None:
            if not json_output:
                err_console.print(
                    f"{sender} → {recipient} · {method} {conversation.url} ({where})", **session.QUIET
                )
            reply = conversation.send(body, media or [])
            show_reply(reply, json_output)
            if not reply.ok:
                raise typer.Exit(1)
            return
        err_console.print(
            f"Texting {conversation.url} ({where}) as {sender} → {recipient}. "
            "Type a message and press Enter; Ctrl-D ends.",
            **session.QUIET,
        )
        _converse(conversation, media or [], json_output)


def _converse(conversation: Conversation, media: list[str], json_output: bool) -> None:
    while True:
        try:
            text = input("you> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return
        if text.strip() or media:
            show_reply(conversation.send(text, media), json_output)


def show_reply(reply: SmsReply, json_output: bool) -> None:
    """The messages a reply sends, or the plain answer with its status when it is no TwiML or an error."""
    from pyserverless.cli.output import console, warn
    from pyserverless.cli.plain_output import print_json

    if json_output:
        print_json(reply.as_dict())
        return
    last = reply.last
    if not last.ok or not reply.is_twiml:
        console.print(
            f"HTTP {last.status} {last.content_type or '(no content type)'}", style="bold", **session.LITERAL
        )
        console.print(last.text, **session.LITERAL)
        if hint := session.refusal_hint(last):
            warn(hint)
    for message in reply.outgoing:
        prefix = f"[to {message.to}] " if message.to else ""
        console.print(f"{prefix}{message.body}", **session.LITERAL)
        for url in message.media:
            console.print(f"  media: {url}", **session.LITERAL)
    if last.ok and reply.is_twiml and not reply.outgoing and reply.problem is None:
        console.print("(no reply)", style="dim")
    for name in reply.ignored:
        warn(f"<{name}> is not a messaging TwiML verb: Twilio would not act on it.")
    if reply.problem:
        warn(reply.problem)
