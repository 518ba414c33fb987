"""``qconsole services list|add|edit|remove``: what the hall offers."""

from __future__ import annotations

from typing import Annotated

import typer

from console.cli import crud
from console.cli.common import DbOpt, JsonOpt, ServerOpt, guarded

app = typer.Typer(
    help="Services: code, zh/en names, ticket prefix, target wait, handling time.",
    no_args_is_help=True,
)

Materials = Annotated[
    str | None,
    typer.Option(
        "--materials",
        help="What a citizen may need to bring, ';'-separated "
        "(the pick list for 'materials incomplete').",
    ),
]


def _materials(value: str | None) -> list[str] | None:
    return None if value is None else [m.strip() for m in value.split(";") if m.strip()]


@app.command("list")
@guarded
def list_(
    all_: Annotated[bool, typer.Option("--all", help="Include inactive services.")] = False,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List services.

    Example: qconsole services list --json
    """
    crud.list_rows(
        db,
        server,
        as_json,
        read=lambda hall: hall.list_services(include_inactive=all_),
        title="Services 服务",
        columns=["code", "prefix", "中文", "English", "target", "handling", "active"],
        row=lambda s: (
            s.code,
            s.prefix,
            s.name_zh,
            s.name_en,
            f"{s.target_wait_min} min",
            f"{s.handling_min:g} min",
            "yes" if s.active else "no",
        ),
    )


@app.command()
@guarded
def add(
    code: Annotated[str, typer.Argument(help="Short code, e.g. ID.")],
    name_zh: Annotated[str, typer.Option("--zh", help="Chinese name.")],
    name_en: Annotated[str, typer.Option("--en", help="English name.")],
    prefix: Annotated[str, typer.Option("--prefix", help="Ticket letter(s), e.g. A.")],
    target: Annotated[int, typer.Option("--target", help="Target wait, minutes.")] = 30,
    handling: Annotated[float, typer.Option("--handling", help="Typical handling, minutes.")] = 8,
    materials: Materials = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a service.

    Example: qconsole services add ID --zh 身份证 --en "ID card" --prefix A
    """
    crud.write(
        db,
        server,
        as_json,
        lambda hall, actor: hall.add_service(
            actor,
            code=code,
            name_zh=name_zh,
            name_en=name_en,
            prefix=prefix,
            target_wait_min=target,
            handling_min=handling,
            materials=_materials(materials) or [],
        ),
        lambda s: f"added service {s.code} ({s.name_zh} / {s.name_en}), tickets {s.prefix}001…",
    )


@app.command()
@guarded
def edit(
    code: Annotated[str, typer.Argument(help="The service to change.")],
    name_zh: Annotated[str | None, typer.Option("--zh")] = None,
    name_en: Annotated[str | None, typer.Option("--en")] = None,
    prefix: Annotated[str | None, typer.Option("--prefix")] = None,
    target: Annotated[int | None, typer.Option("--target")] = None,
    handling: Annotated[float | None, typer.Option("--handling")] = None,
    materials: Materials = None,
    active: Annotated[bool | None, typer.Option("--active/--inactive")] = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a service.

    Example: qconsole services edit ID --target 20
    """
    crud.write(
        db,
        server,
        as_json,
        lambda hall, actor: hall.edit_service(
            actor,
            code,
            name_zh=name_zh,
            name_en=name_en,
            prefix=prefix,
            target_wait_min=target,
            handling_min=handling,
            materials=_materials(materials),
            active=active,
        ),
        lambda s: f"service {s.code} updated",
    )


@app.command()
@guarded
def remove(
    code: Annotated[str, typer.Argument(help="The service to remove.")],
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Remove a service (kept as inactive when it has history).

    Example: qconsole services remove ID
    """
    crud.remove(
        db,
        server,
        as_json,
        lambda hall, actor: hall.remove_service(actor, code),
        noun="service",
        key="code",
        name=code,
    )
