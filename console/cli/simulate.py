"""``qconsole simulate``: the manager's what-if — the hall's day, run through the real engine.

The hall is read (never written): its services, counters, opening hours and
settings, and its history for arrivals and handling times. Options change the
copy: more counters for a service in a time range, other arrival rates or
handling times, a green-channel share, a policy setting.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from console.cli.common import DbOpt, JsonOpt, ServerOpt, err, guarded, out, table
from console.cli.export import need_db
from console.domain.errors import BadInput
from console.reports.atomic import atomic_path
from console.reports.db import open_readonly
from console.simulate import Counter, Day, Handling, replicate, summarise
from console.simulate.profile import SIMULATED_SETTINGS, apply_profile, day_from_hall, read_profile
from console.simulate.render import (
    HOUR_COLUMNS,
    SERVICE_COLUMNS,
    hour_rows,
    html_page,
    service_rows,
)

FORMATS = ("table", "json", "html")
_COUNTERS = re.compile(
    r"^(?P<services>[A-Za-z0-9_+-]+):(?P<count>\d+)"
    r"(?:@(?P<a>\d{1,2}):(?P<am>\d{2})-(?P<b>\d{1,2}):(?P<bm>\d{2}))?$"
)


def _pairs(items: list[str], what: str) -> dict[str, str]:
    out_: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise BadInput(f"{what} is NAME=VALUE, not {item!r}")
        out_[key.strip()] = value.strip()
    return out_


def _number(value: str, what: str, lo: float = 0.0, hi: float | None = None) -> float:
    try:
        number = float(value)
    except ValueError:
        raise BadInput(f"{what} must be a number, not {value!r}") from None
    if number < lo or (hi is not None and number > hi):
        raise BadInput(f"{what} must be between {lo:g} and {hi:g}" if hi is not None
                       else f"{what} must be at least {lo:g}")  # fmt: skip
    return number


def _setting(name: str, value: str) -> object:
    if name not in SIMULATED_SETTINGS:
        raise BadInput(f"--set takes one of {', '.join(SIMULATED_SETTINGS)}, not {name!r}")
    if name == "green_designated_only":
        if value.lower() not in ("true", "false", "1", "0", "yes", "no"):
            raise BadInput(f"{name} is true or false, not {value!r}")
        return value.lower() in ("true", "1", "yes")
    return int(_number(value, name))


def change_day(
    day: Day,
    *,
    add_counters: list[str],
    rates: dict[str, str],
    handling: dict[str, str],
    settings: dict[str, str],
    green_share: float | None,
    low_share: float | None,
    pause_share: float | None,
) -> Day:
    """``day`` with the command line's changes."""
    known = {s.code for s in day.services}
    for code in [*rates, *handling]:
        if code not in known:
            raise BadInput(f"no service {code} in this hall ({', '.join(sorted(known))})")
    services = []
    for s in day.services:
        if s.code in rates:
            per_hour = _number(rates[s.code], f"--rate {s.code}")
            s = replace(s, arrivals_per_hour=tuple(
                per_hour if h + 1 > day.opens and h < day.closes else 0.0 for h in range(24)
            ))  # fmt: skip
        if s.code in handling:
            mean = _number(handling[s.code], f"--handling {s.code}")
            s = replace(s, handling=Handling("exponential", mean))
        services.append(s)
    counters = list(day.counters)
    number = max([c.number for c in counters] + [0])
    for spec in add_counters:
        m = _COUNTERS.match(spec.strip())
        if not m:
            raise BadInput(f"--add-counters is SERVICES:COUNT[@HH:MM-HH:MM], e.g. PP:2@09:00-11:00,"
                           f" not {spec!r}")  # fmt: skip
        codes = set(m["services"].split("+"))
        if not codes <= known:
            raise BadInput(
                f"--add-counters names {', '.join(sorted(codes - known))}: no such service"
            )
        hours = ((day.opens, day.closes),)
        if m["a"] is not None:
            a = int(m["a"]) + int(m["am"]) / 60
            b = int(m["b"]) + int(m["bm"]) / 60
            if not 0 <= a < b <= 24:
                raise BadInput(f"--add-counters {spec}: the time range must run forward in a day")
            hours = ((a, b),)
        for _ in range(int(m["count"])):
            number += 1
            counters.append(Counter(number, (m["services"],), hours))
    changes: dict[str, object] = {"services": tuple(services), "counters": tuple(counters)}
    if settings:
        changes["settings"] = {**day.settings,
                               **{k: _setting(k, v) for k, v in settings.items()}}  # fmt: skip
    for name, value in (("green_share", green_share), ("low_share", low_share),
                        ("pause_share", pause_share)):  # fmt: skip
        if value is not None:
            changes[name] = _number(str(value), f"--{name.replace('_', '-')}", 0.0, 0.9)
    return day.with_changes(**changes)


