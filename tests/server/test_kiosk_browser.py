"""The kiosk in a real browser: Debian's headless Chromium at the kiosk's two screen shapes.

A hall server with two kiosks, each with its own network printer (a fake one on loopback)
driven by its own print agent (``qconsole printers work`` with the kiosk's token, as on
the kiosk PC). kiosk-1's printer has paper; kiosk-2's is out of it.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.alerts import hall_alerts
from console.local import LocalHall
from printers.testing import FakePrinter
from tests.server.conftest import ADMIN, Server, build_hall, free_port, register
from tests.server.test_kiosk import add_kiosk
from tests.server.test_public_browser import (
    CHROMEDRIVER,
    CHROMIUM,
    policy_violations,
    start_browser,
)

ROOT = Path(__file__).resolve().parents[2]
SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(first17: str) -> str:
    """An ID number with its GB 11643 check character (ISO 7064 MOD 11-2)."""
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, W, strict=True)) % 11]


ELDERLY_ID = id_number("11010519491231002")
"""Born 1949-12-31: 76 on the hall's day (2026-11-26)."""
NEARLY_60_ID = id_number("11010519661127004")
"""Born 1966-11-27: 59 on the hall's day, 60 from the next; the machine's own date (any day
but the hall's) must not count."""

pytestmark = pytest.mark.skipif(
    not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)),
    reason="needs Debian's chromium and chromium-driver (apt install chromium chromium-driver)",
)


class Kiosks:
    """The server, its kiosks' tokens and printers."""

    def __init__(self, server: Server, printers: dict[str, FakePrinter]):
        self.server, self.printers = server, printers

    def url(self, kiosk: str, query: str = "") -> str:
        return f"{self.server.url}/kiosk{query}#token={self.server.tokens[kiosk]}"


def print_agent(srv: Server, kiosk: str) -> subprocess.Popen:
    """``qconsole printers work`` with the kiosk's token, as the kiosk PC runs it."""
    command = [sys.executable, "-c", "from console.cli.main import run; run()", "printers",
               "work", "--server", srv.url]  # fmt: skip
    return subprocess.Popen(command, env={**os.environ, "QCONSOLE_TOKEN": srv.tokens[kiosk]},
                            cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip


@pytest.fixture(scope="module")
def kiosks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kiosks]:
    db = tmp_path_factory.mktemp("kiosks") / "hall.db"
    build_hall(db)
    srv = Server(db, free_port())
    printers = {"kiosk-1": FakePrinter("online").start(),
                "kiosk-2": FakePrinter("paper_out").start()}  # fmt: skip
    hall = LocalHall(db)
    try:
        hall.set_setting(ADMIN, "public_url", srv.url)
        hall.set_setting(ADMIN, "public_rate_per_min", 100_000)
        hall.add_matter(ADMIN, code="SCJ-001", name_zh="个体工商户设立登记",
                        name_en="Sole trader registration", department="SCJ",
                        service="PP")  # fmt: skip
        for name, fake in printers.items():
            hall.add_printer(ADMIN, name=f"{name}-printer", connection="network",
                             address=fake.address, station=name)  # fmt: skip
    finally:
        hall.close()
    srv.tokens["admin-pc"] = register(db, "admin-pc", admin=True)
    for name in printers:
        srv.tokens[name] = add_kiosk(db, name)
    srv.start()
    agents = [print_agent(srv, name) for name in printers]
    yield Kiosks(srv, printers)
    for agent in agents:
        agent.terminate()
        agent.wait(10)
    srv.stop()
    for fake in printers.values():
        fake.stop()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    driver = start_browser(tmp_path_factory.mktemp("kiosk-profile"), "1080,1920")
    yield driver
    driver.quit()


def open_kiosk(driver, kiosks: Kiosks, kiosk: str = "kiosk-1", shape: str = "portrait",
               query: str = "") -> None:  # fmt: skip
    """The kiosk page at one of the kiosk's screen shapes, its buttons drawn."""
    width, height = SIZES[shape]
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1,
                            "mobile": False})  # fmt: skip
    driver.get("about:blank")
    driver.get(kiosks.url(kiosk, query))
    wait_until(driver, "return document.querySelectorAll('#services .choice').length > 0")


def wait_until(driver, script: str, timeout: float = 15.0) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: d.execute_script(script))


def shown(driver, element_id: str) -> bool:
    return driver.find_element("id", element_id).is_displayed()


def wait_shown(driver, element_id: str, timeout: float = 15.0) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: shown(d, element_id))


def tap(driver, selector: str) -> None:
    driver.find_element("css selector", selector).click()


