"""Screenshots of the city's "where to go now" page (docs/screenshots/city-where-*.png).

Four demo halls of a city in a temporary directory (``console.demo``, renamed and placed
around the city), each with ``qconsole serve`` on loopback and a city token, one of them
stopped after the city first read it (its figures then go stale); ``qconsole city serve``
follows them, and Debian's headless Chromium opens the page at phone size:

    uv run python docs/make_city_screenshots.py [--port 18820]

Every clock is pinned (QCONSOLE_NOW at 14:05 on a Thursday) so the pictures do not depend
on the day.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MOMENT = "2026-11-26T14:05:00+08:00"
os.environ["TZ"] = "Asia/Shanghai"
os.environ.setdefault("SE_OFFLINE", "true")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from console.demo import build_demo  # noqa: E402
from console.domain import Actor  # noqa: E402
from console.engine import FixedClock  # noqa: E402
from console.engine.clock import parse_moment  # noqa: E402
from console.local import LocalHall  # noqa: E402
from console.server.auth import add_station  # noqa: E402

ADMIN = Actor(staff_no="cli", role="admin", station="screenshots", name="admin")
OUT = Path(__file__).resolve().parent / "screenshots"
HALLS = [
    ("jinjiang", "锦江区政务服务中心", "锦江区", "东大街 99 号", 30.6545, 104.0830, 3, True),
    ("qingyang", "青羊区政务服务中心", "青羊区", "光华北三路 98 号", 30.6802, 104.0015, 1, True),
    ("wuhou", "武侯区出入境接待大厅", "武侯区", "武侯祠大街 266 号", 30.6453, 104.0468, 6, True),
    ("gaoxin", "高新区市民中心", "高新区", "天府大道北段 1700 号", 30.5698, 104.0637, 0, False),
]  # fmt: skip
"""key, name, district, address, lat, lon, extra citizens waiting, has a day session."""
HERE = {"latitude": 30.6600, "longitude": 104.0700, "accuracy": 30}
"""The phone, in the city centre (天府广场)."""


def build(db: Path, name: str, extra: int, day_session: bool, seed: int) -> str:
    """A demo hall as of the moment (or, without a day session, a hall that opens only for
    the evening's ID-card renewals); returns its city token."""
    moment = parse_moment(MOMENT)
    hall = LocalHall(db, clock=FixedClock(moment), create=True)
    try:
        if day_session:
            build_demo(hall.engine, seed=seed)
            for _ in range(extra):
                hall.issue(ADMIN, "ID")
        else:
            hall.add_service(ADMIN, code="ID", name_zh="身份证办理", name_en="ID card", prefix="A")
            hall.add_counter(ADMIN, number=1, services=["ID"])
            hall.add_session(ADMIN, name="夜间专场 Night", opens="18:00", closes="21:00")
        hall.set_setting(ADMIN, "hall_name", name)
        return add_station(hall.engine, ADMIN, "city", "city")[1]
    finally:
        hall.close()


def start(cmd: list[str], env: dict[str, str], health: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", "from console.cli.main import run; run()",
                             *cmd], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=env, cwd=ROOT)  # fmt: skip
    for _ in range(600):
        try:
            if httpx.get(health, timeout=0.5).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit(f"{cmd[0]} did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=18820, help="the city's; halls above it")
    args = parser.parse_args()
    from tests.city.conftest import until
    from tests.server.test_public_browser import start_browser

    env = {**os.environ, "QCONSOLE_NOW": f"{MOMENT}@{time.time()!r}"}
    procs: dict[str, subprocess.Popen] = {}
    with tempfile.TemporaryDirectory(prefix="qconsole-city-shots-") as tmp:
        folder = Path(tmp)
        lines = ['name = "示范市政务服务 Demo City"', ""]
        try:
            for i, (key, name, district, address, lat, lon, extra, day) in enumerate(HALLS):
                token = build(folder / f"{key}.db", name, extra, day, seed=7 + i)
                port = args.port + 1 + i
                procs[key] = start(["serve", "--db", str(folder / f"{key}.db"), "--port",
                                    str(port)], env, f"http://127.0.0.1:{port}/health")  # fmt: skip
                lines += ["[[hall]]", f'key = "{key}"', f'name = "{name}"',
                          f'url = "http://127.0.0.1:{port}"', f'token = "{token}"',
                          f'district = "{district}"', f'address = "{address}"',
                          f"lat = {lat}", f"lon = {lon}", ""]  # fmt: skip
            (folder / "city.toml").write_text("\n".join(lines), encoding="utf-8")
            city = f"http://127.0.0.1:{args.port}"
            procs["city"] = start(["city", "serve", "--halls", str(folder / "city.toml"),
                                   "--db", str(folder / "city.db"), "--listen",
                                   f"127.0.0.1:{args.port}"], env, f"{city}/health")  # fmt: skip
            until(lambda: httpx.get(f"{city}/health").json()["reachable"] == len(HALLS), 120,
                  "every hall read")  # fmt: skip
            procs.pop("wuhou").terminate()  # its link goes down; its figures stay, marked
            until(lambda: httpx.get(f"{city}/health").json()["reachable"] == len(HALLS) - 1,
                  120, "wuhou unreachable")  # fmt: skip
            shoot(city, start_browser, folder)
        finally:
            for proc in procs.values():
                proc.terminate()
                proc.wait(30)


def shoot(city: str, start_browser, folder: Path) -> None:
    pages = {
        "city-where-zh-phone": ("/where?service=ID&lang=zh", False),
        "city-where-near-en-phone": ("/where?service=ID&lang=en", True),
        "city-where-tonight-zh-phone": ("/where?service=ID&when=tonight&lang=zh", False),
    }
    driver = start_browser(folder / "profile", "390,844")
    try:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 390, "height": 844, "deviceScaleFactor": 1,
                                "mobile": True})  # fmt: skip
        driver.execute_cdp_cmd("Browser.grantPermissions",
                               {"origin": city, "permissions": ["geolocation"]})  # fmt: skip
        driver.execute_cdp_cmd("Emulation.setGeolocationOverride", HERE)
        for name, (path, near) in pages.items():
            driver.get(city + path)
            time.sleep(1.0)
            if near:
                driver.find_element("id", "near").click()
                time.sleep(1.0)
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": 390, "height": max(844, height),
                                    "deviceScaleFactor": 1, "mobile": True})  # fmt: skip
            driver.save_screenshot(str(OUT / f"{name}.png"))
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": 390, "height": 844, "deviceScaleFactor": 1,
                                    "mobile": True})  # fmt: skip
            print(OUT / f"{name}.png")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
