"""The citizens' pages in a real browser: Debian's headless Chromium through its
chromedriver (Selenium is told both paths, so nothing downloads a browser of its own).

A phone-sized window opens a ticket's page, its rating page and the web board while a
station works the hall through the server, as at reception and at counter 5.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.domain import Actor
from console.remote import RemoteHall
from tests.server.conftest import PIN, Server, public_code

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
CALL_SHOWN_WITHIN_S = 1.0
"""The issue's promise: a call reaches the ticket's open page within a second."""
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage")  # fmt: skip

pytestmark = pytest.mark.skipif(
    not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)),
    reason="needs Debian's chromium and chromium-driver (apt install chromium chromium-driver)",
)


def start_browser(profile: Path, size: str = "390,844"):
    """Headless Chromium with a fresh profile, driven through Debian's chromedriver."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager never fetches a browser
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={size}")
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument("--lang=en-US")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    driver = start_browser(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def reception(public_server: Server) -> Iterator[RemoteHall]:
    hall = RemoteHall(public_server.url, public_server.tokens["admin-pc"])
    yield hall
    hall.close()


@pytest.fixture(scope="module")
def counter5(public_server: Server) -> Iterator[tuple[RemoteHall, Actor]]:
    hall = RemoteHall(public_server.url, public_server.tokens["desk-5"])
    actor = hall.login("1005", PIN, "desk-5")
    hall.open_counter(actor, 5)
    yield hall, actor
    hall.close()


def text(driver, element_id: str) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, element_id).text


def wait_for_text(driver, element_id: str, wanted: str, timeout: float = 10.0) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout, poll_frequency=0.02).until(
        ec.text_to_be_present_in_element((By.ID, element_id), wanted)
    )


def policy_violations(driver) -> list[str]:
    """What the page's console says about a refused script or style, or a script error."""
    return [e["message"] for e in driver.get_log("browser")
            if "Content Security Policy" in e["message"] or "Uncaught" in e["message"]]  # fmt: skip


def serve_next_until(desk: RemoteHall, me: Actor, number: str) -> None:
    """Counter 5 calls until ``number`` is at its desk (earlier tickets are served first)."""
    while desk.call_next(me, 5).number != number:
        desk.finish(me, 5)


def test_a_ticket_issued_at_reception_shows_on_its_page(public_server, reception,
                                                        browser) -> None:  # fmt: skip
    issued = reception.issue(reception.actor, "ID")
    code = public_code(public_server.db, issued.ticket.number)
    browser.get(f"{public_server.url}/t/{code}")
    assert text(browser, "number") == issued.ticket.number
    assert text(browser, "service") == "ID card"  # the browser says English
    assert text(browser, "headline") == "Waiting"
    assert f"{issued.ahead} ahead of you" in text(browser, "detail")
    wait_for_text(browser, "live", "Live")  # the stream is open
    assert policy_violations(browser) == []


def test_a_call_at_counter_5_shows_within_a_second_without_reload(
    public_server, reception, counter5, browser
) -> None:
    desk, me = counter5
    number = reception.issue(reception.actor, "ID").ticket.number
    browser.get(f"{public_server.url}/t/{public_code(public_server.db, number)}")
    wait_for_text(browser, "live", "Live")
    browser.execute_script("window.loadedOnce = 'this very page';")
    serve_next_until(desk, me, number)
    wait_for_text(browser, "headline", "Please go to counter 5", CALL_SHOWN_WITHIN_S)
    assert browser.execute_script("return window.loadedOnce") == "this very page"
    assert "state-called" in browser.find_element("tag name", "body").get_attribute("class")
    desk.serve(me, 5)
    wait_for_text(browser, "headline", "Being served at counter 5")
    desk.park(me, 5, "photo")
    wait_for_text(browser, "headline", "come back to counter 5")
    desk.resume(me, 5, number)
    desk.finish(me, 5)
    wait_for_text(browser, "headline", "Done")
    assert browser.find_element("id", "rate").is_displayed()
    assert browser.execute_script("return window.loadedOnce") == "this very page"
    assert policy_violations(browser) == []