def tickets(db: Path, where: str = "1", *args: object) -> list[sqlite3.Row]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(f"SELECT * FROM tickets WHERE {where} ORDER BY id", args).fetchall()


@pytest.mark.parametrize("shape", list(SIZES))
def test_one_tap_takes_a_ticket_and_the_kiosk_prints_it(kiosks, browser, shape) -> None:
    open_kiosk(browser, kiosks, shape=shape)
    before = len(tickets(kiosks.server.db))
    tap(browser, "#services .choice[data-code='ID']")
    wait_shown(browser, "take")  # the printer confirmed the slip
    number = browser.find_element("id", "number").text
    [issued] = tickets(kiosks.server.db)[before:]
    assert issued["number"] == number and issued["green_reason"] is None
    assert number in "\n".join(kiosks.printers["kiosk-1"].parsed().lines)
    assert browser.find_element("id", "what").text == "身份证"
    assert not shown(browser, "trouble")
    assert policy_violations(browser) == []


def test_a_double_tap_gives_one_ticket(kiosks, browser) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    open_kiosk(browser, kiosks)
    before = len(tickets(kiosks.server.db))
    button = browser.find_element("css selector", "#services .choice[data-code='PP']")
    ActionChains(browser).double_click(button).perform()
    wait_shown(browser, "number")
    wait_shown(browser, "take")
    assert len(tickets(kiosks.server.db)) == before + 1


def test_an_id_card_at_or_over_the_elderly_age_takes_a_green_ticket(kiosks, browser) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    open_kiosk(browser, kiosks)
    ActionChains(browser).send_keys(ELDERLY_ID + Keys.ENTER).perform()  # the reader types
    wait_shown(browser, "green-banner")
    assert "elderly" in browser.find_element("tag name", "body").get_attribute("class")
    tap(browser, "#services .choice[data-code='ID']")
    wait_shown(browser, "take")
    assert shown(browser, "green")
    number = browser.find_element("id", "number").text
    [ticket] = tickets(kiosks.server.db, "number = ?", number)
    assert ticket["green_reason"] == "elderly"
    # the number was never stored, logged or sent: not in the database file, its write-ahead
    # log, the event log or the server's access log
    for digits in (ELDERLY_ID, ELDERLY_ID[:17], ELDERLY_ID[6:14]):
        for path in (kiosks.server.db, kiosks.server.db.with_name("hall.db-wal"),
                     kiosks.server.log):  # fmt: skip
            if path.exists():
                assert digits.encode() not in path.read_bytes(), (digits, path)
        with sqlite3.connect(kiosks.server.db) as conn:
            found = conn.execute(
                "SELECT count(*) FROM events WHERE changes LIKE ?", (f"%{digits}%",)
            ).fetchone()[0]
        assert found == 0
    # nor is the kiosk's token, which reached the page in the address's fragment
    assert kiosks.server.tokens["kiosk-1"] not in kiosks.server.log.read_text("utf-8", "replace")
    assert policy_violations(browser) == []


def test_a_reader_that_sends_no_enter_is_read_all_the_same(kiosks, browser) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    open_kiosk(browser, kiosks)
    ActionChains(browser).send_keys(ELDERLY_ID).perform()
    wait_shown(browser, "green-banner")
    assert browser.find_element("id", "id-typed").text == ""


def test_the_age_is_counted_to_the_halls_day_and_typed_numbers_work(kiosks, browser) -> None:
    open_kiosk(browser, kiosks)
    tap(browser, "#to-id")
    for digit in NEARLY_60_ID:
        tap(browser, f"#digits [data-key='{digit}']")
    tap(browser, "#id-ok")
    wait_shown(browser, "read-banner")  # 59 on the hall's day: no green channel
    assert not shown(browser, "green-banner")
    tap(browser, "#to-id")
    for digit in ELDERLY_ID[:-1] + ("0" if ELDERLY_ID[-1] != "0" else "1"):
        tap(browser, f"#digits [data-key='{digit}']")
    tap(browser, "#id-ok")
    wait_shown(browser, "id-bad")  # a wrong check character is refused
    assert browser.find_element("id", "id-typed").text == ""  # and forgotten


