"""The project's third-party dependencies, installed for the Lambda platform and cached.

The requirements come from the project's `requirements.txt` when it has one, else from
`[project].dependencies` of its `pyproject.toml`; pyserverless itself is dropped (its runtime is vendored into
the zip) and the runtime's own dependency (twilio) is always added. They are installed into a folder with
`--target`, for the target's interpreter and platform, wheels only and with no byte-code, so nothing is built
for this machine by mistake:
- with `uv pip install` when `uv` is on PATH and names the target's glibc as a platform
  (`--python-platform x86_64-manylinux_2_34` accepts the same manylinux tags as the list pip gets; uv names
  no glibc 2.26, so python3.10/3.11 go to pip): several times faster. `PIP_INDEX_URL`,
  `PIP_EXTRA_INDEX_URL`, `PIP_FIND_LINKS` and `PIP_NO_INDEX` are passed to uv as its flags (uv reads no
  `pip.conf`; its own `UV_*` settings apply).
- else with pip (`--implementation cp --python-version X.Y`, one `--platform` per manylinux tag); pip's own
  configuration (`PIP_INDEX_URL`, `PIP_FIND_LINKS`, `pip.conf`) applies as usual.
Either way the files that record the install itself (INSTALLER, RECORD, …) are removed, so the folder holds
the same bytes whichever installer made it; then, given an interpreter of the target's version, its byte code
is compiled in (`bytecode`). The folder is cached under `.pyserverless/deps/<key>/`, keyed by the hash of the
requirements, the Python version, the architecture and whether it holds byte code (not the installer), and is
only ever renamed into place once complete, so an interrupted install never poisons the cache.
pip before 24.2 checks the `Requires-Python` of wheels from a `--find-links` folder against the Python
running it instead of the target's: that refusal is told apart, with the pip to upgrade to.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pyserverless.deploy.bytecode import BytecodeCompiler
from pyserverless.deploy.target import LambdaTarget
from pyserverless.errors import UserError
from pyserverless.tomlcompat import tomllib

#: What the runtime itself needs besides the standard library (kept in step with pyproject.toml).
RUNTIME_REQUIREMENTS = ("twilio>=9",)
CACHE_DIR = Path(".pyserverless") / "deps"
PIP_TIMEOUT_SECONDS = 900
#: The files of a `.dist-info` that record the install rather than the package.
INSTALLER_MARKS = ("INSTALLER", "REQUESTED", "RECORD", "direct_url.json", "uv_cache.json")
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_NO_DISTRIBUTION = re.compile(
    r"No matching distribution found for (\S+)"  # pip
    r"|Because (\S+) (?:was not found|has no usable wheels)"  # uv
)
_OTHER_PYTHON = re.compile(r"Package '([^']+)' requires a different Python: (\S+) not in '([^']*)'")
#: The first pip that checks Requires-Python of --find-links wheels against --python-version.
PIP_JUDGING_TARGET_PYTHON = "24.2"


def normalize_name(name: str) -> str:
    """A distribution name as PyPI compares them (PEP 503): lower case, runs of `-_.` become `-`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(line: str) -> str | None:
    """The normalized distribution name a requirement line asks for; None for option lines and URLs."""
    if line.lstrip().startswith("-") or "://" in line:
        return None
    match = _NAME.match(line)
    return normalize_name(match.group(1)) if match else None


def project_requirements(root: Path) -> list[str]:
    """The requirement lines to install for the project at `root`, pyserverless excluded, runtime's added."""
    requirements_txt = root / "requirements.txt"
    if requirements_txt.is_file():
        lines = _requirements_txt_lines(requirements_txt)
    else:
        lines = _pyproject_dependencies(root / "pyproject.toml")
    kept = [line for line in lines if requirement_name(line) != "pyserverless"]
    return [*kept, *RUNTIME_REQUIREMENTS]


def _requirements_txt_lines(path: Path) -> list[str]:
    lines: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        option, _, value = line.partition(" ")
        if option in ("-r", "-c", "--requirement", "--constraint") and value:
            line = f"{option} {(path.parent / value.strip()).resolve()}"
        lines.append(line)
    return lines


def _pyproject_dependencies(path: Path) -> list[str]:
    if not path.is_file():
        return []
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise UserError(f"{path} is not valid TOML: {error}", hint="Fix the syntax of the file.") from error
    dependencies = document.get("project", {}).get("dependencies", [])
    if not isinstance(dependencies, list) or not all(isinstance(item, str) for item in dependencies):
        raise UserError(
            f"{path}: [project] dependencies must be a list of strings.",
            hint='Write it as dependencies = ["twilio>=9"].',
        )
    return list(dependencies)


