"""The demo hall: a realistic ID-card and passport hall, mid-morning, ready to work.

``qconsole demo`` and ``qconsole init --demo`` build it; tests and the snapshot
suite build it with a pinned clock so every figure is reproducible.
"""

from __future__ import annotations

import random

from console.catalogue.generate import catalogue
from console.domain import Actor
from console.domain.errors import Refused
from console.engine import Engine, FixedClock

ADMIN = Actor(staff_no="cli", role="admin", station="demo", name="demo setup")
DEMO_CLERK = ("1001", "1234")
"""Staff number and PIN the demo logs in with at counter 1."""

SERVICES = [
    ("ID", "身份证办理", "ID card", "A", 20, 6, ["户口簿", "旧身份证", "一寸照片"]),
    (
        "PP",
        "护照/港澳通行证",
        "Passport & travel permits",
        "B",
        30,
        9,
        ["身份证", "户口簿", "申请表"],
    ),
    ("RES", "居住证", "Residence permit", "C", 30, 7, ["身份证", "租房合同", "社保证明"]),
    ("HH", "户籍业务", "Household registration", "D", 40, 12, ["户口簿", "结婚证", "出生证明"]),
    ("VEH", "车驾管业务", "Vehicles & licences", "E", 30, 10, ["驾驶证", "体检证明"]),
    ("ZH", "综合受理", "One-stop window", "F", 30, 12, []),
]

COUNTERS = [
    (1, "1号窗口", "ID", False, False),
    (2, "2号窗口", "ID,PP", False, False),
    (3, "3号窗口", "PP,ID", False, False),
    (4, "4号窗口", "RES+HH+ZH", False, False),
    (5, "5号 低位窗口", "ID,RES", False, True),
    (6, "6号 绿色通道", "ID+PP+RES+HH+VEH+ZH", True, False),
    (7, "7号窗口", "VEH", False, False),
]

DEMO_DEPARTMENTS = 8
DEMO_MATTERS = 320
"""The demo's catalogue (一窗通办): a few hundred matters of eight departments."""
POLICE_QUEUES = {
    "居民身份证": "ID", "临时身份证": "ID", "出入境证件": "PP", "居住证": "RES",
    "户口迁移": "HH", "无犯罪记录证明": "HH", "机动车驾驶证": "VEH", "机动车登记": "VEH",
}  # fmt: skip
"""The public security bureau's matters are called in the police queues; every other
department's in the one-stop window (ZH)."""

LOW_POSITION_SERVICES = {"ID", "RES"}
"""What the low-position counter (5) serves: a wheelchair ticket for another service is refused."""

CLERKS = [
    ("1001", "王芳", "clerk"),
    ("1002", "李伟", "clerk"),
    ("1003", "张敏", "clerk"),
    ("1004", "刘洋", "clerk"),
    ("1005", "陈静", "clerk"),
    ("1006", "杨帆", "clerk"),
    ("1007", "黄磊", "clerk"),
    ("9001", "赵值班", "manager"),
    ("9999", "系统管理员", "admin"),
]


def demo_catalogue() -> list[dict[str, object]]:
    """The demo hall's matters, as rows of the catalogue's columns."""
    rows = catalogue(["ZH"], departments=DEMO_DEPARTMENTS, matters=DEMO_MATTERS, seed=7)
    for row in rows:
        if row["department"] == "GAJ":
            subject = next((k for k in POLICE_QUEUES if str(row["name_zh"]).startswith(k)), "")
            row["service"] = POLICE_QUEUES.get(subject, "HH")
    return rows


