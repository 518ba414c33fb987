"""The kiosk's reads on a big one-stop hall: what a kiosk asks every few seconds (its home
screen) and at each letter typed (the search), against the cheapest station read
(``/api/v1/whoami``) measured in the same run.

    uv run python bench/kiosk.py [--matters 1044] [--requests 200] [--port 18603]

A hall with the generated catalogue (``console.catalogue.generate``), ``qconsole serve`` on
127.0.0.1, one kiosk token; requests one after another (loopback, bounded in count).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from console.catalogue.generate import catalogue  # noqa: E402
from console.domain import Actor  # noqa: E402
from console.local import LocalHall  # noqa: E402
from console.server.auth import add_station  # noqa: E402

ADMIN = Actor(staff_no="cli", role="admin", station="bench", name="bench")


def build(db: Path, matters: int) -> str:
    hall = LocalHall(db, create=True)
    try:
        for code, prefix in (("ZH", "A"), ("QY", "B"), ("GA", "C")):
            hall.add_service(ADMIN, code=code, name_zh=f"综合窗口{prefix}", name_en=code,
                             prefix=prefix)  # fmt: skip
        hall.add_counter(ADMIN, number=1, services=["ZH", "QY", "GA"])
        hall.import_matters(ADMIN, catalogue(["ZH", "QY", "GA"], matters=matters))
        return add_station(hall.engine, ADMIN, "kiosk-1", "kiosk")[1]
    finally:
        hall.close()


def timed(http: httpx.Client, path: str, n: int) -> list[float]:
    out = []
    for _ in range(n):
        started = time.perf_counter()
        r = http.get(path)
        out.append((time.perf_counter() - started) * 1000)
        assert r.status_code == 200, r.text
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--matters", type=int, default=1044)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--port", type=int, default=18603)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "hall.db"
        token = build(db, args.matters)
        server = subprocess.Popen([sys.executable, "-c", "from console.cli.main import run; run()",
                                   "serve", "--db", str(db), "--port", str(args.port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        url = f"http://127.0.0.1:{args.port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(url + "/health", timeout=0.5).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"},
                              timeout=30) as http:  # fmt: skip
                cold = timed(http, "/api/v1/kiosk/home", 1)[0]
                rows = [("whoami (baseline)", timed(http, "/api/v1/whoami", args.requests)),
                        ("kiosk home", timed(http, "/api/v1/kiosk/home", args.requests)),
                        ("kiosk search gtgsh", timed(http, "/api/v1/kiosk/search?q=gtgsh",
                                                     args.requests))]  # fmt: skip
        finally:
            server.terminate()
            server.wait(10)
    base = statistics.median(rows[0][1])
    print(f"{args.matters} matters; first home (builds the index): {cold:.0f} ms")
    print(f"{'request':22} {'p50 ms':>8} {'p95 ms':>8} {'p50 / baseline':>15}")
    for name, ms in rows:
        p50, p95 = statistics.median(ms), statistics.quantiles(ms, n=20)[18]
        print(f"{name:22} {p50:8.2f} {p95:8.2f} {p50 / base:15.2f}")


if __name__ == "__main__":
    main()