def cache_key(requirements: list[str], target: LambdaTarget, bytecode: str | None = None) -> str:
    """The cache folder's name: a hash of what the install holds (`bytecode`: the byte code's tag, if any)."""
    parts = [target.python_version, target.machine, *target.platform_tags(), *requirements]
    if bytecode is not None:
        parts.append(f"bytecode {bytecode}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:24]


def install_dependencies(root: Path, target: LambdaTarget, compiler: BytecodeCompiler | None = None) -> Path:
    """The folder holding the project's dependencies installed for `target` (with the byte code `compiler`
    makes, if given), from the cache or built now."""
    requirements = project_requirements(root)
    cache = root / CACHE_DIR
    folder = cache / cache_key(requirements, target, compiler.cache_tag if compiler else None)
    if folder.is_dir():
        return folder
    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="install-", dir=cache))
    try:
        requirements_file = staging / "requirements.txt"
        requirements_file.write_text("\n".join(requirements) + "\n", encoding="utf-8")
        uv = uv_command(target)
        if uv is None:
            _pip_install(requirements_file, staging / "site", target)
        else:
            _uv_install(uv, requirements_file, staging / "site", target)
        remove_installer_marks(staging / "site")
        if compiler is not None:
            compiler.compile(staging / "site")
        os.replace(staging / "site", folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def uv_platform(target: LambdaTarget) -> str | None:
    """uv's `--python-platform` for the target's glibc, None when uv has no name for it."""
    major, minor = target.glibc
    if (major, minor) != (2, 17) and minor < 28:
        return None
    return f"{target.machine}-manylinux_{major}_{minor}"


def uv_command(target: LambdaTarget) -> list[str] | None:
    """The start of the `uv pip install` command for `target`, or None when pip must do it."""
    uv = shutil.which("uv")
    platform = uv_platform(target)
    if uv is None or platform is None:
        return None
    return [uv, "pip", "install", "--python", sys.executable, "--python-platform", platform]


def _uv_install(uv: list[str], requirements_file: Path, destination: Path, target: LambdaTarget) -> None:
    command = [
        *uv,
        "--target",
        str(destination),
        "--python-version",
        target.python_version,
        "--only-binary",
        ":all:",
        "--quiet",
        *_pip_settings_for_uv(),
        "-r",
        str(requirements_file),
    ]
    _run_installer(command, target, "uv")


def _pip_settings_for_uv() -> list[str]:
    """pip's index settings from the environment, as uv's flags."""
    arguments: list[str] = []
    if os.environ.get("PIP_NO_INDEX", "").lower() in ("1", "true", "yes", "on"):
        arguments.append("--no-index")
    if os.environ.get("PIP_INDEX_URL"):
        arguments += ["--index-url", os.environ["PIP_INDEX_URL"]]
    for flag, variable in (("--extra-index-url", "PIP_EXTRA_INDEX_URL"), ("--find-links", "PIP_FIND_LINKS")):
        for value in os.environ.get(variable, "").split():
            arguments += [flag, value]
    return arguments


def remove_installer_marks(site: Path) -> None:
    """Delete what says which installer ran and how: each `.dist-info`'s INSTALLER_MARKS, and uv's `.lock`.
    pip and uv write these differently (RECORD's paths and order too); Lambda needs none of them, and without
    them the folder, so the package, is the same whichever installed it."""
    (site / ".lock").unlink(missing_ok=True)
    for info in site.glob("*.dist-info"):
        for name in INSTALLER_MARKS:
            (info / name).unlink(missing_ok=True)


def _pip_install(requirements_file: Path, destination: Path, target: LambdaTarget) -> None:
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--target",
        str(destination),
        "--implementation",
        "cp",
        "--python-version",
        target.python_version,
        "--only-binary=:all:",
        "--no-compile",
        "--disable-pip-version-check",
        "--no-input",
        *[argument for tag in target.platform_tags() for argument in ("--platform", tag)],
        "-r",
        str(requirements_file),
    ]
    _run_installer(command, target, "pip")


def _run_installer(command: list[str], target: LambdaTarget, installer: str) -> None:
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=PIP_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise UserError(
            f"Installing the dependencies for Lambda took more than {PIP_TIMEOUT_SECONDS} s and was stopped.",
            hint="Check your network or package index settings (PIP_INDEX_URL), then deploy again.",
        ) from error
    if result.returncode == 0:
        return
    if installer == "pip" and "No module named pip" in result.stderr:
        raise UserError(
            f"pip is not available in {sys.executable}, and the deploy needs it to install dependencies.",
            hint="Install pip into that environment (python -m ensurepip), then deploy again.",
        )
    other_python = _OTHER_PYTHON.search(result.stderr)
    running = ".".join(map(str, sys.version_info[:3]))
    if (
        other_python
        and other_python.group(2) == running
        and target.python_version != running.rsplit(".", 1)[0]
    ):
        package, _, specifier = other_python.groups()
        raise UserError(
            f"pip {_pip_version()} judged {package} (Requires-Python {specifier}) for this Python {running} "
            f"instead of Lambda's Python {target.python_version}: pip before {PIP_JUDGING_TARGET_PYTHON} "
            "does so for wheels from a --find-links folder (PIP_FIND_LINKS).",
            hint=f"Upgrade pip, then deploy again: {sys.executable} -m pip install --upgrade "
            f"'pip>={PIP_JUDGING_TARGET_PYTHON}'",
        )
    missing = _NO_DISTRIBUTION.search(result.stderr)
    if missing:
        name = missing.group(1) or missing.group(2)
        raise UserError(
            f"The dependency {name} has no wheel for AWS Lambda ({target.describe()}). "
            "pyserverless installs only wheels: a package built from source here would be built for this "
            "machine, not for Lambda.",
            hint=f"Use a version of {name} that publishes manylinux wheels, another package, "
            "or the other --arch; check the name and version too.",
        )
    tail = "\n".join(result.stderr.strip().splitlines()[-12:])
    raise UserError(
        f"{installer} could not install the dependencies for AWS Lambda ({target.describe()}):\n{tail}",
        hint=f"Fix the requirement {installer} names above, then deploy again.",
    )


def _pip_version() -> str:
    try:
        return importlib.metadata.version("pip")
    except importlib.metadata.PackageNotFoundError:
        return "(unknown version)"
