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
    GREEN_COLUMNS,
    HOUR_COLUMNS,
    SERVICE_COLUMNS,
    green_rows,
    hour_rows,
    html_page,
    service_rows,
)

FORMATS = ("table", "json", "html")
_COUNTERS = re.compile(r"^(?P<services>[A-Za-z0-9_+-]+):(?P<count>\d+)(?:@(?P<hours>.*))?$")
_CLOSE = re.compile(r"^(?P<number>\d+)(?:@(?P<hours>.*))?$")
_RANGE = re.compile(r"^(?P<a>\d{1,2}):(?P<am>\d{2})-(?P<b>\d{1,2}):(?P<bm>\d{2})$")
_NUMBERED = re.compile(r"^(?P<number>\d+)=(?P<value>.+)$")
Hours = tuple[tuple[float, float], ...]


def _pairs(items: list[str], what: str) -> dict[str, str]:
    out_: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise BadInput(reason="simulate.not_pair", option=what, value=repr(item))
        out_[key.strip()] = value.strip()
    return out_


def _number(value: str, what: str, lo: float = 0.0, hi: float | None = None) -> float:
    try:
        number = float(value)
    except ValueError:
        raise BadInput(reason="field.not_number", what=what, value=repr(value)) from None
    if number < lo or (hi is not None and number > hi):
        raise (BadInput(reason="simulate.between", what=what, low=f"{lo:g}", high=f"{hi:g}")
               if hi is not None
               else BadInput(reason="simulate.at_least", what=what, low=f"{lo:g}"))  # fmt: skip
    return number


def _setting(name: str, value: str) -> object:
    if name not in SIMULATED_SETTINGS:
        raise BadInput(reason="simulate.unknown_setting", choices=", ".join(SIMULATED_SETTINGS),
                       name=repr(name))  # fmt: skip
    if name == "green_designated_only":
        if value.lower() not in ("true", "false", "1", "0", "yes", "no"):
            raise BadInput(reason="setting.not_bool", name=name, value=repr(value))
        return value.lower() in ("true", "1", "yes")
    return int(_number(value, name))


def _time_range(text: str | None, what: str, form: str) -> tuple[float, float] | None:
    """``HH:MM-HH:MM`` as hours of the day; None when not given."""
    if text is None:
        return None
    m = _RANGE.match(text.strip())
    if not m:
        raise BadInput(reason="simulate.bad_form", what=what, form=form, value=repr(text))
    a, b = int(m["a"]) + int(m["am"]) / 60, int(m["b"]) + int(m["bm"]) / 60
    if not 0 <= a < b <= 24:
        raise BadInput(reason="simulate.backwards", what=what, text=text)
    return a, b


def _without(hours: Hours, gap: tuple[float, float]) -> Hours:
    """``hours`` with the stretch ``gap`` taken out (a counter closed for a while)."""
    a, b = gap
    kept = []
    for start, end in hours:
        if start < a:
            kept.append((start, min(end, a)))
        if end > b:
            kept.append((max(start, b), end))
    return tuple((s, e) for s, e in kept if e > s)


def _counter_spec(
    counters: dict[int, Counter], pattern: re.Pattern[str], spec: str, option: str, form: str
) -> tuple[re.Match[str], Counter]:
    """One what-if option's value, parsed, and the counter it names."""
    m = pattern.match(spec.strip())
    if not m:
        raise BadInput(reason="simulate.bad_form", what=option, form=form, value=repr(spec))
    found = counters.get(int(m["number"]))
    if found is None:
        raise BadInput(reason="simulate.no_counter", option=option, counter=m["number"],
                       counters=", ".join(map(str, sorted(counters))))  # fmt: skip
    return m, found


def _tiers(text: str, known: set[str], what: str) -> tuple[str, ...]:
    """``ID+PP,RES`` as ``counters add --services`` takes it: tiers, codes joined by +."""
    tiers = tuple(t.strip() for t in text.split(",") if t.strip())
    codes = {code for tier in tiers for code in tier.split("+")}
    if not tiers or not codes <= known:
        raise BadInput(reason="simulate.no_service", what=what,
                       services=", ".join(sorted(codes - known)) or text)  # fmt: skip
    return tiers


