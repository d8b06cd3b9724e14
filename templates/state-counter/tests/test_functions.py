"""Tests of this project's functions. Run them with `pytest`.

`call_function` (see conftest.py) calls a handler the way the runtime does and gives back its result.
"""

XML = '<?xml version="1.0" encoding="UTF-8"?>'


def test_state_counts_the_messages_of_a_conversation(call_function):
    cookies = {}
    replies = []
    for _ in range(9):
        response = call_function(
            "state.protected.py", {"Body": "hi", "From": "+15551111111"}, cookies=cookies
        )
        assert response.get_header("Content-Type") == "text/xml"
        replies.append(response.body)
        keep_cookies(cookies, response)
    expected = [
        "Hello, thanks for the new message!",
        "Your current count is 1",
        "Your current count is 2",
        "Your current count is 3",
        "Your current count is 4",
        "Your current count is 5",
        "You've reached the end of the count!",
        "Hello, thanks for the new message!",
        "Your current count is 1",
    ]
    assert replies == [f"{XML}<Response><Message>{text}</Message></Response>" for text in expected]


def test_state_ends_the_count_by_removing_its_cookie(call_function):
    response = call_function("state.protected.py", {"Body": "hi"}, cookies={"count": "6"})
    assert [value for name, value in response.headers if name == "Set-Cookie"] == ["count=;Max-Age=0"]


def keep_cookies(cookies, response):
    """Keep the cookies a reply sets and forget the ones it removes, as Twilio does between two messages."""
    for name, value in response.headers:
        if name.lower() != "set-cookie":
            continue
        pair, *attributes = value.split(";")
        cookie_name, _, cookie_value = pair.partition("=")
        if "Max-Age=0" in attributes:
            cookies.pop(cookie_name, None)
        else:
            cookies[cookie_name] = cookie_value
