"""The dev phone page in a real browser (headless Chromium) against a real `pyserverless start`: the counter
story typed and read from the bubbles and the cookie panel, a voice menu walked on the keypad, a reload seen.

Screenshots (a laptop window and a narrow one) are saved in the test's folder, or in the folder
`PYSERVERLESS_SCREENSHOTS` names, to look at."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.browser import headless_chromium, require_chromium
from tests.support.counter_story import COUNTER_STORY
from tests.support.reloads import RELOADED, wait_for_count
from tests.support.server_process import StartedServer, child_env, copy_project

require_chromium()

from selenium.webdriver.common.by import By  # noqa: E402  (after the check: selenium may be missing)
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

WAIT = 20
MENU = "Welcome. Press 1 for sales, 2 for support."
SALES = "Sales. Press 1 for new orders, 2 for a quote."


def screenshot_folder(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("PYSERVERLESS_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def texts(driver: WebDriver, selector: str) -> list[str]:
    """The text of every element `selector` finds, read at once (the page re-renders as answers come)."""
    found: list[str] = driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map((element) => element.textContent)", selector
    )
    return found


def bubbles(driver: WebDriver, kind: str) -> list[str]:
    return texts(driver, f"#thread .bubble.{kind}")


def wait_for_bubbles(driver: WebDriver, kind: str, count: int) -> list[str]:
    WebDriverWait(driver, WAIT).until(lambda _: len(bubbles(driver, kind)) >= count)
    return bubbles(driver, kind)


def cookie_rows(driver: WebDriver) -> list[list[str]]:
    rows: list[list[str]] = driver.execute_script(
        "return [...document.querySelectorAll('#cookies tr')]"
        ".map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent))"
    )
    return rows


def open_phone(driver: WebDriver, server: StartedServer) -> None:
    driver.get(server.url("/_dev/phone"))
    WebDriverWait(driver, WAIT).until(lambda _: driver.find_elements(By.CSS_SELECTOR, "#function option"))


def test_the_counter_story_is_told_by_typing_in_the_page(tmp_path: Path) -> None:
    made = subprocess.run(
        [sys.executable, "-m", "pyserverless", "init", "demo"],
        cwd=tmp_path,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    project = tmp_path / "demo"
    shots = screenshot_folder(tmp_path)
    with StartedServer(project) as server, headless_chromium(tmp_path / "profile") as driver:
        open_phone(driver, server)
        assert Select(driver.find_element(By.ID, "function")).first_selected_option.text == "/state"
        message = driver.find_element(By.ID, "message-input")
        for count, expected in enumerate(COUNTER_STORY, start=1):
            message.send_keys("hi", Keys.ENTER)
            assert wait_for_bubbles(driver, "incoming", count)[-1] == expected
            if count == 3:
                assert cookie_rows(driver) == [["count", "3", "in 4 h 0 min"]]
            if count == 7:  # the end of the count removes the cookie
                assert cookie_rows(driver) == [["No cookies"]]
        assert bubbles(driver, "outgoing") == ["hi"] * len(COUNTER_STORY)
        assert cookie_rows(driver) == [["count", "1", "in 4 h 0 min"]]
        twiml = texts(driver, "#twiml pre")
        assert len(twiml) == len(COUNTER_STORY)
        assert "<Message>Hello, thanks for the new message!</Message>" in twiml[0]
        driver.save_screenshot(str(shots / "dev-phone-laptop.png"))

        driver.set_window_size(390, 1500)
        driver.save_screenshot(str(shots / "dev-phone-narrow.png"))
        driver.set_window_size(1366, 900)

        driver.find_element(By.ID, "new-conversation").click()
        assert driver.find_element(By.ID, "from").get_attribute("value") == "+14155550101"
        message.send_keys("hello", Keys.ENTER)  # another pair: its own cookies, so its own count
        assert wait_for_bubbles(driver, "incoming", 1) == [COUNTER_STORY[0]]
        assert cookie_rows(driver) == [["count", "1", "in 4 h 0 min"]]
        assert texts(driver, "#conversations .sub") == [
            "+14155550100 → +14155550199",
            "+14155550101 → +14155550199",
        ]
        driver.find_element(By.CSS_SELECTOR, '#conversations button[data-conversation="c1"]').click()
        assert len(bubbles(driver, "incoming")) == len(COUNTER_STORY)

        driver.find_element(By.ID, "reset").click()
        WebDriverWait(driver, WAIT).until(lambda _: cookie_rows(driver) == [["No cookies"]])
        (project / "functions" / "hello-world.py").write_text(
            "def handler(context, event, callback):\n    callback(None, 'changed')\n"
        )
        wait_for_count(server, RELOADED, 1)
        message.send_keys("hi", Keys.ENTER)
        assert wait_for_bubbles(driver, "incoming", len(COUNTER_STORY) + 1)[-1] == COUNTER_STORY[0]
        assert texts(driver, "#thread .notice") == ["Code reloaded: this ran the new code."]
        assert driver.find_element(By.ID, "code-state").text.startswith("Code reloaded at ")


def test_a_voice_menu_is_walked_on_the_keypad(tmp_path: Path) -> None:
    shots = screenshot_folder(tmp_path)
    with (
        StartedServer(copy_project("simulate-ivr", tmp_path)) as server,
        headless_chromium(tmp_path / "profile") as driver,
    ):
        open_phone(driver, server)
        driver.find_element(By.ID, "mode-call").click()
        assert Select(driver.find_element(By.ID, "function")).first_selected_option.text == "/voice"
        driver.find_element(By.ID, "call-start").click()
        assert wait_for_bubbles(driver, "incoming", 1) == [MENU]
        assert cookie_rows(driver) == [["visits", "1", "this call"]]
        driver.find_element(By.CSS_SELECTOR, '#keypad button[data-key="1"]').click()
        assert wait_for_bubbles(driver, "incoming", 2) == [MENU, SALES]
        assert bubbles(driver, "outgoing") == ["(caller presses 1)"]
        driver.find_element(By.CSS_SELECTOR, '#keypad button[data-key="2"]').click()
        said = wait_for_bubbles(driver, "incoming", 3)
        assert said[-1] == "Quotes: we will send you a quote today."
        assert texts(driver, "#thread .event")[-1] == "Hangup: the call ends."
        assert driver.find_element(By.ID, "hangup").get_attribute("disabled") == "true"
        driver.save_screenshot(str(shots / "dev-phone-call.png"))