@guarded
def simulate(
    replications: Annotated[int, typer.Option("--replications", "-r", min=1, max=1000,
                            help="Days to simulate; the figures pool them.")] = 5,
    profile: Annotated[Path | None, typer.Option("--profile", help="Arrivals per hour per "
                       "service (CSV service,hour,per_hour[,handling_min], or TOML) instead of "
                       "the hall's history.", show_default=False)] = None,
    history_days: Annotated[int, typer.Option("--history-days", min=1, max=365,
                            help="Days of history the arrivals are averaged over.")] = 20,
    add_counters: Annotated[list[str] | None, typer.Option("--add-counters", help="More counters: "
                            "SERVICES:COUNT[@HH:MM-HH:MM], e.g. PP:2@09:00-11:00.")] = None,
    rate: Annotated[list[str] | None, typer.Option("--rate", help="SERVICE=TICKETS_PER_HOUR "
                    "through the opening hours (repeatable).")] = None,
    handling: Annotated[list[str] | None, typer.Option("--handling", help="SERVICE=MINUTES, "
                        "the mean handling time (exponential; repeatable).")] = None,
    green_share: Annotated[float | None, typer.Option("--green-share", help="Share of tickets "
                           "flagged green-channel (0-0.9); default the hall's own.")] = None,
    low_share: Annotated[float | None, typer.Option("--low-share", help="Share needing the "
                         "low-position counter; default the hall's own.")] = None,
    pause_share: Annotated[float | None, typer.Option("--pause-share", help="Share of the time "
                           "each counter is paused.")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="A policy setting for the run: "
                    "NAME=VALUE, e.g. green_credit_min=5 (repeatable).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="First random stream; the same seed "
                    "gives the same figures.")] = 1,
    jobs: Annotated[int, typer.Option("--jobs", min=1, max=64,
                    help="Processes to run replications in.")] = 1,
    fmt: Annotated[str, typer.Option("--format", help="table (with a chart), json or html "
                   "(a page with an SVG chart).")] = "table",
    out_: Annotated[str, typer.Option("--out", help="Write to this file instead of standard "
                    "output.")] = "-",
    db: DbOpt = None, server: ServerOpt = None, as_json: JsonOpt = False,
) -> None:  # fmt: skip
    """Simulate a day of the hall with the real engine: waits p50/p90 by hour and service,
    share within target, counter utilisation, green/normal waits. The hall is not changed.

    Example: qconsole simulate --add-counters PP:2@09:00-11:00 --green-share 0.1
    """
    if as_json:
        fmt = "json"
    if fmt not in FORMATS:
        raise BadInput(f"--format is one of {', '.join(FORMATS)}, not {fmt!r}")
    path = need_db(db, server, "simulate")
    conn = open_readonly(path)
    try:
        day = day_from_hall(conn, days=history_days)
    finally:
        conn.close()
    if profile is not None:
        day = apply_profile(day, read_profile(profile))
    day = change_day(
        day,
        add_counters=add_counters or [],
        rates=_pairs(rate or [], "--rate"),
        handling=_pairs(handling or [], "--handling"),
        settings=_pairs(set_ or [], "--set"),
        green_share=green_share,
        low_share=low_share,
        pause_share=pause_share,
    )
    if not day.counters:
        raise BadInput("the hall has no active counter with a service: nothing to simulate")
    if day.expected_tickets <= 0:
        raise BadInput("no arrivals: the hall has no history yet; give --rate or --profile")
    show = fmt == "table" and out_ == "-" and not as_json
    with Progress(TextColumn("simulating"), BarColumn(), TextColumn("{task.completed}/"
                  "{task.total} days"), TimeElapsedColumn(), console=err,
                  disable=not err.is_terminal, transient=True) as bar:  # fmt: skip
        task = bar.add_task("days", total=replications)
        runs = replicate(day, replications, seed=seed, jobs=jobs,
                         progress=lambda done: bar.update(task, completed=done))  # fmt: skip
    data = summarise(day, runs)
    if show:
        _print(data)
        return
    if fmt == "json":
        text = json.dumps(data, ensure_ascii=False) + "\n"
    else:
        text = html_page(data, str(path))
    if out_ == "-":
        out.out(text.rstrip("\n"), highlight=False)
        return
    with atomic_path(Path(out_)) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _print(data: dict) -> None:
    out.print(f"[bold]Simulated day[/bold]: {data['replications']} replications, "
              f"{data['tickets_per_day']:.0f} tickets a day on average")  # fmt: skip
    table("By service", SERVICE_COLUMNS, service_rows(data))
    table("By hour of issue", HOUR_COLUMNS, hour_rows(data))
    _chart(data)


def _chart(data: dict) -> None:
    """Waits by hour on the terminal (plotext)."""
    import plotext as plt
    from rich.text import Text

    hours = data["hours"]
    if not hours:
        return
    xs = list(range(len(hours)))
    plt.clear_figure()
    plt.plot_size(min(100, out.width), 18)
    plt.plot(xs, [h["wait_p50_min"] or 0 for h in hours], label="wait p50 (min)")
    plt.plot(xs, [h["wait_p90_min"] or 0 for h in hours], label="wait p90 (min)")
    plt.bar(xs, [(h["utilisation"] or 0) * 10 for h in hours], label="utilisation (×10%)")
    plt.xticks(xs, [h["hour"][:2] for h in hours])
    plt.title("Waits by hour of issue")
    plt.theme("clear")
    # parsed into rich styles, so a pipe or a file gets the chart without escape codes
    out.print(Text.from_ansi(plt.build()))