def test_the_id_checksum_on_valid_and_invalid_numbers(kiosks, browser) -> None:
    open_kiosk(browser, kiosks)
    valid = [ELDERLY_ID, NEARLY_60_ID, "11010519491231002X", "440301199003071230",
             id_number("53010219200229002"), id_number("11010520000101123")]  # fmt: skip
    invalid = [
        ELDERLY_ID[:-1] + "1",  # wrong check character
        "440301199003071231",
        id_number("11010519490230002"),  # 30 February
        id_number("11010519491301002"),  # month 13
        id_number("11010518991231002"),  # before 1900
        id_number("11010519210229002"),  # 29 February of a common year
        ELDERLY_ID[:17],  # 17 characters
        ELDERLY_ID + "0",
        "11010519491231002x".replace("x", "Y"),
        "X1010519491231002X",
        "",
    ]
    check = "return arguments[0].map(n => window.qconsoleKiosk.idBirth(n) !== null)"
    assert browser.execute_script(check, valid) == [True] * len(valid)
    assert browser.execute_script(check, invalid) == [False] * len(invalid)
    age = (
        "return window.qconsoleKiosk.ageOn(window.qconsoleKiosk.idBirth(arguments[0]),"
        " arguments[1])"
    )
    assert browser.execute_script(age, NEARLY_60_ID, "2026-11-26") == 59
    assert browser.execute_script(age, NEARLY_60_ID, "2026-11-27") == 60
    leap = id_number("53010219200229002")
    assert browser.execute_script(age, leap, "2021-02-28") == 100
    assert browser.execute_script(age, leap, "2021-03-01") == 101


def test_pinyin_initials_find_a_matter(kiosks, browser) -> None:
    open_kiosk(browser, kiosks)
    tap(browser, "#to-search")
    for letter in "GTGSH":
        tap(browser, f"#letters [data-key='{letter}']")
    wait_until(
        browser,
        "return document.getElementById('search-text').textContent === 'GTGSH'"
        " && document.querySelectorAll('#found .choice').length === 1",
    )
    tap(browser, "#found .choice[data-code='SCJ-001']")
    wait_shown(browser, "take")
    assert browser.find_element("id", "what").text == "个体工商户设立登记"


def test_out_of_paper_says_so_offers_the_qr_page_and_alerts_the_floor(kiosks, browser) -> None:
    open_kiosk(browser, kiosks, "kiosk-2", "landscape")
    tap(browser, "#switch")  # in English
    tap(browser, "#services .choice[data-code='ID']")
    wait_shown(browser, "paper-out")
    number = browser.find_element("id", "number").text
    assert browser.find_element("id", "paper-out").text == "The printer is out of paper"
    assert shown(browser, "qr") and shown(browser, "scan") and shown(browser, "staff-told")
    assert browser.find_element("id", "qr").get_attribute("src").startswith("data:image/svg")
    hall = LocalHall(kiosks.server.db)
    try:
        alerts = hall_alerts(hall.hall_view(), hall.clock.now())
    finally:
        hall.close()
    [alert] = [a for a in alerts if a.kind == "printer"]
    assert alert.ticket == number and "kiosk-2-printer" in alert.detail
    assert "out of paper" in alert.detail
    assert policy_violations(browser) == []


def test_thirty_idle_seconds_bring_back_the_first_screen(kiosks, browser) -> None:
    open_kiosk(browser, kiosks, query="?idle=2")  # 30 s in the hall; 2 here
    tap(browser, "#switch")
    tap(browser, "#to-search")
    tap(browser, "#letters [data-key='B']")
    assert browser.execute_script("return document.body.dataset.screen") == "search"
    wait_until(browser, "return document.body.dataset.screen === 'home'", timeout=10)
    assert browser.execute_script("return document.body.classList.contains('lang-zh')")
    assert browser.find_element("id", "search-text").text == ""


def test_a_lost_server_sends_citizens_to_reception_and_recovers(kiosks, browser) -> None:
    open_kiosk(browser, kiosks)
    kiosks.server.stop()
    try:
        wait_shown(browser, "lost", timeout=20)
        assert "请到导办台取号" in browser.find_element("id", "lost").text
    finally:
        kiosks.server.proc = None
        kiosks.server.start()
    wait_until(browser, "return document.getElementById('lost').hidden", timeout=20)
    tap(browser, "#services .choice[data-code='ID']")
    wait_shown(browser, "take")
    assert re.fullmatch(r"A\d{3}", browser.find_element("id", "number").text)


def test_senior_mode_has_larger_type_fewer_choices_and_speaks(kiosks, browser) -> None:
    open_kiosk(browser, kiosks)
    size = "return parseFloat(getComputedStyle(document.querySelector('.choice .main')).fontSize)"
    normal = browser.execute_script(size)
    assert shown(browser, "to-search")
    tap(browser, "#mode")
    wait_until(browser, "return document.body.dataset.spoke", timeout=60)
    voice = "wav" if shutil.which("espeak-ng") else "browser"  # else the browser speaks
    assert browser.execute_script("return document.body.dataset.spoke") == voice
    assert browser.execute_script(size) > normal * 1.2
    assert not shown(browser, "to-search") and not shown(browser, "matters")
    assert policy_violations(browser) == []
