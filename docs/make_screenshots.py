"""Screenshots of the citizens' pages (docs/screenshots/*.png) at a phone's size and a TV's.

A small hall in a temporary directory, a morning's calls at five counters, ``qconsole
serve`` on 127.0.0.1 and Debian's headless Chromium through its chromedriver:

    uv run python docs/make_screenshots.py [--port 18501]

The hall's clock is pinned (QCONSOLE_NOW) so the pictures do not depend on the day.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

MOMENT = "2026-11-26T10:05:00+08:00"
os.environ["QCONSOLE_NOW"] = MOMENT
os.environ.setdefault("TZ", "Asia/Shanghai")
os.environ.setdefault("SE_OFFLINE", "true")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the browser is started as the browser tests start it

from console.domain import Actor  # noqa: E402 (the clock is pinned first)
from console.local import LocalHall  # noqa: E402

ADMIN = Actor(staff_no="cli", role="admin", station="screenshots", name="admin")
OUT = Path(__file__).resolve().parent / "screenshots"
SIZES = {"phone": "390,844", "tv": "1920,1080"}


def build(db: Path, url: str) -> dict[str, str]:
    """A hall mid-morning; the public codes of a called ticket and of a finished one."""
    hall = LocalHall(db, create=True)
    try:
        hall.set_setting(ADMIN, "hall_name", "市民中心政务服务大厅 Citizen Service Hall")
        hall.set_setting(ADMIN, "public_url", url)
        hall.add_service(ADMIN, code="ID", name_zh="居民身份证", name_en="ID card", prefix="A")
        hall.add_service(ADMIN, code="PP", name_zh="出入境证件", name_en="Passport and permits",
                         prefix="B")  # fmt: skip
        hall.add_service(ADMIN, code="RE", name_zh="不动产登记", name_en="Real estate",
                         prefix="C")  # fmt: skip
        for n in range(1, 6):
            hall.add_counter(ADMIN, number=n, services=["ID", "PP", "RE"])
            hall.add_clerk(ADMIN, staff_no=f"10{n:02d}", name=f"clerk {n}", pin="1234")
        clerks = {n: Actor(staff_no=f"10{n:02d}", role="clerk", station=f"desk-{n}")
                  for n in range(1, 6)}  # fmt: skip
        for n, me in clerks.items():
            hall.open_counter(me, n)
        issued = [hall.issue(ADMIN, s).ticket for s in ["ID", "PP", "ID", "RE", "ID", "PP"] * 4]
        for n in (1, 2, 3, 4):
            hall.call_next(clerks[n], n)
            hall.finish(clerks[n], n)
        for n in (1, 2, 3, 4):
            hall.call_next(clerks[n], n)
        called = hall.call_next(clerks[5], 5)
        with sqlite3.connect(db) as conn:

            def code(ticket_id: int) -> str:
                row = conn.execute("SELECT public_code FROM tickets WHERE id = ?", (ticket_id,))
                return row.fetchone()[0]

            return {"called": code(called.id), "finished": code(issued[0].id),
                    "waiting": code(issued[-1].id)}  # fmt: skip
    finally:
        hall.close()


def serve(db: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", "from console.cli.main import run; run()",
                             "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    for _ in range(200):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=0.5).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("the hall server did not start")


def shoot(url: str, codes: dict[str, str], profile: Path) -> list[Path]:
    from tests.server.test_public_browser import start_browser

    pages = {
        "ticket-called-zh": f"/t/{codes['called']}?lang=zh",
        "ticket-waiting-en": f"/t/{codes['waiting']}?lang=en",
        "rating-zh": f"/f/{codes['finished']}?lang=zh",
        "board": "/board?lang=zh",
    }
    made = []
    for size, window in SIZES.items():
        driver = start_browser(profile / size, window)
        width, height = (int(x) for x in window.split(","))
        # the page's own viewport, exactly (a window's size would include the browser's frame)
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 800},
        )
        try:
            for name, path in pages.items():
                driver.get(url + path)
                time.sleep(1.0)  # the live stream's first view, the fonts
                target = OUT / f"{name}-{size}.png"
                driver.save_screenshot(str(target))
                made.append(target)
        finally:
            driver.quit()
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=18501)
    port = parser.parse_args().port
    url = f"http://127.0.0.1:{port}"
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "hall.db"
        codes = build(db, url)
        proc = serve(db, port)
        try:
            for path in shoot(url, codes, Path(tmp)):
                print(path.relative_to(ROOT))
        finally:
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    main()
