"""Property tests of the route mapper: any file name maps to a route that stays one path below `/`, keeps
visibility markers out of the route, never routes helpers, and is either valid or refused with a UserError."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyserverless.errors import UserError
from pyserverless.project.folder import INVALID_ROUTE_CHARACTERS, MAX_ROUTE_LENGTH, check_route, route_for

SETTINGS = settings(max_examples=200, deadline=None)
# File and folder names: anything a file system holds in one name (no "/" and no NUL), "." and ".." excluded.
names = st.text(st.characters(exclude_characters="/\0", exclude_categories=["Cs"]), min_size=1, max_size=30)
names = names.filter(lambda name: name not in (".", ".."))
markers = st.sampled_from(["", ".public", ".protected", ".private"])
VISIBILITY = {"": "public", ".public": "public", ".protected": "protected", ".private": "private"}


def strictest_marker(name: str) -> str:
    """The visibility a name's marker parts give: private over protected over public."""
    parts = name.split(".")[1:]
    return next((v for v in ("private", "protected") if v in parts), "public")


@SETTINGS
@given(folders=st.lists(names, max_size=4), stem=names, marker=markers)
def test_a_function_file_maps_to_one_route_below_the_root(folders: list[str], stem: str, marker: str) -> None:
    relative = PurePosixPath(*folders, f"{stem}{marker}.py")
    mapped = route_for(relative, "function")
    if any(part.startswith(("_", ".")) for part in relative.parts):
        assert mapped is None
        return
    assert mapped is not None
    path, visibility = mapped
    assert path.startswith("/")
    assert len(path.split("/")) == len(relative.parts) + 1
    assert not any(character.isspace() for character in path)
    assert "/../" not in path + "/" and "/./" not in path + "/"
    assert visibility == strictest_marker(relative.name.removesuffix(".py"))
    if marker:
        assert VISIBILITY[marker] in (visibility, "public")
    try:
        check_route(path, str(relative))
    except UserError as error:
        assert any(c in path for c in INVALID_ROUTE_CHARACTERS) or len(path) > MAX_ROUTE_LENGTH, error
    else:
        assert not any(c in path for c in INVALID_ROUTE_CHARACTERS)
        assert len(path) <= MAX_ROUTE_LENGTH


@SETTINGS
@given(
    folders=st.lists(names, max_size=3),
    stem=names,
    marker=markers,
    extension=names,
)
def test_an_asset_keeps_its_extension_and_drops_its_marker(
    folders: list[str], stem: str, marker: str, extension: str
) -> None:
    relative = PurePosixPath(*folders, f"{stem}{marker}.{extension}")
    mapped = route_for(relative, "asset")
    if any(part.startswith(("_", ".")) for part in relative.parts):
        assert mapped is None
        return
    assert mapped is not None
    path, visibility = mapped
    assert path.startswith("/")
    assert len(path.split("/")) == len(relative.parts) + 1
    assert visibility == strictest_marker(relative.name)
    if marker == ".private":
        assert visibility == "private"
    route_name = path.rsplit("/", 1)[1]
    assert not {"private", "protected", "public"} & set(route_name.split(".")[1:])


@pytest.mark.parametrize(
    "name", ["x.private.py", "sub/x.private.py", "x.private.private.py", "x .private.py", "ü.private.py"]
)
def test_a_private_marker_is_always_private(name: str) -> None:
    mapped = route_for(PurePosixPath(name), "function")
    assert mapped is not None and mapped[1] == "private"


def test_an_overlong_route_is_refused() -> None:
    with pytest.raises(UserError, match="a route must be shorter than 256"):
        check_route("/" + "a" * 255, "functions/" + "a" * 255 + ".py")
