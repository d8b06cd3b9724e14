"""What a Lambda cold start costs: nothing read, built or imported that the request does not need."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pyserverless.project.folder import scan_routes
from pyserverless.runtime.manifest import MANIFEST_NAME, PROJECT_DIR, manifest_bytes

SRC = Path(__file__).resolve().parents[3] / "src"


def test_importing_the_entry_reads_no_mime_table_and_the_first_asset_still_gets_its_type() -> None:
    script = (
        "import sys, json; sys.path.insert(0, sys.argv[1])\n"
        "import mimetypes\n"
        "from pyserverless.runtime import lambda_entry\n"
        "from pyserverless.runtime.assets import content_type_for\n"
        "at_import = mimetypes.inited\n"
        "print(json.dumps([at_import, content_type_for('a.css'), content_type_for('a.mp3')]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", script, str(SRC)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [False, "text/css; charset=utf-8", "audio/mpeg"]


def test_a_sync_handler_is_answered_without_asyncio_or_the_asset_server_and_an_async_one_loads_asyncio(
    tmp_path: Path,
) -> None:
    project = tmp_path / PROJECT_DIR
    (project / "functions").mkdir(parents=True)
    (project / "functions" / "hello.py").write_text(
        "def handler(context, event, callback):\n    callback(None, 'hi')\n"
    )
    (project / "functions" / "later.py").write_text(
        "async def handler(context, event):\n    return 'later'\n"
    )
    (project / MANIFEST_NAME).write_bytes(manifest_bytes(scan_routes(project)))
    script = (
        "import sys, json; sys.path.insert(0, sys.argv[1])\n"
        "from pyserverless.runtime import lambda_entry\n"
        "from tests.support.function_url_events import function_url_event\n"
        "seen = ['asyncio' in sys.modules]\n"
        "for path in ('/hello', '/later'):\n"
        "    result = lambda_entry.handler(function_url_event('GET', path), None)\n"
        "    loaded = ('asyncio', 'ssl', 'pyserverless.runtime.assets')\n"
        "    seen.append([result['body'], *(name in sys.modules for name in loaded)])\n"
        "print(json.dumps(seen))\n"
    )
    environment = {"LAMBDA_TASK_ROOT": str(tmp_path), "PYSERVERLESS_ENV_KEYS": "", "PATH": os.environ["PATH"]}
    result = subprocess.run(
        [sys.executable, "-c", script, str(SRC)],
        capture_output=True,
        text=True,
        check=False,
        env=environment,
        cwd=SRC.parent,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [False, ["hi", False, False, False], ["later", True, True, False]]
