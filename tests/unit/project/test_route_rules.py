"""Every file-name rule of `route_for` and `check_route`: markers, nesting, whitespace, skipped names."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from pyserverless.errors import UserError
from pyserverless.project.folder import INVALID_ROUTE_CHARACTERS, check_route, route_for


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("hello.py", ("/hello", "public")),
        ("hello.public.py", ("/hello", "public")),
        ("hello.protected.py", ("/hello", "protected")),
        ("hello.private.py", ("/hello", "private")),
        ("sms/reply.protected.py", ("/sms/reply", "protected")),
        ("a/b/c/deep.private.py", ("/a/b/c/deep", "private")),
        ("index.py", ("/index", "public")),
        ("protected.py", ("/protected", "public")),
        ("v1.2/status.py", ("/v1.2/status", "public")),
        ("Hello.py", ("/Hello", "public")),
        ("x.private.helper.py", ("/x.helper", "private")),
        ("x.protected.private.py", ("/x", "private")),
    ],
)
def test_function_routes_and_visibility(relative: str, expected: tuple[str, str]) -> None:
    assert route_for(PurePosixPath(relative), "function") == expected


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("style.css", ("/style.css", "public")),
        ("index.html", ("/index.html", "public")),
        ("message.private.txt", ("/message.txt", "private")),
        ("data.protected.json", ("/data.json", "protected")),
        ("logo.public.png", ("/logo.png", "public")),
        ("img/logo.png", ("/img/logo.png", "public")),
        ("docs/notes.private.md", ("/docs/notes.md", "private")),
        ("archive.tar.gz", ("/archive.tar.gz", "public")),
        ("bundle.min.private.js", ("/bundle.min.js", "private")),
        ("LICENSE", ("/LICENSE", "public")),
        ("secret.private", ("/secret", "private")),
        ("script.py", ("/script.py", "public")),
        ("backup.private.tar.gz", ("/backup.tar.gz", "private")),
        ("notes.private.txt.", ("/notes.txt.", "private")),
        ("data.protected.private.json", ("/data.json", "private")),
        ("data.public.protected.json", ("/data.json", "protected")),
    ],
)
def test_asset_routes_keep_their_extension(relative: str, expected: tuple[str, str]) -> None:
    assert route_for(PurePosixPath(relative), "asset") == expected


@pytest.mark.parametrize(
    ("relative", "kind", "expected"),
    [
        ("hello world.py", "function", "/hello-world"),
        ("my folder/say hi.protected.py", "function", "/my-folder/say-hi"),
        ("two  spaces.py", "function", "/two--spaces"),
        ("tab\there.py", "function", "/tab-here"),
        ("my photo.png", "asset", "/my-photo.png"),
    ],
)
def test_whitespace_becomes_a_dash(relative: str, kind: str, expected: str) -> None:
    mapped = route_for(PurePosixPath(relative), kind)  # type: ignore[arg-type]
    assert mapped is not None
    assert mapped[0] == expected


@pytest.mark.parametrize(
    ("relative", "kind"),
    [
        ("__init__.py", "function"),
        ("_helpers.py", "function"),
        ("_private_lib/tool.py", "function"),
        ("__pycache__/hello.cpython-311.py", "function"),
        (".hidden.py", "function"),
        (".venv/lib/x.py", "function"),
        ("sms/_shared.py", "function"),
        ("notes.txt", "function"),
        ("README.md", "function"),
        ("hello.pyc", "function"),
        ("_partial.html", "asset"),
        (".DS_Store", "asset"),
        (".well-known/security.txt", "asset"),
        ("img/_draft.png", "asset"),
    ],
)
def test_names_starting_with_underscore_or_dot_and_non_python_functions_are_not_routes(
    relative: str, kind: str
) -> None:
    assert route_for(PurePosixPath(relative), kind) is None  # type: ignore[arg-type]


@pytest.mark.parametrize("character", list(INVALID_ROUTE_CHARACTERS))
def test_each_reserved_character_is_refused_with_the_file_named(character: str) -> None:
    with pytest.raises(UserError) as raised:
        check_route(f"/a{character}b", f"functions/a{character}b.py")
    assert raised.value.message == (
        f"functions/a{character}b.py: its route /a{character}b contains {character}, "
        "which a route may not contain."
    )


def test_every_reserved_character_of_a_route_is_listed_once_in_order() -> None:
    with pytest.raises(UserError) as raised:
        check_route("/a(b)c#d(", "functions/a(b)c#d(.py")
    assert raised.value.message == (
        "functions/a(b)c#d(.py: its route /a(b)c#d( contains # ( ), which a route may not contain."
    )


def test_the_reserved_characters_are_twilios() -> None:
    assert sorted(INVALID_ROUTE_CHARACTERS) == sorted("#;,?:@+&$()'\"")


def test_a_route_of_255_characters_is_accepted() -> None:
    check_route("/" + "a" * 254, "functions/long.py")


def test_a_route_of_256_characters_is_refused() -> None:
    with pytest.raises(UserError) as raised:
        check_route("/" + "a" * 255, "functions/long.py")
    assert raised.value.message == (
        "functions/long.py: its route is 256 characters long; a route must be shorter than 256."
    )


@pytest.mark.parametrize(
    "path", ["/hello", "/sms/reply", "/message.txt", "/a-b_c.d~e!f*g", "/%20", "/caf\u00e9"]
)
def test_ordinary_routes_pass(path: str) -> None:
    check_route(path, "functions/x.py")
