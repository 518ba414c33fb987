"""``qconsole city serve|floor|report``: a city's halls as one (docs/city.md).

``serve`` follows every hall of city.toml and serves the city's read API; ``floor`` is the
city's floor view in the terminal; ``report`` is one report across the halls from what the
city process holds (its database, or the process itself with ``--server``).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from console.cli.common import JsonOpt, emit_json, err, guarded, out
from console.cli.export import DayOpt, FromOpt, ToOpt
from console.domain.errors import BadInput, Unavailable

app = typer.Typer(
    help="A city's halls as one: follow them, see them, report on them.", no_args_is_help=True
)

DEFAULT_PORT = 8460
HallsOpt = Annotated[
    Path,
    typer.Option(
        "--halls",
        help="The city's halls (city.toml: url, token, name, district, address, lat/lon).",
    ),
]
CityDbOpt = Annotated[
    Path | None,
    typer.Option(
        "--db",
        envvar="QCONSOLE_CITY_DB",
        show_default=False,
        help="The city's own database (default: ~/.local/share/qconsole/city.db).",
    ),
]
CityServerOpt = Annotated[
    str | None,
    typer.Option(
        "--server",
        envvar="QCONSOLE_CITY_SERVER",
        show_default=False,
        help="The city process's URL (instead of --db), e.g. http://127.0.0.1:8460.",
    ),
]


def default_city_db() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "qconsole" / "city.db"


def parse_listen(listen: str) -> tuple[str, int]:
    host, sep, port = listen.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise BadInput(reason="city.bad_listen", value=repr(listen))
    return host.strip("[]"), int(port)


@app.command()
@guarded
def serve(
    halls: HallsOpt,
    db: CityDbOpt = None,
    listen: Annotated[
        str,
        typer.Option(
            "--listen",
            help="HOST:PORT to serve the city's API "
            "on (put a TLS proxy in front beyond this machine).",
        ),
    ] = f"127.0.0.1:{DEFAULT_PORT}",
) -> None:
    """Follow every hall of city.toml and serve the city's figures (read API with OpenAPI at
    /city/openapi.json).

    Example: qconsole city serve --halls /etc/qconsole/city.toml --db /srv/qconsole/city.db
    """
    import uvicorn

    from console.city.app import create_city_app
    from console.city.config import load
    from console.city.store import open_city
    from console.server.limits import MAX_CONNECTIONS, PER_ADDRESS, REQUEST_TIMEOUT_S
    from console.server.protocol import Admission, hall_protocol

    config = load(halls)
    host, port = parse_listen(listen)
    path = db or default_city_db()
    open_city(path, create=True).close()  # refuse a wrong --db before listening
    out.print(
        f"qconsole city: {len(config.halls)} halls, {path}, on http://{host}:{port}", markup=False
    )
    app_ = create_city_app(config, path)
    # the "where to go now" page is open to every phone: the hall server's guards against
    # idle and half-sent connections (a deadline per request, a cap per address) hold here too
    admission = Admission(MAX_CONNECTIONS, PER_ADDRESS)
    uvicorn.Server(
        uvicorn.Config(
            app_,
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=3,
            timeout_keep_alive=30,
            http=hall_protocol(admission, REQUEST_TIMEOUT_S),
        )
    ).run()


@app.command()
@guarded
def floor(
    halls: Annotated[
        Path | None,
        typer.Option(
            "--halls",
            help="Follow the halls of this city.toml from this terminal (instead of --server).",
        ),
    ] = None,
    server: CityServerOpt = None,
    db: CityDbOpt = None,
) -> None:
    """The city's floor view: every hall with its waiting, longest wait over target, open
    counters, alerts and night session; a hall the city cannot reach is marked with the
    time of its last figures.

    Example: qconsole city floor --server http://127.0.0.1:8460
    """
    from console.city.floor import CityFloorApp
    from console.engine.clock import Clock

    if bool(halls) == bool(server):
        raise BadInput(reason="city.floor_source")
    clock = Clock()
    if server:
        CityFloorApp(_api_source(server), tz=clock.tz, now=clock.now).run()
        return
    from console.city.config import load
    from console.city.local import FollowHere

    config = load(halls)
    here = FollowHere(config, db or default_city_db(), clock)
    here.start()
    try:
        CityFloorApp(here.halls, name=config.name, tz=clock.tz, now=clock.now).run()
    finally:
        here.stop()


def _api_source(server: str):
    import httpx

    url = server.rstrip("/") + "/city/api/v1/halls"
    try:
        httpx.get(url, timeout=10).raise_for_status()
    except httpx.HTTPError as exc:
        raise Unavailable(reason="city.unreachable", server=server, detail=str(exc)) from None

    def read() -> list[dict]:
        return httpx.get(url, timeout=10).raise_for_status().json()

    return read


def _report_data(
    days_args: tuple[str | None, str | None, str | None], db: Path | None, server: str | None
) -> dict:
    day, first, last = days_args
    if server:
        import httpx

        params = {k: v for k, v in (("day", day), ("from", first), ("to", last)) if v}
        try:
            r = httpx.get(server.rstrip("/") + "/city/api/v1/report", params=params, timeout=60)
        except httpx.HTTPError as exc:
            raise Unavailable(reason="city.unreachable", server=server, detail=str(exc)) from None
        if r.status_code != 200:
            raise BadInput(reason="city.refused", detail=r.json().get("message", r.text))
        return r.json()
    from console.city.report import compute
    from console.city.store import open_city
    from console.reports.dates import day_range

    days = day_range(day, first, last, default="yesterday")
    conn = open_city(db or default_city_db())
    try:
        return compute(conn, days)
    finally:
        conn.close()


@app.command()
@guarded
def report(
    day: DayOpt = None,
    from_: FromOpt = None,
    to: ToOpt = None,
    fmt: Annotated[
        Literal["table", "json", "md", "html", "xlsx"],
        typer.Option("--format", help="table (terminal), json, md, html or xlsx (needs --out)."),
    ] = "table",
    out_: Annotated[
        str,
        typer.Option(
            "--out",
            help="Write to this file (written whole, then renamed) instead of standard output.",
        ),
    ] = "-",
    db: CityDbOpt = None,
    server: CityServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One report across the city's halls for a day (default yesterday) or a range: per hall
    and service issued, served, mean and p90 wait, within target, ratings, night share;
    compared with the previous day and week (or the previous period).

    Example: qconsole city report --day yesterday --format html --out /srv/city/daily.html
    """
    from console.city.render import html_page, markdown, sections, title, xlsx
    from console.reports.atomic import atomic_path

    if db and server:
        raise BadInput(reason="cli.db_and_server")
    if as_json:
        fmt = "json"
    if fmt == "xlsx" and out_ == "-":
        raise BadInput(reason="city.xlsx_needs_out")
    data = _report_data((day, from_, to), db, server)
    if fmt == "table" and out_ == "-":
        _tables(data, sections, title)
        return
    if fmt == "table":
        raise BadInput(reason="city.table_to_terminal")
    if out_ == "-":
        if fmt == "json":
            emit_json(data)
        else:
            sys.stdout.write(markdown(data) if fmt == "md" else html_page(data))
        return
    target = Path(out_)
    if not target.parent.is_dir():
        raise BadInput(reason="output.no_directory", out=out_, directory=target.parent)
    with atomic_path(target) as tmp:
        if fmt == "xlsx":
            xlsx(data, tmp)
        elif fmt == "json":
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        else:
            tmp.write_text(markdown(data) if fmt == "md" else html_page(data), encoding="utf-8")
    if err.is_terminal:
        err.print(f"city report → {target}", markup=False, highlight=False)


def _tables(data: dict, sections, title) -> None:
    from rich.table import Table
    from rich.text import Text

    from console.reports.render import BELOW

    out.print(title(data), style="bold", markup=False)
    for name, cols, rows in sections(data):
        t = Table(title=name, title_justify="left", header_style="bold")
        for i, c in enumerate(cols):
            t.add_column(c, justify="left" if i == 0 else "right", no_wrap=i == 0)
        for row in rows:
            t.add_row(*(Text(c, style="bold red") if c.startswith(BELOW) else c for c in row))
        if not rows:
            t.add_row("(none 无)", *[""] * (len(cols) - 1))
        out.print(t)
