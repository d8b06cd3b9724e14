"""The deploy package: one deterministic zip that AWS Lambda runs as is.

Layout of the zip:
    pyserverless/__init__.py, pyserverless/runtime/  the runtime, vendored (never the CLI)
    pyserverless/types.py                            the event types handlers may import
    project/functions/, project/assets/             every file of the two folders, helpers included
    project/pyserverless.json                        the route manifest (read at cold start, no folder scan)
    <dependencies>                                   installed for the Lambda platform (dependencies.py)
    **/__pycache__/*.cpython-3XY.pyc                 byte code of all the modules, when an interpreter of
                                                     the target's version is here to compile it (bytecode.py)

Entries are written with a fixed timestamp, fixed permissions and fixed compression, in two sorted layers: the
dependencies first (compressed once per dependency install and cached as `.pyserverless/deps/<key>.zip`, so a
build only compresses the project and the runtime), then the runtime and the project. An unchanged project
gives the same bytes and therefore the same CodeSha256 as the deployed function: that equality is how a
deploy knows there is nothing to upload. Byte code is only what `bytecode` compiled for the target (never a
cache of this machine's; the dependencies' is left out when only it would break Lambda's limits); console
scripts are left out, and so is every dotfile or dot-folder of the project
(`functions/.env`, `assets/.git/`): secrets and tool state, never code.
Lambda's limits are checked before any upload: 50 MB zipped for a direct upload, 250 MB unzipped.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyserverless
from pyserverless.deploy.bytecode import BytecodeCompiler
from pyserverless.deploy.dependencies import install_dependencies
from pyserverless.deploy.target import LambdaTarget
from pyserverless.errors import UserError
from pyserverless.project.folder import ASSETS_DIR, FUNCTIONS_DIR, Project, walk_project_files
from pyserverless.runtime.manifest import MANIFEST_NAME, PROJECT_DIR, manifest_bytes

ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o644
MAX_ZIPPED_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 250 * 1024 * 1024
HANDLER = "pyserverless.runtime.lambda_entry.handler"
_SKIPPED_PARTS = ("__pycache__",)
_SKIPPED_SUFFIXES = (".pyc", ".pyo")
_SKIPPED_TOP_LEVEL = ("bin", "pyserverless")


@dataclass(frozen=True)
class Package:
    """A built zip: its bytes, Lambda's CodeSha256 of them, and figures for the size checks and output."""

    data: bytes
    code_sha256: str
    unzipped_size: int
    file_count: int
    largest: list[tuple[str, int]]
    #: The tag of the byte code inside ("cpython-312"), None when the package has none.
    bytecode: str | None = None
    #: Whether the dependencies have theirs too (left out when only it would break Lambda's limits).
    dependency_bytecode: bool = False

    @property
    def size(self) -> int:
        return len(self.data)


def code_sha256(data: bytes) -> str:
    """Lambda's CodeSha256: the base64 of the SHA-256 digest of the zip."""
    return base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


def build_package(project: Project, target: LambdaTarget) -> Package:
    """Install the dependencies (cached), assemble the zip for `target`, check it against Lambda's limits.

    With byte code, a package that would pass Lambda's limits only because of the dependencies' byte code is
    built again without it (the runtime and the functions keep theirs).
    """
    compiler = BytecodeCompiler.find(target)
    tag = compiler.cache_tag if compiler else None
    dependencies = install_dependencies(project.root, target, compiler)
    own = dict(_runtime_entries())
    own.update(_project_entries(project))
    own[f"{PROJECT_DIR}/{MANIFEST_NAME}"] = manifest_bytes(project.routes)
    if compiler is not None:
        own.update(compiled_entries(own, compiler))
    package = _assemble(dependency_archive(dependencies, tag), own, tag, dependency_bytecode=tag is not None)
    if tag is not None and over_limits(package):
        package = _assemble(dependency_archive(dependencies), own, tag, dependency_bytecode=False)
    check_size(package)
    return package