def test_a_browser_without_event_streams_polls(public_server, reception, counter5,
                                                browser) -> None:  # fmt: skip
    """An in-app browser without EventSource still sees its call (by polling the state)."""
    desk, me = counter5
    script = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                                      {"source": "delete window.EventSource;"})  # fmt: skip
    try:
        number = reception.issue(reception.actor, "ID").ticket.number
        browser.get(f"{public_server.url}/t/{public_code(public_server.db, number)}")
        assert browser.execute_script("return typeof window.EventSource") == "undefined"
        serve_next_until(desk, me, number)
        wait_for_text(browser, "headline", "Please go to counter 5")
        desk.finish(me, 5)
    finally:
        browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument",
                                {"identifier": script["identifier"]})  # fmt: skip
    assert policy_violations(browser) == []


def test_the_rating_page_stores_one_rating_and_refuses_a_second(
    public_server, reception, counter5, browser
) -> None:
    from selenium.webdriver.common.by import By

    desk, me = counter5
    number = reception.issue(reception.actor, "PP").ticket.number
    serve_next_until(desk, me, number)
    desk.finish(me, 5)
    url = f"{public_server.url}/f/{public_code(public_server.db, number)}?lang=en"
    browser.get(url)
    first = browser.current_window_handle
    browser.switch_to.new_window("tab")  # the same receipt scanned twice
    browser.get(url)
    second = browser.current_window_handle

    browser.switch_to.window(first)
    browser.find_element(By.ID, "comment").send_keys("Quick and kind")
    browser.find_element(By.CSS_SELECTOR, "button[value='4']").click()
    wait_for_text(browser, "message", "Thank you for your rating")
    browser.switch_to.window(second)
    browser.find_element(By.CSS_SELECTOR, "button[value='1']").click()
    wait_for_text(browser, "message", "already been rated")
    browser.close()
    browser.switch_to.window(first)

    ticket = reception.get_ticket(number)
    assert (ticket.rating, ticket.feedback) == (4, "Quick and kind")
    assert policy_violations(browser) == []


def test_the_board_shows_a_new_call(public_server, reception, counter5, browser) -> None:
    desk, me = counter5
    browser.get(f"{public_server.url}/board?lang=en")
    wait_for_text(browser, "hall", "Service Hall")
    number = reception.issue(reception.actor, "ID").ticket.number
    serve_next_until(desk, me, number)
    wait_for_text(browser, "now-number", number)
    assert "5" in text(browser, "now-counter")
    assert number in text(browser, "recent")
    assert policy_violations(browser) == []
    desk.finish(me, 5)


def test_the_board_plays_the_call_the_server_makes_after_one_tap(
    public_server, reception, counter5, browser
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    if shutil.which("espeak-ng") is None:
        pytest.skip("the server makes the WAV with espeak-ng")
    desk, me = counter5
    browser.get(f"{public_server.url}/board?lang=en&voice=1")
    wait_for_text(browser, "hall", "Service Hall")
    tap = browser.find_element(By.ID, "tap")
    assert tap.is_displayed() and tap.text == "Tap the screen to turn on spoken calls"
    browser.execute_script(  # what the audio element does, as the test hears it
        "window.heard = [];"
        "document.getElementById('voice').addEventListener('playing', function (e) {"
        "  window.heard.push([e.target.currentSrc, e.target.duration]); });"
    )
    tap.click()  # one tap: the browser lets the page play sound from now on
    assert not tap.is_displayed()
    assert browser.find_element(By.ID, "sound-on").text == "Spoken calls are on"
    number = reception.issue(reception.actor, "ID").ticket.number
    serve_next_until(desk, me, number)
    wait_for_text(browser, "now-number", number)
    WebDriverWait(browser, 20, poll_frequency=0.05).until(
        lambda driver: driver.execute_script("return window.heard.length") > 0
    )
    source, seconds = browser.execute_script("return window.heard[0]")
    assert f"/board/audio/{number}/5.wav?" in source
    assert 2 <= seconds <= 12  # the server's WAV, loaded and playing
    assert browser.execute_script("return document.getElementById('voice').paused") is False
    assert policy_violations(browser) == []
    desk.finish(me, 5)
