"""The seed's counter conversation as the template's `state` function tells it, and the two senders tests use.

One conversation gets these replies in order; the one after the end message starts over.
"""

from __future__ import annotations

ALICE, BOB = "+15551111111", "+15552222222"
COUNTER_STORY = [
    "Hello, thanks for the new message!",
    "Your current count is 1",
    "Your current count is 2",
    "Your current count is 3",
    "Your current count is 4",
    "Your current count is 5",
    "You've reached the end of the count!",
    "Hello, thanks for the new message!",
]
