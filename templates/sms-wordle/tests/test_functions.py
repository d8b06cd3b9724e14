"""Tests of this project's functions. Run them with `pytest`.

The `twilio_sim` fixture (from pyserverless) texts the functions the way Twilio does: signed requests, and the
cookies of each conversation kept per sender and number for four hours at most, which is where the game lives.
`PLAY 1` starts puzzle #1, whose word is the first of assets/answers.private.txt (PLANT), `PLAY 3` puzzle #3
(MOIST). The first test is the conversation pyserverless's docs show for this template.
"""

import re

RULES = (
    "guess the 5-letter word in 6 tries. After each guess, 🟩 is a right letter in the right place, "
    "🟨 a letter of the word in another place, ⬛ a letter not in the word. Text your first guess!"
)
LATER = "A new word comes tomorrow; text PLAY and a number for an earlier puzzle."


def test_a_game_won_in_three_guesses(twilio_sim):
    game = twilio_sim.sms("/wordle")
    assert game.send("play 1").messages == [f"Wordle #1: {RULES}"]
    assert game.send("crane").messages == ["CRANE ⬛⬛🟩🟩⬛\nNot in the word: C E R\n5 tries left."]
    assert game.send("Slant").messages == [
        "CRANE ⬛⬛🟩🟩⬛\nSLANT ⬛🟩🟩🟩🟩\nNot in the word: C E R S\n4 tries left."
    ]
    assert game.send("PLANT").messages == [
        f"CRANE ⬛⬛🟩🟩⬛\nSLANT ⬛🟩🟩🟩🟩\nPLANT 🟩🟩🟩🟩🟩\nSolved in 3! Wordle #1 3/6. {LATER}"
    ]
    assert game.cookies == {}


def test_a_game_lost_after_six_guesses(twilio_sim):
    game = twilio_sim.sms("/wordle")
    game.send("play 3")
    guesses = ["crane", "plant", "sugar", "hotel", "toast", "moust"]
    replies = [game.send(guess).messages[0] for guess in guesses]
    assert replies[4] == (
        "CRANE ⬛⬛⬛⬛⬛\nPLANT ⬛⬛⬛⬛🟩\nSUGAR 🟨⬛⬛⬛⬛\nHOTEL ⬛🟩🟨⬛⬛\nTOAST ⬛🟩⬛🟩🟩\n"
        "Not in the word: A C E G H L N P R U\n1 try left."
    )
    assert replies[5] == "MOUST is not in the word list. Try another word (it did not count)."
    assert game.send("joist").messages == [
        "CRANE ⬛⬛⬛⬛⬛\nPLANT ⬛⬛⬛⬛🟩\nSUGAR 🟨⬛⬛⬛⬛\nHOTEL ⬛🟩🟨⬛⬛\nTOAST ⬛🟩⬛🟩🟩\nJOIST ⬛🟩🟩🟩🟩\n"
        f"Out of tries: the word was MOIST. {LATER}"
    ]
    assert game.cookies == {}


def test_the_first_text_starts_todays_puzzle(twilio_sim):
    game = twilio_sim.sms("/wordle")
    first = game.send("hello").messages[0]
    number = game.cookies["puzzle"]
    assert first == f"Wordle #{number}: {RULES}"
    assert re.fullmatch(r"[A-Z]{5}", game.cookies["word"])


def test_refused_guesses_do_not_count(twilio_sim):
    game = twilio_sim.sms("/wordle")
    game.send("play 1")
    assert game.send("abc").messages == [
        'Guesses are 5-letter words: "ABC" is not one. Try again (it did not count).'
    ]
    assert game.send("xyzzy").messages == [
        "XYZZY is not in the word list. Try another word (it did not count)."
    ]
    assert game.send("plant").messages[0].startswith("PLANT 🟩🟩🟩🟩🟩\nSolved in 1!")


def test_a_letter_guessed_twice_is_marked_as_often_as_the_word_has_it(twilio_sim):
    game = twilio_sim.sms("/wordle")
    game.send("play 2")  # CRANE
    assert game.send("eerie").messages[0].startswith("EERIE ⬛⬛🟨⬛🟩\n")


def test_each_player_has_a_game_of_their_own(twilio_sim):
    alice = twilio_sim.sms("/wordle", from_="+15551111111")
    bob = twilio_sim.sms("/wordle", from_="+15552222222")
    alice.send("play 1")
    bob.send("play 2")
    assert alice.send("plant").messages[0].startswith("PLANT 🟩🟩🟩🟩🟩\nSolved in 1!")
    assert bob.send("crane").messages[0].startswith("CRANE 🟩🟩🟩🟩🟩\nSolved in 1!")


def test_a_game_lasts_four_hours_after_the_last_guess(twilio_sim):
    game = twilio_sim.sms("/wordle")
    game.send("play 1")
    twilio_sim.clock.advance(hours=3)
    game.send("crane")
    twilio_sim.clock.advance(hours=3)
    assert game.send("slant").messages[0].startswith("CRANE ⬛⬛🟩🟩⬛\nSLANT ⬛🟩🟩🟩🟩\n")
    twilio_sim.clock.advance(hours=4)
    assert game.send("plant").messages[0].startswith("Wordle #")


def test_a_puzzle_that_is_not_out_yet(twilio_sim):
    reply = twilio_sim.sms("/wordle").send("PLAY 100000")
    assert re.fullmatch(r"Puzzle #100000 is not out: choose a number from 1 to \d+\.", reply.messages[0])


def test_the_word_lists_are_never_served(twilio_sim):
    for path in ["/answers.txt", "/words.txt"]:
        assert twilio_sim.exchange("GET", twilio_sim.url_for(path), {}, None).status == 403
