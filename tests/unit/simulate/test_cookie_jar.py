from __future__ import annotations

import json
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path

import pytest

from pyserverless.errors import UserError
from pyserverless.simulate.clock import ManualClock
from pyserverless.simulate.cookies import CookieStore, MessagingCookieJar, parse_set_cookie

ALICE, BOB, SERVICE = "+14155550100", "+14155550111", "+14155550199"
START = 1_800_000_000.0


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def jar(clock: ManualClock) -> MessagingCookieJar:
    return MessagingCookieJar(clock)


def http_date(timestamp: float) -> str:
    return format_datetime(datetime.fromtimestamp(timestamp, timezone.utc), usegmt=True)


def test_cookies_come_back_only_to_the_pair_that_got_them(jar: MessagingCookieJar) -> None:
    jar.store(ALICE, SERVICE, ["count=1"])
    jar.store(BOB, SERVICE, ["count=7"])
    assert jar.cookie_header(ALICE, SERVICE) == "count=1"
    assert jar.cookie_header(BOB, SERVICE) == "count=7"
    assert jar.cookie_header(SERVICE, ALICE) is None
    assert jar.cookie_header(ALICE, BOB) is None


def test_a_one_day_max_age_is_capped_at_four_hours(jar: MessagingCookieJar, clock: ManualClock) -> None:
    jar.store(ALICE, SERVICE, ["count=1;Max-Age=86400"])
    clock.advance(hours=3, minutes=59, seconds=59)
    assert jar.cookies(ALICE, SERVICE) == {"count": "1"}
    clock.advance(seconds=1)
    assert jar.cookies(ALICE, SERVICE) == {}
    assert jar.cookie_header(ALICE, SERVICE) is None


def test_a_cookie_without_lifetime_also_lasts_four_hours(jar: MessagingCookieJar, clock: ManualClock) -> None:
    jar.store(ALICE, SERVICE, ["count=1"])
    clock.advance(hours=4)
    assert jar.cookies(ALICE, SERVICE) == {}


def test_a_shorter_max_age_is_kept(jar: MessagingCookieJar, clock: ManualClock) -> None:
    jar.store(ALICE, SERVICE, ["count=1;Max-Age=1800"])
    clock.advance(minutes=29)
    assert jar.cookies(ALICE, SERVICE) == {"count": "1"}
    clock.advance(minutes=1)
    assert jar.cookies(ALICE, SERVICE) == {}


def test_setting_again_restarts_the_four_hours(jar: MessagingCookieJar, clock: ManualClock) -> None:
    jar.store(ALICE, SERVICE, ["count=1"])
    clock.advance(hours=3)
    jar.store(ALICE, SERVICE, ["count=2"])
    clock.advance(hours=3)
    assert jar.cookies(ALICE, SERVICE) == {"count": "2"}


def test_max_age_zero_removes(jar: MessagingCookieJar) -> None:
    jar.store(ALICE, SERVICE, ["count=5", "name=ada"])
    jar.store(ALICE, SERVICE, ["count=;Max-Age=0"])
    assert jar.cookies(ALICE, SERVICE) == {"name": "ada"}


def test_an_expires_in_the_past_removes(jar: MessagingCookieJar) -> None:
    jar.store(ALICE, SERVICE, ["count=5"])
    jar.store(ALICE, SERVICE, [f"count=5; Expires={http_date(START - 60)}"])
    assert jar.cookies(ALICE, SERVICE) == {}


def test_an_expires_in_the_future_is_capped_too(jar: MessagingCookieJar, clock: ManualClock) -> None:
    jar.store(ALICE, SERVICE, [f"count=5; Expires={http_date(START + 7 * 86400)}"])
    clock.advance(hours=2)
    assert jar.cookies(ALICE, SERVICE) == {"count": "5"}
    clock.advance(hours=2)
    assert jar.cookies(ALICE, SERVICE) == {}


def test_max_age_wins_over_expires() -> None:
    parsed = parse_set_cookie(f"a=1; Expires={http_date(START - 60)}; Max-Age=60", START)
    assert parsed is not None
    assert parsed.expires_at == START + 60


def test_several_cookies_are_sent_together_in_order(jar: MessagingCookieJar) -> None:
    jar.store(ALICE, SERVICE, ["count=1;Max-Age=1800", "name=ada", "step=menu; Path=/; HttpOnly"])
    assert jar.cookie_header(ALICE, SERVICE) == "count=1; name=ada; step=menu"


def test_a_later_set_cookie_replaces_the_earlier_value(jar: MessagingCookieJar, clock: ManualClock) -> None:
    jar.store(ALICE, SERVICE, ["count=1", "name=ada"])
    jar.store(ALICE, SERVICE, ["count=2;Max-Age=60"])
    assert jar.cookie_header(ALICE, SERVICE) == "count=2; name=ada"
    clock.advance(seconds=60)
    assert jar.cookie_header(ALICE, SERVICE) == "name=ada"


def test_headers_without_a_name_are_ignored(jar: MessagingCookieJar) -> None:
    jar.store(ALICE, SERVICE, ["garbage", "=value", "ok=1"])
    assert jar.cookies(ALICE, SERVICE) == {"ok": "1"}


def test_reset_forgets_only_that_pair(jar: MessagingCookieJar) -> None:
    jar.store(ALICE, SERVICE, ["count=3"])
    jar.store(BOB, SERVICE, ["count=4"])
    jar.reset(ALICE, SERVICE)
    assert jar.cookies(ALICE, SERVICE) == {}
    assert jar.cookies(BOB, SERVICE) == {"count": "4"}


def test_the_jar_persists_between_runs(tmp_path: Path, clock: ManualClock) -> None:
    path = tmp_path / ".pyserverless" / "cookies.json"
    MessagingCookieJar(clock, path).store(ALICE, SERVICE, ["count=2;Max-Age=1800"])
    document = json.loads(path.read_text())
    assert document == {
        "version": 1,
        "conversations": [
            {
                "from": ALICE,
                "to": SERVICE,
                "cookies": [{"name": "count", "value": "2", "expires_at": START + 1800}],
            }
        ],
    }
    again = MessagingCookieJar(clock, path)
    assert again.cookies(ALICE, SERVICE) == {"count": "2"}
    again.reset(ALICE, SERVICE)
    assert MessagingCookieJar(clock, path).cookies(ALICE, SERVICE) == {}
    assert json.loads(path.read_text())["conversations"] == []


def test_a_damaged_cookie_file_is_a_user_error(tmp_path: Path, clock: ManualClock) -> None:
    path = tmp_path / "cookies.json"
    path.write_text("{not json")
    with pytest.raises(UserError) as raised:
        MessagingCookieJar(clock, path)
    assert raised.value.message.startswith(f"The simulator's cookie file {path} cannot be read: ")
    assert raised.value.hint == "Delete the file: the simulated conversations then start afresh."


def test_a_call_store_has_no_cap_but_honours_max_age() -> None:
    store = CookieStore()
    store.update(["leg=menu", "short=1;Max-Age=10"], START)
    assert store.cookie_header(START + 9) == "leg=menu; short=1"
    assert store.cookie_header(START + 86400) == "leg=menu"
