"""A headless Chromium from Debian's packages (`chromium` and `chromium-driver`), driven by selenium.

How to use it:

    with headless_chromium(tmp_path / "profile") as driver:
        driver.get(server.url("/_dev/phone"))

The browser and its driver are named explicitly (/usr/bin/chromium, /usr/bin/chromedriver) and `SE_OFFLINE`
is set, so selenium-manager never looks for (or downloads) a browser or a driver; Chromium runs with a fresh
profile and its background networking, updates, sync and QUIC off, so the test touches nothing but loopback.
Without Chromium the tests are skipped, unless `PYSERVERLESS_BROWSER_TESTS=required` (as `.ci/run` sets):
then they fail, so CI never passes by skipping them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def require_chromium() -> None:
    """Skip the tests when Chromium or selenium is missing, or fail when the run says they are required
    (called at the top of a test module, before it imports selenium)."""
    missing = [
        f"{path} (apt-get install chromium chromium-driver)"
        for path in (CHROMIUM, CHROMEDRIVER)
        if not path.exists()
    ]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install -e '.[test]')")
    if not missing:
        return
    reason = f"the browser tests need {', '.join(missing)}"
    if os.environ.get("PYSERVERLESS_BROWSER_TESTS") == "required":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason, allow_module_level=True)


@contextmanager
def headless_chromium(profile: Path, width: int = 1366, height: int = 900) -> Iterator[WebDriver]:
    """A headless Chromium with a fresh profile in `profile`, its window `width` x `height` pixels."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    offline = os.environ.get("SE_OFFLINE")
    os.environ["SE_OFFLINE"] = "true"
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()
        if offline is None:
            del os.environ["SE_OFFLINE"]
        else:
            os.environ["SE_OFFLINE"] = offline
