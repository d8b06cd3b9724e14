"""The examples of README.md and docs/*.md stay true: every `pyserverless` command line in them is one the CLI
accepts, the terminal sessions (```console blocks) print what they show, the pytest examples pass, and the
code shown as a template's file is that file.

How it works: the fenced code blocks are read from the Markdown files. Each command line of a shell block
(continuation lines joined, `# comments` dropped, `&&` chains split) that runs `pyserverless` is parsed by the
real CLI with `--help` added: an unknown command or option fails, nothing runs. Commands that need no network
run for real: each console block, in order, in a new project holding the default template and the voice-ivr
template's `/ivr`, with credentials in its `.env` (the blocks text and call protected functions).
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import io
import itertools
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pyserverless.cli.lazy_group import build_cli
from pyserverless.cli.main import app, expand_ngrok_domain
from tests.support.cli_process import run_cli
from tests.support.init_trees import SID, TOKEN

REPOSITORY = Path(__file__).resolve().parents[3]
DOCUMENTS = [REPOSITORY / "README.md", *sorted((REPOSITORY / "docs").glob("*.md"))]
TEMPLATES = REPOSITORY / "templates"
SHELL_LANGUAGES = ("", "bash", "sh", "shell", "console")
_FENCE = re.compile(r"^( *)```(\w*)\n(.*?)^\1```$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Block:
    document: str
    line: int
    language: str
    text: str


def blocks() -> Iterator[Block]:
    for document in DOCUMENTS:
        markdown = document.read_text(encoding="utf-8")
        for match in _FENCE.finditer(markdown):
            line = markdown.count("\n", 0, match.start()) + 1
            text = textwrap.dedent(match.group(3))  # a block in a list item is indented
            yield Block(document.relative_to(REPOSITORY).as_posix(), line, match.group(2), text)


def shell_commands(block: Block) -> Iterator[list[str]]:
    """Each command of a shell block as words: `$ ` prompts only in a console block, `\\` lines joined."""
    lines = block.text.splitlines()
    if block.language == "console":
        lines = [line[2:] for line in lines if line.startswith("$ ")]
    for command in "\n".join(lines).replace("\\\n", " ").splitlines():
        try:
            words = shlex.split(command, comments=True)
        except ValueError:  # a line of output shown in a plain block ("don't")
            assert "pyserverless " not in command, f"{block.document}:{block.line}: {command}"
            continue
        chain: list[str] = []
        for word in [*words, "&&"]:
            if word != "&&":
                chain.append(word)
                continue
            yield chain
            chain = []


def pyserverless_commands() -> list[tuple[str, list[str]]]:
    """(where, arguments) of every `pyserverless` command in a shell block, `VAR=value` prefixes left out."""
    found = []
    for block in blocks():
        if block.language not in SHELL_LANGUAGES:
            continue
        for command in shell_commands(block):
            words = list(itertools.dropwhile(lambda word: re.fullmatch(r"[A-Z_]+=.*", word), command))
            if words and words[0] == "pyserverless":
                found.append((f"{block.document}:{block.line}", words[1:]))
            elif words[:3] == ["python", "-m", "debugpy"] and "pyserverless" in words:
                found.append((f"{block.document}:{block.line}", words[words.index("pyserverless") + 1 :]))
    return found


COMMANDS = pyserverless_commands()


def test_the_docs_have_commands_to_check() -> None:
    assert len(COMMANDS) > 30
    assert {where.split(":")[0] for where, _ in COMMANDS} >= {
        "README.md",
        "docs/deploy.md",
        "docs/local-development.md",
        "docs/operations.md",
        "docs/phone-numbers.md",
        "docs/testing.md",
    }


@pytest.mark.parametrize(("where", "arguments"), COMMANDS, ids=[where for where, _ in COMMANDS])
def test_every_command_in_the_docs_is_one_the_cli_accepts(where: str, arguments: list[str]) -> None:
    help_text = io.StringIO()
    with contextlib.redirect_stdout(help_text):
        exit_code = build_cli(app)(args=[*expand_ngrok_domain(arguments), "--help"], standalone_mode=False)
    assert exit_code == 0, where
    assert help_text.getvalue().startswith("Usage: "), where


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default template's project with the voice-ivr template's /ivr, and credentials in .env."""
    parent = tmp_path_factory.mktemp("docs")
    result = run_cli("init", "demo", "--account-sid", SID, "--auth-token", TOKEN, cwd=parent)
    assert result.returncode == 0, result.stderr
    root = parent / "demo"
    shutil.copy(TEMPLATES / "voice-ivr" / "functions" / "ivr.protected.py", root / "functions")
    return root


CONSOLE_BLOCKS = [block for block in blocks() if block.language == "console"]


@pytest.mark.parametrize("block", CONSOLE_BLOCKS, ids=[f"{b.document}:{b.line}" for b in CONSOLE_BLOCKS])
def test_terminal_sessions_print_what_the_docs_show(block: Block, project: Path) -> None:
    shutil.rmtree(project / ".pyserverless", ignore_errors=True)  # each session starts a new conversation
    sessions = re.split(r"^\$ ", block.text, flags=re.MULTILINE)[1:]
    for session in sessions:
        command, _, shown = session.partition("\n")
        [words] = shell_commands(Block(block.document, block.line, "console", f"$ {command}"))
        assert words[0] == "pyserverless"
        result = run_cli(*words[1:], cwd=project)
        assert (result.returncode, result.stdout) == (0, shown), f"{command}\n{result.stderr}"


def test_the_pytest_examples_pass(project: Path) -> None:
    [testing] = [
        block
        for block in blocks()
        if block.document == "docs/testing.md" and "def test_the_counter(" in block.text
    ]
    (project / "tests" / "test_from_the_docs.py").write_text(testing.text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_from_the_docs.py"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("2 passed")


def without_docstrings(code: str) -> str:
    """The code's syntax tree, docstrings and comments left out."""
    tree = ast.parse(code)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        ):
            node.body = body[1:]  # type: ignore[attr-defined]
    return ast.dump(tree)


@pytest.mark.parametrize("document", ["README.md", "docs/runtime.md"])
def test_the_counter_shown_is_the_default_templates(document: str) -> None:
    [shown] = [
        block
        for block in blocks()
        if block.document == document and block.language == "python" and "LAST_COUNT" in block.text
    ]
    generated = (TEMPLATES / "default" / "functions" / "state.protected.py").read_text(encoding="utf-8")
    assert without_docstrings(shown.text) == without_docstrings(generated)


@pytest.mark.skipif(importlib.util.find_spec("ruff") is None, reason="ruff comes with the test extra")
def test_a_demo_project_made_in_the_clone_is_left_out_of_ruff(tmp_path: Path) -> None:
    shutil.copy(REPOSITORY / "pyproject.toml", tmp_path)
    assert run_cli("init", "demo", cwd=tmp_path).returncode == 0
    checked = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (checked.returncode, checked.stdout) == (0, "All checks passed!\n")
