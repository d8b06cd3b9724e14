"""`build_cli`: the root group lists commands from their docstrings and builds one only when it is used."""

from __future__ import annotations

import contextlib
from typing import Annotated

import pytest
import typer

from pyserverless.cli.lazy_group import LazyGroup, build_cli


def make_app(ran: list[str]) -> typer.Typer:
    app = typer.Typer(cls=LazyGroup, rich_markup_mode=None, add_completion=False)

    @app.callback()
    def root() -> None:
        """The root."""

    def greet(
        name: Annotated[str, typer.Argument()], loud: Annotated[bool, typer.Option("--loud")] = False
    ) -> None:
        """Say hello to NAME.

        A longer description that --help of the group leaves out.
        """
        ran.append(f"greet {name} {loud}")

    def hidden() -> None:
        """Not listed."""

    sub = typer.Typer(help="Commands about numbers.")

    @sub.command("add")
    def add(a: int, b: int) -> None:
        """Add two numbers."""
        ran.append(f"add {a + b}")

    app.command("greet")(greet)
    app.command("hidden", hidden=True)(hidden)
    app.add_typer(sub, name="numbers")
    return app


def run(app: typer.Typer, args: list[str]) -> LazyGroup:
    cli = build_cli(app)
    with contextlib.suppress(SystemExit):
        cli.main(args, prog_name="demo", standalone_mode=False)
    return cli


def test_help_lists_every_command_without_building_one(capsys: pytest.CaptureFixture[str]) -> None:
    cli = run(make_app([]), ["--help"])
    output = capsys.readouterr().out
    assert "Commands:\n  greet    Say hello to NAME.\n  numbers  Commands about numbers.\n" in output
    assert "hidden" not in output
    assert dict(cli.commands) == {}


def test_a_command_is_built_when_it_runs(capsys: pytest.CaptureFixture[str]) -> None:
    ran: list[str] = []
    cli = run(make_app(ran), ["greet", "Ada", "--loud"])
    assert ran == ["greet Ada True"]
    assert list(cli.commands) == ["greet"]


def test_a_sub_app_is_built_when_it_runs() -> None:
    ran: list[str] = []
    run(make_app(ran), ["numbers", "add", "2", "3"])
    assert ran == ["add 5"]


def test_the_registration_order_is_kept() -> None:
    cli = build_cli(make_app([]))
    assert cli.list_commands(typer.Context(cli)) == ["greet", "hidden", "numbers"]


def test_an_app_without_the_lazy_group_is_refused() -> None:
    app = typer.Typer()

    @app.callback()
    def root() -> None: ...

    @app.command()
    def one() -> None: ...

    with pytest.raises(TypeError, match="cls=LazyGroup"):
        build_cli(app)
