"""Screenshots of the self-service kiosk (docs/screenshots/kiosk-*.png), upright and across.

A small hall in a temporary directory with two kiosks (kiosk-1's printer has paper,
kiosk-2's is out of it: fake network printers on loopback, each driven by its kiosk's
print agent), ``qconsole serve`` on 127.0.0.1 and Debian's headless Chromium:

    uv run python docs/make_kiosk_screenshots.py [--port 18602]

The hall's clock is pinned (QCONSOLE_NOW) so the pictures do not depend on the day.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MOMENT = "2026-11-26T10:05:00+08:00"
os.environ["QCONSOLE_NOW"] = MOMENT
os.environ.setdefault("TZ", "Asia/Shanghai")
os.environ.setdefault("SE_OFFLINE", "true")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the browser is started as the browser tests start it

from console.domain import Actor  # noqa: E402 (the clock is pinned first)
from console.local import LocalHall  # noqa: E402
from console.server.auth import add_station  # noqa: E402
from docs.make_screenshots import serve  # noqa: E402
from printers.testing import FakePrinter  # noqa: E402

ADMIN = Actor(staff_no="cli", role="admin", station="screenshots", name="admin")
OUT = Path(__file__).resolve().parent / "screenshots"
SHAPES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
ELDERLY_ID = "11010519491231002X"
"""A made-up number with a valid check character, born 1949."""
MATTERS = [
    ("GA-001", "居民身份证换领", "ID card renewal", "GA", "ID", 40),
    ("GA-002", "居民身份证补领", "ID card replacement", "GA", "ID", 25),
    ("GA-010", "普通护照签发", "Passport issue", "GA", "PP", 30),
    ("GA-011", "往来港澳通行证签发", "Hong Kong and Macao permit", "GA", "PP", 20),
    ("BDC-001", "不动产登记资料查询", "Real estate record enquiry", "BDC", "RE", 15),
    ("SCJ-001", "个体工商户设立登记", "Sole trader registration", "SCJ", "RE", 10),
    ("SCJ-002", "个体工商户注销登记", "Sole trader deregistration", "SCJ", "RE", 3),
]


def build(db: Path, url: str, printers: dict[str, FakePrinter]) -> dict[str, str]:
    """The hall; returns the kiosks' tokens."""
    hall = LocalHall(db, create=True)
    try:
        hall.set_setting(ADMIN, "hall_name", "市民中心政务服务大厅 Citizen Service Hall")
        hall.set_setting(ADMIN, "public_url", url)
        for code, zh, en, prefix in (("ID", "居民身份证", "ID card", "A"),
                                     ("PP", "出入境证件", "Passport and permits", "B"),
                                     ("RE", "不动产与商事登记", "Property and business", "C"),
                                     ("SS", "社保医保", "Social insurance", "D")):  # fmt: skip
            hall.add_service(ADMIN, code=code, name_zh=zh, name_en=en, prefix=prefix)
        hall.add_counter(ADMIN, number=1, services=["ID", "PP", "RE", "SS"])
        for code, zh, en, dept, service, issued in MATTERS:
            hall.add_matter(ADMIN, code=code, name_zh=zh, name_en=en, department=dept,
                            service=service)  # fmt: skip
            for _ in range(issued // 5):  # the most asked-for come first
                hall.issue(ADMIN, matter=code)
        tokens = {}
        for name, fake in printers.items():
            hall.add_printer(ADMIN, name=f"{name}-printer", connection="network",
                             address=fake.address, station=name)  # fmt: skip
            tokens[name] = add_station(hall.engine, ADMIN, name, "kiosk")[1]
        return tokens
    finally:
        hall.close()


def print_agent(url: str, token: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "from console.cli.main import run; run()",
                             "printers", "work", "--server", url],
                            env={**os.environ, "QCONSOLE_TOKEN": token},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def shoot(url: str, tokens: dict[str, str], profile: Path, stop_server) -> list[Path]:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    from tests.server.test_public_browser import start_browser

    def page(driver, kiosk: str, shape: str) -> None:
        width, height = SHAPES[shape]
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1,
                                "mobile": False})  # fmt: skip
        driver.get("about:blank")
        driver.get(f"{url}/kiosk#token={tokens[kiosk]}")
        time.sleep(1.5)

    def tap(driver, selector: str, wait: float = 0.6) -> None:
        driver.find_element("css selector", selector).click()
        time.sleep(wait)

    made = []
    driver = start_browser(profile, "1080,1920")

    def save(name: str) -> None:
        target = OUT / f"kiosk-{name}.png"
        driver.save_screenshot(str(target))
        made.append(target)

    try:
        for shape in SHAPES:
            page(driver, "kiosk-1", shape)
            save(f"home-{shape}")
            tap(driver, "#services .choice[data-code='ID']", 2.5)
            save(f"ticket-{shape}")
            page(driver, "kiosk-1", shape)
            ActionChains(driver).send_keys(ELDERLY_ID + Keys.ENTER).perform()
            time.sleep(0.8)
            save(f"elderly-{shape}")
            page(driver, "kiosk-2", shape)
            tap(driver, "#services .choice[data-code='PP']", 2.5)
            save(f"paper-out-{shape}")
        page(driver, "kiosk-1", "portrait")
        tap(driver, "#to-search")
        for letter in "GTGSH":
            tap(driver, f"#letters [data-key='{letter}']", 0.3)
        time.sleep(0.5)
        save("search-portrait")
        page(driver, "kiosk-1", "landscape")
        tap(driver, "#switch")
        tap(driver, "#to-id")
        for digit in "110105":
            tap(driver, f"#digits [data-key='{digit}']", 0.1)
        save("id-landscape")
        stop_server()
        time.sleep(6)
        save("lost-landscape")
    finally:
        driver.quit()
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=18602)
    port = parser.parse_args().port
    url = f"http://127.0.0.1:{port}"
    OUT.mkdir(exist_ok=True)
    printers = {"kiosk-1": FakePrinter("online").start(),
                "kiosk-2": FakePrinter("paper_out").start()}  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "hall.db"
        tokens = build(db, url, printers)
        proc = serve(db, port)
        agents = [print_agent(url, token) for token in tokens.values()]

        def stop_server() -> None:
            proc.terminate()
            proc.wait(10)

        try:
            for path in shoot(url, tokens, Path(tmp) / "profile", stop_server):
                print(path.relative_to(ROOT))
        finally:
            for running in (*agents, proc):
                running.terminate()
                running.wait(10)
            for fake in printers.values():
                fake.stop()


if __name__ == "__main__":
    main()
