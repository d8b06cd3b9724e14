"""The code a deployed function runs, fetched back from AWS, and the routes it serves.

`GetFunction` answers, next to the configuration, `Code.Location`: a short-lived presigned URL of the zip
Lambda stores. `download_code` fetches it with a plain GET and checks its SHA-256 against the function's
CodeSha256, so what it returns is exactly the deployed package (byte for byte: a redeploy of it keeps the same
hash). `routes_in_code` reads the route manifest the package carries (written by `deploy.package`), so the
routes of an environment are known even when it was deployed from another machine.
"""

from __future__ import annotations

import io
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

from pyserverless.deploy.package import Package, code_sha256
from pyserverless.errors import UserError
from pyserverless.operate.environment import LiveEnvironment, aws_call
from pyserverless.runtime.manifest import MANIFEST_NAME, PROJECT_DIR, read_manifest
from pyserverless.runtime.routes import Route

DOWNLOAD_TIMEOUT_SECONDS = 120


def download_code(live: LiveEnvironment) -> Package:
    """The deployed zip of `live`, verified against its CodeSha256."""
    answer = aws_call(
        f"Reading the code of {live.function_name}",
        lambda: live.aws.lambda_.get_function(FunctionName=live.function_name),
    )
    location = answer.get("Code", {}).get("Location")
    if not location:
        raise UserError(
            f"AWS gave no download location for the code of {live.function_name}.",
            hint="Only zip-packaged functions (as deploy creates them) can be read back.",
        )
    try:
        with urllib.request.urlopen(location, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response:
            data: bytes = response.read()
    except (urllib.error.URLError, OSError) as error:
        raise UserError(
            f"Downloading the code of {live.function_name} failed: {error}",
            hint="Check the network, then run the command again (the download link is valid for minutes).",
        ) from error
    expected = str(answer.get("Configuration", {}).get("CodeSha256", live.code_sha256))
    if code_sha256(data) != expected:
        raise UserError(
            f"The code downloaded for {live.function_name} does not match its CodeSha256 ({expected}).",
            hint="The function was probably updated meanwhile: run the command again.",
        )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    return Package(
        data=data,
        code_sha256=expected,
        unzipped_size=sum(info.file_size for info in infos),
        file_count=len(infos),
        largest=[],
    )


def routes_in_code(package: Package) -> list[Route]:
    """The routes listed in the package's manifest."""
    name = f"{PROJECT_DIR}/{MANIFEST_NAME}"
    with zipfile.ZipFile(io.BytesIO(package.data)) as archive:
        if name not in archive.namelist():
            raise UserError(
                f"The deployed code has no route manifest ({name}).",
                hint="It was not deployed by pyserverless: deploy the project again.",
            )
        manifest = archive.read(name)
    with tempfile.TemporaryDirectory(prefix="pyserverless-manifest-") as folder:
        (Path(folder) / MANIFEST_NAME).write_bytes(manifest)
        return list(read_manifest(Path(folder)))
