"""`pyserverless call PATH`: call a voice function as Twilio would and walk its TwiML, with no phone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from pyserverless.cli import simulator_session as session

if TYPE_CHECKING:
    from pyserverless.simulate.voice import Call

KEYS = set("0123456789*#")


@session.simulator_options
def command(
    path: Annotated[str, typer.Argument(help="The voice function's route, e.g. /voice.")],
    *,
    digits: Annotated[
        str | None,
        typer.Option(
            help="Answers to the call's <Gather>s, comma-separated (e.g. 1,2): keys, or words for speech, or "
            "nothing for no input. When they run out the caller hangs up. Without it you are prompted."
        ),
    ] = None,
    caller: Annotated[str, typer.Option("--from", help="The caller's phone number.")] = session.DEFAULT_FROM,
    called: Annotated[str, typer.Option("--to", help="Your Twilio phone number.")] = session.DEFAULT_TO,
    method: session.MethodOption = "POST",
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the whole call as JSON at the end.")
    ] = False,
    target: session.SimulatorTarget,
) -> None:
    """Place a simulated call: <Say>/<Play>/<Pause> are printed, <Gather> asks for keys or speech, <Redirect>
    is followed, <Hangup> ends; cookies last for the call."""
    from pyserverless.cli.output import err_console, warn
    from pyserverless.cli.plain_output import print_json

    answers = None if digits is None else [answer.strip() for answer in digits.split(",")]
    with target.session(path, persist_cookies=False) as simulator:
        if not json_output:
            err_console.print(
                f"Calling {simulator.url_for(path)} ({simulator.transport.description}) "
                f"from {caller} to {called}.",
                **session.QUIET,
            )
        call = simulator.call(path, from_=caller, to=called, method=method)
        shown = _show_new(call, 0, json_output)
        while call.waiting:
            _answer(call, answers)
            shown = _show_new(call, shown, json_output)
        if json_output:
            print_json(call.as_dict())
        if call.events and call.events[-1].kind == "error":
            if call.exchanges and (hint := session.refusal_hint(call.exchanges[-1])):
                warn(hint)
            raise typer.Exit(1)


def _answer(call: Call, answers: list[str] | None) -> None:
    """Answer the waiting <Gather> from --digits, or from the keyboard; no answer left hangs up."""
    if answers is None:
        accepted = call.pending.verb.attribute("input", "dtmf").split() if call.pending else ["dtmf"]
        prompt = "keys or words" if "speech" in accepted else "keys"
        try:
            answer = input(f"{prompt} (Enter: no input, Ctrl-D: hang up)> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            call.hangup()
            return
    elif answers:
        answer = answers.pop(0)
    else:
        from pyserverless.cli.output import err_console

        err_console.print("No more --digits: the caller hangs up.", **session.QUIET)
        call.hangup()
        return
    if not answer:
        call.silence()
    elif set(answer) <= KEYS:
        call.press(answer)
    else:
        call.speak(answer)


def _show_new(call: Call, shown: int, json_output: bool) -> int:
    """Print the call's events from index `shown` on; returns how many are shown now."""
    from pyserverless.cli.output import console

    if not json_output:
        for event in call.events[shown:]:
            style = {"say": "bold", "error": "red", "input": "dim", "gather": "cyan"}.get(event.kind, "")
            label = "play: " if event.kind == "play" else ""
            text = f"“{event.text}”" if event.kind == "say" else event.text
            console.print(f"{label}{text}", style=style, **session.LITERAL)
    return len(call.events)