def change_counters(
    day: Day,
    *,
    hall_hours: str | None,
    close: list[str],
    counter_hours: list[str],
    counter_services: list[str],
) -> Day:
    """``day`` with the hall's opening hours and its counters changed: closed (all day or
    for a while), other hours, other services in another order."""
    known = {s.code for s in day.services}
    opens, closes = day.opens, day.closes
    usual = ((opens, closes),)
    new_hours = _time_range(hall_hours, "--hours", "HH:MM-HH:MM, e.g. 08:30-17:30")
    if new_hours:
        opens, closes = new_hours
    counters = {
        c.number: replace(c, hours=((opens, closes),)) if c.hours == usual else c
        for c in day.counters
    }
    for spec in close:
        form = "NUMBER[@HH:MM-HH:MM], e.g. 3@12:00-13:30"
        m, c = _counter_spec(counters, _CLOSE, spec, "--close-counter", form)
        gap = _time_range(m["hours"], "--close-counter", form)
        if gap is None:
            del counters[c.number]
        else:
            counters[c.number] = replace(c, hours=_without(c.hours, gap))
    for spec in counter_hours:
        form = "NUMBER=HH:MM-HH:MM[,HH:MM-HH:MM], e.g. 3=08:30-12:00,13:30-17:30"
        m, c = _counter_spec(counters, _NUMBERED, spec, "--counter-hours", form)
        ranges = tuple(_time_range(r, "--counter-hours", form) for r in m["value"].split(","))
        counters[c.number] = replace(c, hours=ranges)
    for spec in counter_services:
        form = "NUMBER=SERVICES, e.g. 1=PP,ID"
        m, c = _counter_spec(counters, _NUMBERED, spec, "--counter-services", form)
        counters[c.number] = replace(c, services=_tiers(m["value"], known, "--counter-services"))
    return day.with_changes(opens=opens, closes=closes, counters=tuple(counters.values()))


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
            raise BadInput(reason="simulate.unknown_service", service=code,
                           known=", ".join(sorted(known)))  # fmt: skip
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
        form = "SERVICES:COUNT[@HH:MM-HH:MM], e.g. PP:2@09:00-11:00"
        m = _COUNTERS.match(spec.strip())
        if not m:
            raise BadInput(
                reason="simulate.bad_form", what="--add-counters", form=form, value=repr(spec)
            )
        codes = set(m["services"].split("+"))
        if not codes <= known:
            raise BadInput(reason="simulate.no_service", what="--add-counters",
                           services=", ".join(sorted(codes - known)))  # fmt: skip
        hours = (_time_range(m["hours"], "--add-counters", form) or (day.opens, day.closes),)
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
    weekday: Annotated[int | None, typer.Option("--weekday", help="Average only the history's "
                       "days of this weekday, 1 (Monday) to 7 (Sunday): a weekday profile.",
                       show_default=False)] = None,
    hours: Annotated[str | None, typer.Option("--hours", help="The hall issues tickets "
                     "HH:MM-HH:MM instead (counters on the usual hours follow).",
                     show_default=False)] = None,
    close_counter: Annotated[list[str] | None, typer.Option("--close-counter", help="NUMBER "
                             "closed all day, or NUMBER@HH:MM-HH:MM for a while (repeatable).")]
    = None,
    counter_hours: Annotated[list[str] | None, typer.Option("--counter-hours", help="NUMBER="
                             "HH:MM-HH:MM[,HH:MM-HH:MM]: a counter's own hours (repeatable).")]
    = None,
    counter_services: Annotated[list[str] | None, typer.Option("--counter-services", help=
                                "NUMBER=SERVICES in calling order, e.g. 1=PP,ID (repeatable).")]
    = None,
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
    """Simulate a day of the hall with the real engine: waits (mean, p50, p90) by hour and
    service, not called by midnight, share within target, counter utilisation, green and
    normal waits, each with its 95 % interval across the replications. The hall is not
    changed. Runs with the same --seed are paired: a what-if differs from the hall as it is
    only by its change, not by other random draws.

    Example: qconsole simulate --close-counter 3@12:00-13:30 --add-counters PP:2@09:00-11:00
    """
    if as_json:
        fmt = "json"
    if fmt not in FORMATS:
        raise BadInput(reason="cli.bad_choice", option="--format", choices=", ".join(FORMATS),
                       value=repr(fmt))  # fmt: skip
    if weekday is not None and not 1 <= weekday <= 7:
        raise BadInput(reason="simulate.bad_weekday", value=weekday)
    path = need_db(db, server, "simulate")
    conn = open_readonly(path)
    try:
        day = day_from_hall(conn, days=history_days, weekday=weekday)
    finally:
        conn.close()
    if profile is not None:
        day = apply_profile(day, read_profile(profile))
    day = change_counters(
        day,
        hall_hours=hours,
        close=close_counter or [],
        counter_hours=counter_hours or [],
        counter_services=counter_services or [],
    )
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
        raise BadInput(reason="simulate.no_counters")
    if day.expected_tickets <= 0 and weekday is not None:
        name = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
        raise BadInput(reason="simulate.no_weekday_history", weekday=name[weekday - 1])
    if day.expected_tickets <= 0:
        raise BadInput(reason="simulate.no_history")
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
              f"{data['tickets_per_day']:.0f} tickets a day on average; ± is the 95 % "
              "interval across them")  # fmt: skip
    for warning in data["warnings"]:
        out.print(
            f"WARNING: {warning}", markup=False, style="bold red" if out.is_terminal else None
        )
    if data["warnings"]:
        out.print(data["note"], markup=False)
    table("By service", SERVICE_COLUMNS, service_rows(data))
    table("Green channel", GREEN_COLUMNS, green_rows(data))
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
