"""`sms-wordle` played through `pyserverless sms`, as a user plays it from a terminal: a loss, then a win.

The game lives in the conversation's cookies, which the CLI keeps in `.pyserverless/cookies.json` between runs,
so a game started by one `pyserverless sms` continues in the next. Puzzle #1's word is PLANT, #3's MOIST.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.cli_process import run_cli
from tests.support.ports import free_port

TOKEN = "0123456789abcdef0123456789abcdef"
LATER = "A new word comes tomorrow; text PLAY and a number for an earlier puzzle."
RULES = (
    "guess the 5-letter word in 6 tries. After each guess, 🟩 is a right letter in the right place, "
    "🟨 a letter of the word in another place, ⬛ a letter not in the word. Text your first guess!"
)
LOST_BOARD = "CRANE ⬛⬛⬛⬛⬛\nPLANT ⬛⬛⬛⬛🟩\nSUGAR 🟨⬛⬛⬛⬛\nHOTEL ⬛🟩🟨⬛⬛\nTOAST ⬛🟩⬛🟩🟩"


def test_a_loss_then_a_win_through_the_cli(tmp_path: Path) -> None:
    created = run_cli("init", "wordle", "--template", "sms-wordle", "--auth-token", TOKEN, cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    project = tmp_path / "wordle"
    port = ["--port", str(free_port())]  # nothing listens there: the CLI runs the project in-process

    started = run_cli("sms", "/wordle", "play 3", *port, cwd=project)
    assert (started.returncode, started.stdout) == (0, f"Wordle #3: {RULES}\n")

    lost = run_cli("sms", "/wordle", *port, cwd=project, input="crane\nplant\nsugar\nhotel\ntoast\njoist\n")
    assert lost.returncode == 0, lost.stderr
    assert lost.stdout.split("you> ")[1:] == [
        "CRANE ⬛⬛⬛⬛⬛\nNot in the word: A C E N R\n5 tries left.\n",
        "CRANE ⬛⬛⬛⬛⬛\nPLANT ⬛⬛⬛⬛🟩\nNot in the word: A C E L N P R\n4 tries left.\n",
        "CRANE ⬛⬛⬛⬛⬛\nPLANT ⬛⬛⬛⬛🟩\nSUGAR 🟨⬛⬛⬛⬛\nNot in the word: A C E G L N P R U\n3 tries left.\n",
        "CRANE ⬛⬛⬛⬛⬛\nPLANT ⬛⬛⬛⬛🟩\nSUGAR 🟨⬛⬛⬛⬛\nHOTEL ⬛🟩🟨⬛⬛\n"
        "Not in the word: A C E G H L N P R U\n2 tries left.\n",
        f"{LOST_BOARD}\nNot in the word: A C E G H L N P R U\n1 try left.\n",
        f"{LOST_BOARD}\nJOIST ⬛🟩🟩🟩🟩\nOut of tries: the word was MOIST. {LATER}\n",
        "\n",
    ]

    won = run_cli("sms", "/wordle", *port, cwd=project, input="play 1\ncrane\nslant\nplant\n")
    assert won.returncode == 0, won.stderr
    assert won.stdout.split("you> ")[1:] == [
        f"Wordle #1: {RULES}\n",
        "CRANE ⬛⬛🟩🟩⬛\nNot in the word: C E R\n5 tries left.\n",
        "CRANE ⬛⬛🟩🟩⬛\nSLANT ⬛🟩🟩🟩🟩\nNot in the word: C E R S\n4 tries left.\n",
        f"CRANE ⬛⬛🟩🟩⬛\nSLANT ⬛🟩🟩🟩🟩\nPLANT 🟩🟩🟩🟩🟩\nSolved in 3! Wordle #1 3/6. {LATER}\n",
        "\n",
    ]
