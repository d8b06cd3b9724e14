"""Option defaults from `[tool.pyserverless]`: flag > env var > config > default, decided by click."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from pyserverless.cli.defaults import configured, given
from tests.support.project_files import write_files


def port_app(*keys: str) -> typer.Typer:
    """A command that prints its port and whether the user gave it, its defaults from the config's `keys`."""
    app = typer.Typer()

    @app.command(cls=configured(*keys))
    def serve(
        ctx: typer.Context,
        port: Annotated[int, typer.Option(envvar="PORT")] = 3000,
        cwd: Annotated[Path | None, typer.Option()] = None,
    ) -> None:
        print(port, given(ctx, "port"))

    return app


def run(app: typer.Typer, args: list[str], env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize(
    ("args", "env", "config", "expected"),
    [
        ([], {}, "", "3000 False"),
        ([], {}, "port = 4000", "4000 False"),
        ([], {"PORT": "5000"}, "port = 4000", "5000 True"),
        (["--port", "6000"], {"PORT": "5000"}, "port = 4000", "6000 True"),
        (["--port", "3000"], {}, "port = 4000", "3000 True"),
        ([], {"PORT": "3000"}, "port = 4000", "3000 True"),
    ],
)
def test_flag_beats_environment_beats_config_beats_default(
    tmp_path: Path, args: list[str], env: dict[str, str], config: str, expected: str
) -> None:
    write_files(tmp_path, {"functions/a.py": "", "pyproject.toml": f"[tool.pyserverless]\n{config}\n"})
    assert run(port_app("port"), [*args, "--cwd", str(tmp_path)], env) == f"{expected}\n"


def test_only_the_keys_the_command_names_give_defaults(tmp_path: Path) -> None:
    write_files(tmp_path, {"functions/a.py": "", "pyproject.toml": "[tool.pyserverless]\nport = 4000\n"})
    assert run(port_app("timeout"), ["--cwd", str(tmp_path)]) == "3000 False\n"


def test_a_folder_that_is_no_project_gives_no_defaults(tmp_path: Path) -> None:
    assert run(port_app("port"), ["--cwd", str(tmp_path)]) == "3000 False\n"


def test_an_unreadable_config_is_reported_after_parsing_so_help_still_works(tmp_path: Path) -> None:
    write_files(tmp_path, {"functions/a.py": "", "pyproject.toml": "[tool.pyserverless\n"})
    assert "--port" in run(port_app("port"), ["--cwd", str(tmp_path), "--help"])
    result = CliRunner().invoke(port_app("port"), ["--cwd", str(tmp_path)])
    assert result.exit_code == 1
    assert str(result.exception).startswith(f"{tmp_path / 'pyproject.toml'} is not valid TOML: ")


def test_the_ngrok_key_is_the_default_of_ngrok_domain(tmp_path: Path) -> None:
    app = typer.Typer()

    @app.command(cls=configured("ngrok"))
    def start(
        ngrok_domain: Annotated[str | None, typer.Option()] = None,
        cwd: Annotated[Path | None, typer.Option()] = None,
    ) -> None:
        print(ngrok_domain)

    write_files(
        tmp_path, {"functions/a.py": "", "pyproject.toml": '[tool.pyserverless]\nngrok = "me.ngrok.app"\n'}
    )
    assert run(app, ["--cwd", str(tmp_path)]) == "me.ngrok.app\n"


def test_a_key_pyserverless_does_not_know_is_refused_when_the_command_is_declared() -> None:
    with pytest.raises(ValueError, match=r"^not \[tool\.pyserverless\] keys: colour$"):
        configured("port", "colour")
