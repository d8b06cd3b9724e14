"""Wordle over SMS: guess the day's five-letter word in six tries, with no database.

Point a phone number's "A message comes in" webhook here. The first text starts today's puzzle; each text after
it is a guess, answered with the board so far: 🟩 a right letter in the right place, 🟨 a letter of the word in
another place, ⬛ a letter not in the word (a letter guessed twice is marked as often as the word has it).
`PLAY` starts today's puzzle again, `PLAY 12` puzzle #12.

How it works: the game lives in three cookies of the conversation, which Twilio sends back with each text of
the same sender to the same number: `puzzle` (its number), `word` (the day's word, kept so that a game started
before midnight still ends with its own word) and `guesses` (the guesses so far, run together). Twilio keeps
them four hours at most, so a game left alone for longer starts over. Puzzle #1 is the first word of the private
asset `assets/answers.private.txt`, #2 the second, and so on, a new one each day at midnight UTC; a guess must
be a word of that list or of `assets/words.private.txt`. Both are read through `Runtime.get_assets()` and never
served over HTTP, so nobody can read the answers.
"""

import datetime
import posixpath
from collections import Counter

from twilio.twiml.messaging_response import MessagingResponse

from pyserverless import Response, Runtime
from pyserverless.types import SmsWebhook

FIRST_DAY = datetime.date(2025, 1, 1)
LENGTH = 5
TRIES = 6
COOKIES = ("puzzle", "word", "guesses")
# Twilio keeps an SMS conversation's cookies four hours at most; asking for more changes nothing.
KEEP = ["Max-Age=14400"]
RIGHT, ELSEWHERE, ABSENT = "🟩", "🟨", "⬛"


def handler(context, event: SmsWebhook, callback):
    answers, accepted = word_lists(context)
    today = todays_puzzle()
    text = event.get("Body", "").strip().upper()
    command = text.split()
    game = saved_game(event["request"]["cookies"])
    twiml = MessagingResponse()
    response = Response()
    if command and command[0] == "PLAY":
        number = int(command[1]) if len(command) == 2 and command[1].isdigit() else today
        if 1 <= number <= today:
            start(twiml, response, number, answers)
        else:
            twiml.message(f"Puzzle #{number} is not out: choose a number from 1 to {today}.")
    elif game is None:
        start(twiml, response, today, answers)
    elif problem := check_guess(text, accepted):
        twiml.message(problem)
    else:
        play(twiml, response, game, text)
    response.append_header("Content-Type", "text/xml")
    response.set_body(str(twiml))
    callback(None, response)


def start(twiml, response, number, answers):
    """Start puzzle `number`: its word and an empty board in the cookies, and the rules to the player."""
    response.remove_cookie("guesses")
    response.set_cookie("puzzle", str(number), KEEP)
    response.set_cookie("word", answers[(number - 1) % len(answers)], KEEP)
    twiml.message(
        f"Wordle #{number}: guess the {LENGTH}-letter word in {TRIES} tries. After each guess, "
        f"{RIGHT} is a right letter in the right place, {ELSEWHERE} a letter of the word in another place, "
        f"{ABSENT} a letter not in the word. Text your first guess!"
    )


def play(twiml, response, game, guess):
    """Add `guess` to the board; a win or the last try ends the game and clears its cookies."""
    number, word, guesses = game
    guesses = [*guesses, guess]
    board = "\n".join(f"{earlier} {marks(earlier, word)}" for earlier in guesses)
    later = "A new word comes tomorrow; text PLAY and a number for an earlier puzzle."
    if guess == word:
        score = f"{len(guesses)}/{TRIES}"
        twiml.message(f"{board}\nSolved in {len(guesses)}! Wordle #{number} {score}. {later}")
    elif len(guesses) == TRIES:
        twiml.message(f"{board}\nOut of tries: the word was {word}. {later}")
    else:
        left = TRIES - len(guesses)
        missing = " ".join(absent_letters(guesses, word))
        twiml.message(f"{board}\nNot in the word: {missing}\n{left} {'tries' if left > 1 else 'try'} left.")
        # All three again, so that the four hours start over with each guess.
        for name, value in zip(COOKIES, (str(number), word, "".join(guesses)), strict=True):
            response.set_cookie(name, value, KEEP)
        return
    for name in COOKIES:
        response.remove_cookie(name)


def saved_game(cookies):
    """(puzzle number, word, guesses) from the conversation's cookies, or None when no game is going on."""
    number, word, guesses = (cookies.get(name, "") for name in COOKIES)
    if not (number.isdigit() and is_word(word)) or len(guesses) % LENGTH or len(guesses) >= LENGTH * TRIES:
        return None
    rows = [guesses[index : index + LENGTH] for index in range(0, len(guesses), LENGTH)]
    return (int(number), word, rows) if all(is_word(row) for row in rows) else None


def check_guess(text, accepted):
    """Why `text` cannot be a guess, or None when it can. A refused guess does not use up a try."""
    if not is_word(text):
        return f'Guesses are {LENGTH}-letter words: "{text}" is not one. Try again (it did not count).'
    if text not in accepted:
        return f"{text} is not in the word list. Try another word (it did not count)."
    return None


def is_word(text):
    return len(text) == LENGTH and text.isascii() and text.isalpha() and text.isupper()


def marks(guess, word):
    """The row of squares for `guess`: right places first, then the word's other letters from left to right."""
    unmatched = Counter(answer for letter, answer in zip(guess, word) if letter != answer)
    row = []
    for letter, answer in zip(guess, word):
        if letter == answer:
            row.append(RIGHT)
        elif unmatched[letter] > 0:
            unmatched[letter] -= 1
            row.append(ELSEWHERE)
        else:
            row.append(ABSENT)
    return "".join(row)


def absent_letters(guesses, word):
    """The letters guessed so far that the word does not have, in alphabetical order."""
    return sorted({letter for guess in guesses for letter in guess} - set(word))


def todays_puzzle():
    """Today's puzzle number: 1 on FIRST_DAY, one more each day at midnight UTC."""
    today = datetime.datetime.now(datetime.timezone.utc).date()
    return max(1, (today - FIRST_DAY).days + 1)


def word_lists(context):
    """The secret words in order, and every word accepted as a guess, from the private assets beside this
    function (its folder may be a `pyserverless new` namespace)."""
    folder = posixpath.dirname(context.PATH)
    assets = Runtime.get_assets()
    answers = read_words(assets[posixpath.join(folder, "answers.txt")].open())
    others = read_words(assets[posixpath.join(folder, "words.txt")].open())
    return answers, set(answers) | set(others)


def read_words(text):
    """The words of a word list: one a line, upper-cased; blank lines and `#` comments left out."""
    return [line.strip().upper() for line in text.splitlines() if line.strip() and not line.startswith("#")]
