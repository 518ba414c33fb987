"""``qconsole init`` and ``qconsole demo``: create or migrate a hall, or open the demo hall."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from console.cli.common import DbOpt, JsonOpt, default_db, emit_json, guarded, out
from console.domain.errors import BadInput
from console.local import LocalHall
from console.store import SCHEMA_VERSION


@guarded
def init(
    demo: Annotated[
        bool, typer.Option("--demo", help="Fill a new hall with the demo data.")
    ] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Create a hall database, or migrate an existing one.

    Example: qconsole init --db /srv/hall/hall.db
    """
    path = db or default_db()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not os.access(path.parent, os.W_OK):
        raise BadInput(reason="cli.cannot_write_dir", directory=path.parent)
    hall = LocalHall(path, create=True)
    if demo:
        if hall.list_services(include_inactive=True):
            raise BadInput(reason="cli.demo_needs_new", path=path)
        from console.demo import build_demo

        build_demo(hall.engine)
    if as_json:
        emit_json({"db": str(path), "schema_version": SCHEMA_VERSION, "demo": demo})
    else:
        out.print(f"hall database ready at {path} (schema {SCHEMA_VERSION})", markup=False)


def demo_db_path() -> Path:
    return default_db().with_name("demo.db")


def fresh_demo(path: Path) -> LocalHall:
    """A new demo hall at ``path`` (an old demo there is replaced)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    hall = LocalHall(path, create=True)
    from console.demo import build_demo

    build_demo(hall.engine)
    return hall


@guarded
def demo(
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="Where to build the demo hall "
            "(default: the user data directory; replaced each run).",
        ),
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="zh-CN or en.")] = None,
    theme: Annotated[str | None, typer.Option("--theme", help="default or contrast.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Build the demo hall and open counter 1's console, logged in as the demo clerk.

    Example: qconsole demo
    """
    from console.tui.settings import normalise_language, normalise_theme

    lang, theme = normalise_language(lang), normalise_theme(theme)  # refuse before building
    path = db or demo_db_path()
    hall = fresh_demo(path)
    if as_json:
        emit_json({"db": str(path), "counter": hall.counter_view(1).to_dict()})
        return
    from console.tui.app import run_demo_desk

    run_demo_desk(hall, lang=lang, theme=theme)
