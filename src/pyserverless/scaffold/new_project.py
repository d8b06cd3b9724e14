"""`init`: create a new project folder from a bundled template, offline, all or nothing.

Everything is checked before anything is written: the name (the rules of create-twilio-function), that the
folder does not exist, the template, and the credentials (flag, else `TWILIO_*` environment variable, else an
answer to a prompt when one is possible, else empty). The project is then built in a hidden temporary folder
beside the target and renamed into place at the end, so a failure at any point leaves nothing behind.
"""

from __future__ import annotations

import os
import re
import shutil
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pyserverless import __version__
from pyserverless.errors import UserError
from pyserverless.project.folder import scan_routes
from pyserverless.scaffold.catalog import (
    DEFAULT_TEMPLATE,
    Template,
    get_template,
    project_files_folder,
    walk_files,
)
from pyserverless.scaffold.env_merge import merge_env, write_env_file
from pyserverless.twilio_api.credentials import check_account_sid, check_secret

MAX_NAME_LENGTH = 32
_NAME_CHARACTERS = re.compile(r"[A-Za-z0-9-]+")
#: The folders of a template copied into a new project (over the tests every project gets).
PROJECT_SUBFOLDERS = ("functions", "assets", "tests")

#: Asks the user for a value: (question, whether the answer is secret) -> answer.
Ask = Callable[[str, bool], str]
#: How many times a mistyped credential is asked for before init gives up.
MAX_ASKS = 3


@dataclass(frozen=True)
class EnvCredentials:
    """The account SID and auth token written to the new project's `.env` (each may be empty)."""

    account_sid: str
    auth_token: str


@dataclass(frozen=True)
class _CredentialField:
    """Where one credential can come from, and how to ask for it."""

    flag: str
    variable: str
    question: str
    answer_label: str
    secret: bool


ACCOUNT_SID_FIELD = _CredentialField(
    flag="--account-sid",
    variable="TWILIO_ACCOUNT_SID",
    question="Twilio Account SID (starts with AC; press Enter to leave it empty)",
    answer_label="The account SID you entered",
    secret=False,
)
AUTH_TOKEN_FIELD = _CredentialField(
    flag="--auth-token",
    variable="TWILIO_AUTH_TOKEN",
    question="Twilio Auth Token (hidden; press Enter to leave it empty)",
    answer_label="The auth token you entered",
    secret=True,
)


@dataclass(frozen=True)
class CreatedProject:
    """A project `init` created: its folder, the template used (None for --empty), its files (sorted) and the
    credentials left empty in its `.env`."""

    root: Path
    template: str | None
    files: list[str]
    missing_credentials: list[str]


def check_name(name: str, what: str = "project name") -> None:
    """Refuse a name that is not 1 to 32 letters, digits and hyphens, not starting or ending with a hyphen."""
    problems: list[str] = []
    if not name:
        problems.append("must not be empty")
    if len(name) > MAX_NAME_LENGTH:
        problems.append(f"must be at most {MAX_NAME_LENGTH} characters long (it has {len(name)})")
    if name and not _NAME_CHARACTERS.fullmatch(name):
        problems.append("must only include letters, numbers and hyphens")
    if name.startswith("-"):
        problems.append("must not start with a hyphen")
    if name.endswith("-"):
        problems.append("must not end with a hyphen")
    if problems:
        listed = problems[0] if len(problems) == 1 else ", ".join(problems[:-1]) + " and " + problems[-1]
        raise UserError(
            f'Invalid {what} "{name}": it {listed}.',
            hint="Use up to 32 letters, digits and hyphens, for example my-service.",
        )


def credentials_for_env(
    account_sid: str | None, auth_token: str | None, environ: Mapping[str, str], ask: Ask | None
) -> EnvCredentials:
    """Each credential from its flag, else its `TWILIO_*` variable, else `ask` (when given), else empty.

    A value that is not well formed is refused; a typed one is asked again, up to `MAX_ASKS` times in all.
    """
    return EnvCredentials(
        account_sid=_resolve(ACCOUNT_SID_FIELD, account_sid, environ, ask, check_account_sid),
        auth_token=_resolve(
            AUTH_TOKEN_FIELD,
            auth_token,
            environ,
            ask,
            lambda value, label: check_secret(value, label, "an auth token"),
        ),
    )


