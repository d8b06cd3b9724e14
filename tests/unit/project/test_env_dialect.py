"""`.env` lines that python-dotenv and Twilio's Node tooling read differently get a warning at load time."""

from __future__ import annotations

from pathlib import Path

from pyserverless.project.env_dialect import env_dialect_warnings
from pyserverless.project.folder import load_project
from tests.support.project_files import write_files


def test_export_and_unquoted_comments_are_named_by_line(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text(
        "# a comment line\n"
        "export API_KEY=secret-value\n"
        "GREETING=hello # the greeting\n"
        'QUOTED="two words # kept"\n'
        'QUOTED_THEN_COMMENT="x" # note\n'
        'MULTILINE="one\n# not a comment\ntwo"\n'
        "HASH_IN_VALUE=a#b\n"
        "SPACED = padded \n"
        "EMPTY=\n"
        "BARE_KEY\n",
        encoding="utf-8",
    )
    comment = (
        "starts a comment here, but Twilio's Node tooling keeps it in the value; quote the value if the # is "
        "part of it"
    )
    assert env_dialect_warnings(env) == [
        f"{env} line 2: `export API_KEY=...` is read here, but Twilio's Node tooling ignores the whole line; "
        "write `API_KEY=...` without `export`.",
        f'{env} line 3: the ` #` after the value of GREETING {comment} (GREETING="... # ..."), or move the '
        "comment onto a line of its own.",
        f"{env} line 5: the ` #` after the value of QUOTED_THEN_COMMENT {comment} "
        '(QUOTED_THEN_COMMENT="... # ..."), or move the comment onto a line of its own.',
    ]


def test_warnings_never_show_a_value(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("export AUTH_TOKEN=0123456789abcdef # old token\n", encoding="utf-8")
    warnings = env_dialect_warnings(env)
    assert len(warnings) == 2
    assert not any("0123456789abcdef" in warning or "old token" in warning for warning in warnings)


def test_a_file_both_read_alike_has_no_warning(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text('A=1\nB="x # y"\n# comment\nC=\n', encoding="utf-8")
    assert env_dialect_warnings(env) == []


def test_load_project_adds_them_to_the_warnings_start_and_deploy_print(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/hello.py", {".env": "A=1\nexport B=2\n", "other.env": "C=3 # c\n"})
    assert [warning.split(": ", 1)[0] for warning in load_project(tmp_path).warnings] == [
        f"{tmp_path / '.env'} line 2"
    ]
    chosen = load_project(tmp_path, Path("other.env")).warnings
    assert [warning.split(": ", 1)[0] for warning in chosen] == [f"{tmp_path / 'other.env'} line 1"]
