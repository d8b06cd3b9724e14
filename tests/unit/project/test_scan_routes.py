"""`scan_routes` over real folders: what becomes a route, in which order, and which problems stop the scan."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pyserverless.errors import UserError
from pyserverless.project.folder import scan_routes
from tests.support.project_files import write_files


def routes_of(root: Path) -> list[tuple[str, str, str, str]]:
    return [(route.path, route.kind, route.visibility, route.source) for route in scan_routes(root)]


def test_the_default_layout(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        "functions/hello-world.py",
        "functions/sms/reply.protected.py",
        "functions/state.protected.py",
        "functions/private-message.py",
        "assets/index.html",
        "assets/style.css",
        "assets/message.private.txt",
    )
    assert routes_of(tmp_path) == [
        ("/hello-world", "function", "public", "functions/hello-world.py"),
        ("/index.html", "asset", "public", "assets/index.html"),
        ("/message.txt", "asset", "private", "assets/message.private.txt"),
        ("/private-message", "function", "public", "functions/private-message.py"),
        ("/sms/reply", "function", "protected", "functions/sms/reply.protected.py"),
        ("/state", "function", "protected", "functions/state.protected.py"),
        ("/style.css", "asset", "public", "assets/style.css"),
    ]


def test_routes_are_sorted_by_path_whatever_the_creation_order(tmp_path: Path) -> None:
    for name in [
        "functions/zeta.py",
        "assets/b.txt",
        "functions/alpha/z.py",
        "functions/alpha.py",
        "assets/a.txt",
    ]:
        write_files(tmp_path, name)
    assert [route.path for route in scan_routes(tmp_path)] == [
        "/a.txt",
        "/alpha",
        "/alpha/z",
        "/b.txt",
        "/zeta",
    ]


def test_route_files_are_absolute_paths_into_the_project(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/sms/reply.protected.py")
    (route,) = scan_routes(tmp_path)
    assert route.file == tmp_path / "functions" / "sms" / "reply.protected.py"
    assert route.file.is_absolute()
    assert route.key == "sms/reply"


def test_helpers_caches_and_dotfiles_are_not_routes(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        "functions/hello.py",
        "functions/__init__.py",
        "functions/_helpers.py",
        "functions/_lib/tool.py",
        "functions/__pycache__/hello.cpython-311.pyc",
        "functions/.secret.py",
        "functions/notes.md",
        "assets/.DS_Store",
        "assets/_drafts/page.html",
        "assets/page.html",
    )
    assert [route.path for route in scan_routes(tmp_path)] == ["/hello", "/page.html"]


def test_a_project_with_only_assets_or_only_functions(tmp_path: Path) -> None:
    write_files(tmp_path, "assets/a.txt")
    assert [route.path for route in scan_routes(tmp_path)] == ["/a.txt"]
    assert len(scan_routes(tmp_path / "missing")) == 0


def test_two_functions_on_one_route_name_both_files(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/hello.py", "functions/hello.protected.py")
    with pytest.raises(UserError) as raised:
        scan_routes(tmp_path)
    assert raised.value.message == (
        "functions/hello.protected.py and functions/hello.py both map to the route /hello."
    )
    assert raised.value.hint == "Rename or remove one of them: each route must come from one file."


def test_whitespace_and_dash_on_one_route_name_both_files(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/say hi.py", "functions/say-hi.py")
    with pytest.raises(UserError) as raised:
        scan_routes(tmp_path)
    assert (
        raised.value.message == "functions/say hi.py and functions/say-hi.py both map to the route /say-hi."
    )


def test_a_function_and_an_asset_on_one_route_name_both_files(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/report.py", "assets/report")
    with pytest.raises(UserError) as raised:
        scan_routes(tmp_path)
    assert raised.value.message == "functions/report.py and assets/report both map to the route /report."


def test_two_assets_differing_by_marker_name_both_files(tmp_path: Path) -> None:
    write_files(tmp_path, "assets/message.txt", "assets/message.private.txt")
    with pytest.raises(UserError) as raised:
        scan_routes(tmp_path)
    assert raised.value.message == (
        "assets/message.private.txt and assets/message.txt both map to the route /message.txt."
    )


def test_a_reserved_character_in_a_file_name_stops_the_scan(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/ok.py", "functions/what?.py")
    with pytest.raises(UserError) as raised:
        scan_routes(tmp_path)
    assert (
        raised.value.message
        == "functions/what?.py: its route /what? contains ?, which a route may not contain."
    )


def test_a_reserved_character_in_a_folder_name_stops_the_scan(tmp_path: Path) -> None:
    write_files(tmp_path, "assets/a&b/logo.png")
    with pytest.raises(UserError) as raised:
        scan_routes(tmp_path)
    assert raised.value.message == (
        "assets/a&b/logo.png: its route /a&b/logo.png contains &, which a route may not contain."
    )


def test_a_reserved_character_in_a_skipped_file_is_ignored(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/_what?.py", "functions/ok.py")
    assert [route.path for route in scan_routes(tmp_path)] == ["/ok"]


def test_the_route_length_limit_counts_nested_folders(tmp_path: Path) -> None:
    folder = "f" * 200
    write_files(tmp_path, f"functions/{folder}/{'n' * 53}.py")
    assert [len(route.path) for route in scan_routes(tmp_path)] == [255]
    write_files(tmp_path, f"functions/{folder}/{'m' * 54}.py")
    with pytest.raises(UserError) as raised:
        scan_routes(tmp_path)
    assert raised.value.message == (
        f"functions/{folder}/{'m' * 54}.py: its route is 256 characters long; "
        "a route must be shorter than 256."
    )


def test_a_symlink_out_of_the_project_is_not_a_route(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write_files(outside, "secret.txt", "evil.py")
    project = write_files(tmp_path / "project", "assets/ok.txt", "functions/ok.py")
    os.symlink(outside / "secret.txt", project / "assets" / "secret.txt")
    os.symlink(outside / "evil.py", project / "functions" / "evil.py")
    os.symlink(outside, project / "assets" / "linked-folder")
    assert [route.path for route in scan_routes(project)] == ["/ok", "/ok.txt"]


def test_a_symlink_to_the_env_file_of_the_project_is_not_a_route(tmp_path: Path) -> None:
    write_files(tmp_path, {".env": "AUTH_TOKEN=secret\n"}, "assets/ok.txt")
    os.symlink(tmp_path / ".env", tmp_path / "assets" / "env.txt")
    os.symlink("../.env", tmp_path / "assets" / "relative-env.txt")
    assert [route.path for route in scan_routes(tmp_path)] == ["/ok.txt"]


def test_a_symlink_inside_the_assets_folder_is_a_route(tmp_path: Path) -> None:
    write_files(tmp_path, "assets/logo-2026.png")
    os.symlink("logo-2026.png", tmp_path / "assets" / "logo.png")
    assert [route.path for route in scan_routes(tmp_path)] == ["/logo-2026.png", "/logo.png"]


def test_a_dangling_symlink_is_not_a_route(tmp_path: Path) -> None:
    write_files(tmp_path, "assets/ok.txt")
    os.symlink(tmp_path / "assets" / "gone.txt", tmp_path / "assets" / "link.txt")
    assert [route.path for route in scan_routes(tmp_path)] == ["/ok.txt"]