def init_project(
    name: str,
    parent: Path,
    *,
    template_name: str | None,
    empty: bool,
    account_sid: str | None,
    auth_token: str | None,
    environ: Mapping[str, str],
    ask: Ask | None,
) -> CreatedProject:
    """Create the project `parent/name` from a template (the default one unless `template_name`) or empty."""
    check_name(name)
    if empty and template_name is not None:
        raise UserError(
            "--empty and --template cannot be used together.",
            hint="--empty creates a project without functions; --template NAME fills it from a template. "
            "Pick one.",
        )
    parent = parent.expanduser().resolve()
    if not parent.is_dir():
        raise UserError(f"The folder {parent} does not exist.", hint="Pass an existing folder with --path.")
    target = parent / name
    if target.exists() or target.is_symlink():
        raise UserError(
            f"{target} already exists.",
            hint="Choose another name, or create the project in another folder with --path.",
        )
    template = None if empty else get_template(template_name or DEFAULT_TEMPLATE)
    credentials = credentials_for_env(account_sid, auth_token, environ, ask)
    # os.urandom, not secrets: the name need only be unlikely to clash; secrets imports hmac and hashlib.
    building = parent / f".{name}.{os.urandom(4).hex()}.tmp"
    try:
        building.mkdir()
    except OSError as error:
        raise UserError(
            f"Cannot create the project in {parent}: {error.strerror}.",
            hint="Check that you may write to that folder, or pass another one with --path.",
        ) from error
    try:
        _build(building, name, template, credentials)
        if target.exists() or target.is_symlink():
            raise UserError(
                f"{target} already exists.", hint="Something created it while the project was built."
            )
        building.rename(target)
    except BaseException as error:
        shutil.rmtree(building, ignore_errors=True)
        if isinstance(error, OSError):
            raise UserError(
                f"Cannot create the project {target}: {error.strerror or error}.",
                hint=f"Nothing was created. Check the free space and permissions of {parent}.",
            ) from error
        raise
    files = sorted(path.relative_to(target).as_posix() for path in target.rglob("*") if path.is_file())
    missing = [
        key
        for key, value in (("ACCOUNT_SID", credentials.account_sid), ("AUTH_TOKEN", credentials.auth_token))
        if not value
    ]
    return CreatedProject(
        root=target,
        template=None if template is None else template.name,
        files=files,
        missing_credentials=missing,
    )


def _resolve(
    field: _CredentialField,
    flag_value: str | None,
    environ: Mapping[str, str],
    ask: Ask | None,
    check: Callable[[str, str], None],
) -> str:
    """The credential's value, checked by `check(value, where it came from)` unless empty."""
    if flag_value is not None:
        value, source = flag_value.strip(), field.flag
    elif environ.get(field.variable, "").strip():
        value, source = environ[field.variable].strip(), field.variable
    elif ask is not None:
        return _ask_until_valid(field, ask, check)
    else:
        return ""
    if value:
        check(value, source)
    return value


def _ask_until_valid(field: _CredentialField, ask: Ask, check: Callable[[str, str], None]) -> str:
    """Ask again, saying what was wrong, until the answer is valid or empty (`MAX_ASKS` times at most)."""
    question, asked = field.question, 0
    while True:
        value = ask(question, field.secret).strip()
        asked += 1
        try:
            if value:
                check(value, field.answer_label)
        except UserError as error:
            if asked == MAX_ASKS:
                raise
            question = f"{error.message}\n{field.question}"
            continue
        return value


def _build(folder: Path, name: str, template: Template | None, credentials: EnvCredentials) -> None:
    """Write every file of the new project into `folder`."""
    skeleton = project_files_folder()
    _copy_tree(skeleton / "tests", folder / "tests")
    for subfolder in PROJECT_SUBFOLDERS:
        source = None if template is None else template.folder / subfolder
        _copy_tree(source, folder / subfolder)
    values = {
        "project_name": name,
        "pyserverless_version": __version__,
        "account_sid": credentials.account_sid,
        "auth_token": credentials.auth_token,
        "routes": _describe_routes(folder),
    }
    env_text = _fill(skeleton / "env", values)
    if template is not None and template.env_file is not None:
        addition = template.env_file.read_text(encoding="utf-8")
        env_text = merge_env(env_text, addition, f"Variables of the {template.name} template").text
    write_env_file(folder / ".env", env_text)
    shutil.copyfile(skeleton / "gitignore", folder / ".gitignore")
    for file_name in ("pyproject.toml", "README.md"):
        _write(folder / file_name, _fill(skeleton / file_name, values))


def _describe_routes(folder: Path) -> str:
    """A Markdown list of the routes of the project being built."""
    routes = list(scan_routes(folder))
    if not routes:
        return "None yet: add Python files to `functions/` and static files to `assets/`."
    return "\n".join(
        f"- `{route.path}` ({route.visibility} {route.kind}, `{route.source}`)" for route in routes
    )


def _copy_tree(source: Path | None, destination: Path) -> None:
    """Copy the files below `source` (none when None) into `destination`, replacing files of the same name."""
    destination.mkdir(exist_ok=True)
    if source is None:
        return
    for file in walk_files(source):
        target = destination / file.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, target)


def _fill(skeleton_file: Path, values: dict[str, str]) -> str:
    """The text of a project file of `_project/` with its `${name}` placeholders filled in."""
    return string.Template(skeleton_file.read_text(encoding="utf-8")).substitute(values)


def _write(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as stream:
        stream.write(text)