def build_demo(engine: Engine, seed: int = 7) -> None:
    """Fill an empty hall database with the demo hall; the queue is as of ``engine.clock``."""
    rng = random.Random(seed)
    real = engine.clock
    now = real.now()
    engine.set_setting(ADMIN, "hall_name", "示范区政务服务中心 Demo Service Hall")
    for code, zh, en, prefix, target, handling, materials in SERVICES:
        engine.add_service(
            ADMIN,
            code=code,
            name_zh=zh,
            name_en=en,
            prefix=prefix,
            target_wait_min=target,
            handling_min=handling,
            materials=materials,
        )
    matters = demo_catalogue()
    engine.import_matters(ADMIN, [{k: str(v) if not isinstance(v, list) else ";".join(v)
                                   for k, v in row.items()} for row in matters])  # fmt: skip
    by_queue: dict[str, list[str]] = {}
    for row in matters:
        by_queue.setdefault(str(row["service"]), []).append(str(row["code"]))
    for number, name, services, green, low in COUNTERS:
        engine.add_counter(
            ADMIN,
            number=number,
            name=name,
            services=services,
            green_channel=green,
            low_position=low,
        )
    for staff_no, name, role in CLERKS:
        engine.add_clerk(ADMIN, staff_no=staff_no, name=name, role=role, pin=DEMO_CLERK[1])
    engine.add_session(ADMIN, name="日间 Day", opens="08:30", closes="17:30", weekdays="12345")
    engine.add_session(
        ADMIN, name="夜间专场 Night", opens="18:00", closes="21:00", weekdays="12345"
    )
    engine.add_session(
        ADMIN, name="演示专场 Demo", opens="00:00", closes="23:59", date=real.day(now)
    )

    # Replay the last hour or so of the morning on a moving clock, so waits,
    # handling times and the estimate have history behind them.
    midnight = real.midnight(now)
    start = max(midnight + 60, now - 70 * 60)  # never before the day's demo session opens
    clock = FixedClock(start, real.tz)
    engine.clock = clock
    try:
        staff = {
            n: Actor(staff_no=s, role="clerk", station=f"demo-{n}", name=name)
            for n, (s, name, _) in zip(range(2, 8), CLERKS[1:7], strict=False)
        }
        for number, actor in staff.items():
            engine.open_counter(actor, number)
        codes = ["ID", "PP", "RES", "HH", "VEH"]  # the one-stop window's citizens come below
        weights = [5, 3, 2, 1, 1]
        reasons = ["elderly", "pregnant", "disabled", "urgent"]
        step = (now - start) / 60
        for i in range(60):
            clock.t = start + i * step
            green = rng.choice(reasons) if rng.random() < 0.12 else None
            code = rng.choices(codes, weights)[0]
            wheelchair = rng.random() < 0.03
            engine.issue(
                ADMIN,
                code,
                green_reason=green,
                low_position=wheelchair and code in LOW_POSITION_SERVICES,
                matter=_matter_for(by_queue, code, i),
            )
            if i % 3 == 2 and i < 45:
                counter = rng.choice(list(staff))
                _serve_one(engine, clock, staff[counter], counter, rng)
        for counter in (3, 6):
            clock.t = max(start, now - rng.randint(60, 240))
            try:
                engine.call_next(staff[counter], counter)
                engine.serve(staff[counter], counter)
            except Refused:  # nothing waiting for that counter: it stays idle
                pass
        # A few green-channel cases just arrived, so the priority rules are visible.
        for minutes_ago, code, reason in (
            (4, "ID", "elderly"),
            (3, "PP", "pregnant"),
            (2, "ID", "disabled"),
            (1, "RES", "urgent"),
        ):
            clock.t = max(start, now - minutes_ago * 60)
            engine.issue(ADMIN, code, green_reason=reason)
        # The one-stop window's citizens, each for one of its many matters.
        for minutes_ago in (9, 7, 6, 4, 2):
            clock.t = max(start, now - minutes_ago * 60 - 30)
            engine.issue(ADMIN, matter=_matter_for(by_queue, "ZH", minutes_ago))
        clock.t = max(start, now - 300)
        engine.pause_counter(staff[7], 7, "午休 lunch")
    finally:
        engine.clock = real


def _matter_for(by_queue: dict[str, list[str]], queue: str, i: int) -> str | None:
    """A matter of ``queue`` for the demo's ``i``-th citizen (most queues' first few
    matters are the common ones), or None for a queue without matters."""
    codes = by_queue.get(queue)
    return codes[(i * 5) % min(len(codes), 12)] if codes else None


def _serve_one(
    engine: Engine, clock: FixedClock, actor: Actor, counter: int, rng: random.Random
) -> None:
    """Call, serve and finish one ticket at ``counter``, a few minutes of handling later."""
    try:
        engine.call_next(actor, counter)
    except Refused:
        return
    engine.serve(actor, counter)
    started = clock.t
    clock.t = started + rng.randint(240, 600)
    outcome = rng.choices(["done", "incomplete", "referred"], [8, 1, 1])[0]
    materials = ["户口簿"] if outcome == "incomplete" else []
    engine.finish(
        actor, counter, outcome=outcome, materials=materials, rating=rng.choice([None, 4, 5, 5, 3])
    )
    clock.t = started
