from __future__ import annotations

from pyserverless.cli.main import main

main()
