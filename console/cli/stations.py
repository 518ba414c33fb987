"""``qconsole stations add|list|revoke|save-token``: the PCs allowed to talk to the hall server.

An admin registers stations on the server machine (``--db``); ``add`` prints
the station's token once (only its hash is stored). On the station, the token
goes in ``QCONSOLE_TOKEN`` or in the per-user file ``save-token`` writes.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from console.cli.common import (
    DbOpt,
    JsonOpt,
    actor_for,
    default_db,
    emit_json,
    guarded,
    out,
    table,
)  # fmt: skip
from console.domain.errors import BadInput
from console.station_credentials import token_file

app = typer.Typer(help="Stations of the hall server: register, list, revoke.",
                  no_args_is_help=True)  # fmt: skip

NameArg = Annotated[str, typer.Argument(help="Station name, e.g. desk-05 or reception.")]


def _hall(db: Path | None):
    from console.local import LocalHall

    return LocalHall(db or default_db())


def _when(ts: float | None) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M") if ts else ""


@app.command()
@guarded
def add(
    name: NameArg,
    admin: Annotated[bool, typer.Option("--admin", help="An admin station: acts as the admin "
                                        "shell without a clerk login (for scripts).")] = False,
    kiosk: Annotated[bool, typer.Option("--kiosk", help="A self-service kiosk: may only issue "
                                        "tickets and read what /kiosk shows.")] = False,
    city: Annotated[bool, typer.Option("--city", help="The city's process (`qconsole city "
                                       "serve`): may only read the city's figures.")] = False,
    db: DbOpt = None, as_json: JsonOpt = False,
) -> None:  # fmt: skip
    """Register a station and print its token (shown once).

    Example: qconsole stations add desk-05  (a kiosk by the door: stations add kiosk-1 --kiosk;
    the city's process: stations add city --city)
    """
    from console.server.auth import add_station

    if admin + kiosk + city > 1:
        raise BadInput(reason="station.one_kind")
    role = "admin" if admin else "kiosk" if kiosk else "city" if city else "station"
    hall = _hall(db)
    with hall._lock:
        station, token = add_station(hall.engine, actor_for(hall), name, role)
    if as_json:
        emit_json({**station.to_dict(), "token": token})
        return
    out.print(f"station {station.name} ({station.role}) registered; its token (shown once):",
              markup=False)  # fmt: skip
    out.print(token, markup=False)
    if station.role == "kiosk":
        out.print(f"on the kiosk, open: <server>/kiosk#token={token}", markup=False)
    elif station.role == "city":
        out.print("in the city's city.toml, this hall's token = \"<the token>\"", markup=False)
    else:
        out.print(f"on the station: qconsole stations save-token {token}", markup=False)


@app.command("list")
@guarded
def list_(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Show registered stations.  Example: qconsole stations list"""
    from console.server.auth import list_stations

    hall = _hall(db)
    stations = list_stations(hall.engine)
    if as_json:
        emit_json([s.to_dict() for s in stations])
        return
    rows = [(s.name, s.role, _when(s.created_at), _when(s.revoked_at)) for s in stations]
    table("Stations", ["name", "role", "registered", "revoked"], rows)


@app.command()
@guarded
def revoke(name: NameArg, db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Refuse a station's token from now on and log out its clerks.

    Example: qconsole stations revoke desk-05
    """
    from console.server.auth import revoke_station

    hall = _hall(db)
    with hall._lock:
        station = revoke_station(hall.engine, actor_for(hall), name)
    if as_json:
        emit_json(station.to_dict())
    else:
        out.print(f"station {name} revoked", markup=False)


@app.command("save-token")
@guarded
def save_token(
    token: Annotated[str, typer.Argument(help="The token `stations add` printed.")],
) -> None:
    """On a station: keep its token in a file only this user can read.

    Example: qconsole stations save-token 3q2…
    """
    token = token.strip()
    if len(token) < 20 or any(c.isspace() for c in token):
        raise BadInput(reason="station.bad_token_text")
    path = token_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(token + "\n")
    os.chmod(path, 0o600)
    out.print(f"station token saved in {path}", markup=False)
