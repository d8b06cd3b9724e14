"""Property tests of the signature check: a signature is valid for exactly the URL and parameters it was
computed over. Replayed on another path, another query, with a changed, added or removed parameter, with
another token or another port, it fails; with the default port added or the port removed it passes, as on
Twilio (whose own validator accepts both forms). Twilio's algorithm signs the set of (key, value) pairs, so an
exact duplicate of a signed pair goes unnoticed: such a pair is left out of the generated changes."""

from __future__ import annotations

from urllib.parse import urlencode

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from pyserverless.runtime.http import Headers, Request
from pyserverless.runtime.signature import check_signature

SETTINGS = settings(max_examples=100, deadline=None)
TOKEN = "0123456789abcdef0123456789abcdef"
FORM = "application/x-www-form-urlencoded"
segments = st.text(st.characters(min_codepoint=0x61, max_codepoint=0x7A), min_size=1, max_size=8)
paths = st.lists(segments, min_size=1, max_size=3).map(lambda parts: "/" + "/".join(parts))
params = st.lists(st.tuples(segments, st.text(max_size=10)), max_size=5, unique=True)


def signature_for(url: str, pairs: list[tuple[str, str]], token: str = TOKEN) -> str:
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)

    class MultiDict(dict[str, list[str]]):
        def getlist(self, key: str) -> list[str]:
            return self[key]

    return RequestValidator(token).compute_signature(url, MultiDict(grouped))


def is_valid(url: str, pairs: list[tuple[str, str]], signature: str) -> bool:
    path, _, query = url.partition("://")[2].partition("/")[2].partition("?")
    headers = Headers([("content-type", FORM), ("x-twilio-signature", signature)])
    request = Request("POST", "/" + path, query, headers, urlencode(pairs).encode(), url, "127.0.0.1")
    return check_signature(request, TOKEN, pairs if pairs else None).valid


@SETTINGS
@given(path=paths, other=paths, pairs=params)
def test_a_signature_is_valid_for_its_own_url_only(
    path: str, other: str, pairs: list[tuple[str, str]]
) -> None:
    url = f"https://abc.ngrok.app{path}"
    signature = signature_for(url, pairs)
    assert is_valid(url, pairs, signature)
    if other != path:
        assert not is_valid(f"https://abc.ngrok.app{other}", pairs, signature)
    assert not is_valid(f"{url}?replayed=1", pairs, signature)
    assert not is_valid(f"https://evil.example{path}", pairs, signature)
    assert not is_valid(f"http://abc.ngrok.app{path}", pairs, signature)


@SETTINGS
@given(path=paths, pairs=params, extra=st.tuples(segments, st.text(max_size=5)))
def test_changed_added_or_removed_parameters_fail(
    path: str, pairs: list[tuple[str, str]], extra: tuple[str, str]
) -> None:
    assume(extra not in pairs)
    url = f"https://abc.ngrok.app{path}"
    signature = signature_for(url, pairs)
    assert not is_valid(url, [*pairs, extra], signature)
    if pairs:
        assert not is_valid(url, pairs[1:], signature)
        key, value = pairs[0]
        assert not is_valid(url, [(key, value + "x"), *pairs[1:]], signature)


@SETTINGS
@given(path=paths, pairs=params)
def test_another_token_fails(path: str, pairs: list[tuple[str, str]]) -> None:
    url = f"https://abc.ngrok.app{path}"
    assert not is_valid(url, pairs, signature_for(url, pairs, token="f" * 32))


@SETTINGS
@given(path=paths, pairs=params, port=st.integers(1, 65535))
def test_the_port_added_or_removed_passes_and_another_port_fails(
    path: str, pairs: list[tuple[str, str]], port: int
) -> None:
    assert is_valid(
        f"https://abc.ngrok.app{path}", pairs, signature_for(f"https://abc.ngrok.app:443{path}", pairs)
    )
    assert is_valid(
        f"https://abc.ngrok.app:443{path}", pairs, signature_for(f"https://abc.ngrok.app{path}", pairs)
    )
    assert is_valid(f"http://127.0.0.1:{port}{path}", pairs, signature_for(f"http://127.0.0.1{path}", pairs))
    other = port % 65535 + 1
    assert not is_valid(
        f"http://127.0.0.1:{port}{path}", pairs, signature_for(f"http://127.0.0.1:{other}{path}", pairs)
    )
