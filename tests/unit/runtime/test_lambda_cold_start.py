"""What importing the Lambda entry point costs: nothing read or built that the first request does not need."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