def _assemble(
    layer_zip: bytes, own: dict[str, bytes], bytecode: str | None, dependency_bytecode: bool
) -> Package:
    """The package: the dependency layer, then the runtime's and the project's entries."""
    buffer = io.BytesIO(layer_zip)
    with zipfile.ZipFile(buffer, "a") as archive:
        layer = archive.infolist()
        for name in sorted(own):
            _write_entry(archive, name, own[name])
    data = buffer.getvalue()
    return Package(
        data=data,
        code_sha256=code_sha256(data),
        unzipped_size=sum(info.file_size for info in layer) + sum(len(content) for content in own.values()),
        file_count=len(layer) + len(own),
        largest=largest_packages(layer),
        bytecode=bytecode,
        dependency_bytecode=dependency_bytecode,
    )


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    """A zip of `entries` (name -> content) that depends on nothing but them: sorted, fixed time and mode."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(entries):
            _write_entry(archive, name, entries[name])
    return buffer.getvalue()


def _write_entry(archive: zipfile.ZipFile, name: str, content: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = (0o100000 | FILE_MODE) << 16
    archive.writestr(info, content, compresslevel=6)


def compiled_entries(entries: dict[str, bytes], compiler: BytecodeCompiler) -> dict[str, bytes]:
    """The byte code of the runtime's and the functions' modules among `entries`, as package entries."""
    modules = {
        name: content
        for name, content in entries.items()
        if name.endswith(".py") and name.startswith(("pyserverless/", f"{PROJECT_DIR}/{FUNCTIONS_DIR}/"))
    }
    with tempfile.TemporaryDirectory(prefix="pyserverless-bytecode-") as scratch:
        folder = Path(scratch)
        for name, content in modules.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(content)
        compiler.compile(folder)
        return {
            file.relative_to(folder).as_posix(): file.read_bytes()
            for file in sorted(folder.rglob(f"*.{compiler.cache_tag}.pyc"))
        }


def dependency_archive(folder: Path, bytecode: str | None = None) -> bytes:
    """The dependency layer: a zip of the installed dependencies (with the byte code tagged `bytecode` that
    was compiled into them, if given), compressed once and cached beside them."""
    cached = folder.with_name(folder.name + (f".{bytecode}.zip" if bytecode else ".zip"))
    if cached.is_file():
        return cached.read_bytes()
    if (folder / PROJECT_DIR).exists():
        raise UserError(
            f"A dependency installs a top-level `{PROJECT_DIR}` package, which would clash with the "
            "project's own files in the package.",
            hint="Remove that dependency from the requirements.",
        )
    data = zip_bytes({name: file.read_bytes() for name, file in _dependency_files(folder, bytecode)})
    staging = cached.with_name(f".{cached.name}.{os.getpid()}")
    staging.write_bytes(data)
    os.replace(staging, cached)
    return data


def _skipped(relative: Path) -> bool:
    return any(part in _SKIPPED_PARTS for part in relative.parts) or relative.suffix in _SKIPPED_SUFFIXES


def _runtime_entries() -> Iterator[tuple[str, bytes]]:
    """`pyserverless/__init__.py` (imports nothing heavy), `types.py` (handlers import its event types) and
    the whole `pyserverless/runtime` package."""
    package_dir = Path(pyserverless.__file__).parent
    yield "pyserverless/__init__.py", (package_dir / "__init__.py").read_bytes()
    yield "pyserverless/types.py", (package_dir / "types.py").read_bytes()
    runtime_dir = package_dir / "runtime"
    for file in sorted(runtime_dir.rglob("*")):
        relative = file.relative_to(package_dir)
        if file.is_file() and not _skipped(relative):
            yield f"pyserverless/{relative.as_posix()}", file.read_bytes()


def _project_entries(project: Project) -> Iterator[tuple[str, bytes]]:
    """Every file under the project's functions/ and assets/ but dotfiles and files in dot-folders; links that
    lead out of them are left out (a link to the project's .env must not ship its secrets)."""
    for folder in (FUNCTIONS_DIR, ASSETS_DIR):
        top = project.root / folder
        if not top.is_dir():
            continue
        for file, relative in walk_project_files(top):
            hidden = any(part.startswith(".") for part in relative.parts)
            if not hidden and not _skipped(Path(relative)):
                yield f"{PROJECT_DIR}/{folder}/{relative}", file.read_bytes()


def _dependency_files(folder: Path, bytecode: str | None) -> Iterator[tuple[str, Path]]:
    for file in sorted(folder.rglob("*")):
        relative = file.relative_to(folder)
        if relative.parts[0] in _SKIPPED_TOP_LEVEL or not file.is_file():
            continue
        compiled = (
            bytecode is not None
            and relative.parent.name == "__pycache__"
            and file.name.endswith(f".{bytecode}.pyc")
        )
        if compiled or not _skipped(relative):
            yield relative.as_posix(), file


def largest_packages(layer: list[zipfile.ZipInfo], count: int = 5) -> list[tuple[str, int]]:
    """The biggest top-level packages of the dependency layer with their unzipped size, largest first."""
    sizes: dict[str, int] = {}
    for info in layer:
        top = info.filename.split("/", 1)[0]
        if top.endswith(".dist-info"):
            top = top.split("-", 1)[0]
        sizes[top] = sizes.get(top, 0) + info.file_size
    return sorted(sizes.items(), key=lambda item: (-item[1], item[0]))[:count]


def bytecode_summary(package: Package, target: LambdaTarget) -> str:
    """What byte code a package carries, as the deploy output says it."""
    if package.bytecode is None:
        return f"no byte code (no {target.runtime} here to compile it)"
    if not package.dependency_bytecode:
        return f"byte code for {target.runtime}, but not the dependencies' (it would pass Lambda's limits)"
    return f"byte code for {target.runtime}"


def megabytes(size: int) -> str:
    """A size as the deploy output shows it: "12.3 MB"."""
    return f"{size / 1024 / 1024:.1f} MB"


def over_limits(package: Package) -> bool:
    return package.size > MAX_ZIPPED_BYTES or package.unzipped_size > MAX_UNZIPPED_BYTES


def check_size(package: Package) -> None:
    """Refuse a package over Lambda's limits, naming the dependencies that weigh most."""
    listing = ", ".join(f"{name} {megabytes(size)}" for name, size in package.largest)
    if package.size > MAX_ZIPPED_BYTES:
        raise UserError(
            f"The package is {megabytes(package.size)} zipped; AWS Lambda takes at most "
            f"{megabytes(MAX_ZIPPED_BYTES)} in a direct upload. Largest dependencies: {listing}.",
            hint="Drop dependencies the functions do not need (boto3 is already on Lambda), or move large "
            "files out of assets/.",
        )
    if package.unzipped_size > MAX_UNZIPPED_BYTES:
        raise UserError(
            f"The package is {megabytes(package.unzipped_size)} unzipped; AWS Lambda takes at most "
            f"{megabytes(MAX_UNZIPPED_BYTES)}. Largest dependencies: {listing}.",
            hint="Drop dependencies the functions do not need, or move large files out of assets/.",
        )
