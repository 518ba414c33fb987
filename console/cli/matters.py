"""``qconsole matters import|list|add|edit|remove``: the catalogue of a one-stop hall.

A matter (事项) is what a citizen comes for; it is called in one of the hall's services
(its queue). The catalogue comes from the departments as text (CSV or tab-separated, in
UTF-8, UTF-16 or GB18030) or Excel (XLSX, XLS); its columns and what the reader forgives
are in ``console.catalogue.files`` and docs/admin.md.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from console.catalogue.files import Catalogue, read_catalogue
from console.cli import crud
from console.cli.common import (
    DbOpt,
    JsonOpt,
    ServerOpt,
    actor_for,
    cli_lang,
    emit_json,
    guarded,
    open_hall,
    out,
)
from console.domain import reasons

app = typer.Typer(
    help="Matters (事项) and their departments: the one-stop hall's catalogue.",
    no_args_is_help=True,
)

Materials = Annotated[
    str | None,
    typer.Option("--materials", help="The one-time list (一次性告知), ';'-separated."),
]


@app.command("import")
@guarded
def import_(
    file: Annotated[
        Path, typer.Argument(help="CSV/TSV text (UTF-8, UTF-16, GB18030), XLSX or XLS.")
    ],
    update: Annotated[
        bool,
        typer.Option(
            "--update",
            help="Change existing matters; retire those of the file's "
            "departments that it leaves out.",
        ),
    ] = False,
    department: Annotated[
        list[str] | None,
        typer.Option(
            "--department",
            help="Read only this department's rows and retire only "
            "its matters (repeat for several).",
        ),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="Read only this sheet of a workbook.")
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", help="Allow an update that retires over 10 % of matters.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check, count and list; store nothing.")
    ] = False,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import the catalogue: all or nothing; bad rows are reported by line (exit 2).

    Example: qconsole matters import 事项目录.xlsx --update --dry-run
    """
    catalogue = read_catalogue(file, sheet=sheet)
    hall = open_hall(db, server)
    result = hall.import_matters(
        actor_for(hall),
        catalogue.rows,
        update=update,
        dry_run=dry_run or bool(catalogue.problems),
        departments=department,
        confirm=yes,
    )
    errors = sorted(
        [*catalogue.problems, *result["errors"]],
        key=lambda e: (
            str(e.get("sheet") or ""),
            int(e["line"]) if str(e["line"]).isdigit() else 0,
        ),
    )
    result = {**result, "errors": errors, "stored": result["stored"] and not errors}
    notes = list(catalogue.notes)
    if result["skipped"]:
        notes.append(
            (
                "catalogue.rows_skipped",
                {"count": result["skipped"], "departments": ", ".join(department or [])},
            )
        )
    lang = cli_lang()
    if as_json:
        emit_json({**result, "notes": [reasons.render(r, p, lang) for r, p in notes]})
    else:
        for reason, params in notes:
            print(f"{file}: {reasons.render(reason, params, lang)}", file=sys.stderr)
        verb = "stored" if result["stored"] else "would store" if not errors else (
            "nothing stored; would have")  # fmt: skip
        out.print(
            f"{verb}: {result['added']} added, {result['changed']} changed, "
            f"{result['unchanged']} unchanged, {result['retired']} retired",
            markup=False,
        )
        if dry_run and not errors:
            for matter in result["retired_matters"]:
                out.print(reasons.render("catalogue.would_retire", matter, lang), markup=False)
        for problem in errors[:MAX_ERROR_LINES]:
            print(
                f"{_place(file, problem)}: {_sentence(catalogue, problem, lang)}", file=sys.stderr
            )
        if len(errors) > MAX_ERROR_LINES:
            more = {"count": len(errors) - MAX_ERROR_LINES}
            print(f"{file}: {reasons.render('catalogue.more_errors', more, lang)}", file=sys.stderr)
    if errors:
        raise typer.Exit(2)


MAX_ERROR_LINES = 20
"""Bad rows said one a line up to this many, then counted: a merged column gone wrong can
make every row bad, and a thousand lines hide the one that explains them."""


def _place(file: Path, problem: dict) -> str:
    sheet = f"[{problem['sheet']}]" if problem.get("sheet") else ""
    return f"{file}{sheet}:{problem['line']}"


def _sentence(catalogue: Catalogue, problem: dict, lang: str) -> str:
    """A bad row's error in the reader's language, naming the column as the file does."""
    column = catalogue.column_name(problem.get("column"))
    if not problem.get("reason"):
        return str(problem["error"])
    params = dict(problem.get("params") or {})
    if column:
        for name in ("what", "required", "column"):
            if name in params or (name == "column" and problem["reason"].startswith("catalogue.")):
                params[name] = column
    sentence = reasons.render(problem["reason"], params, lang)
    return sentence if not column or column in sentence else f"{column}: {sentence}"


@app.command("list")
@guarded
def list_(
    all_: Annotated[bool, typer.Option("--all", help="Include retired matters.")] = False,
    department: Annotated[
        str | None, typer.Option("--department", help="Only this department's matters.")
    ] = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List matters with their department and queue.

    Example: qconsole matters list --department SCJG --json
    """
    crud.list_rows(
        db,
        server,
        as_json,
        read=lambda hall: [
            m
            for m in hall.list_matters(include_retired=all_)
            if department is None or m.department == department
        ],
        title=lambda matters: f"Matters 事项 ({len(matters)})",
        columns=["code", "中文", "English", "dept", "queue", "handling", "target", "active"],
        row=lambda m: (
            m.code,
            m.name_zh,
            m.name_en,
            m.department,
            m.service,
            f"{m.handling_min:g} min",
            f"{m.target_wait_min} min",
            "yes" if m.active else "retired",
        ),
    )


@app.command()
@guarded
def add(
    code: Annotated[str, typer.Argument(help="The matter's code, e.g. SCJG-0001.")],
    name_zh: Annotated[str, typer.Option("--zh", help="Chinese name.")],
    department: Annotated[str, typer.Option("--department", help="Department code.")],
    service: Annotated[str, typer.Option("--service", help="The queue (service code).")],
    name_en: Annotated[str | None, typer.Option("--en", help="English name.")] = None,
    department_zh: Annotated[
        str | None, typer.Option("--department-zh", help="Department's Chinese name (if new).")
    ] = None,
    department_en: Annotated[
        str | None, typer.Option("--department-en", help="Department's English name.")
    ] = None,
    handling: Annotated[
        float | None, typer.Option("--handling", help="Typical handling, minutes.")
    ] = None,
    target: Annotated[int | None, typer.Option("--target", help="Target wait, minutes.")] = None,
    materials: Materials = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a matter (its department is added when new).

    Example: qconsole matters add SCJG-0001 --zh 个体工商户设立登记 --department SCJG --service ZH
    """
    fields = crud.given(code=code, name_zh=name_zh, name_en=name_en, department=department,
                        department_zh=department_zh, department_en=department_en,
                        service=service, handling_min=handling, target_wait_min=target,
                        materials=materials)  # fmt: skip
    crud.write(
        db,
        server,
        as_json,
        lambda hall, actor: hall.add_matter(actor, **fields),
        lambda m: f"added matter {m.code} ({m.name_zh}), queue {m.service}",
        markup=False,
    )


@app.command()
@guarded
def edit(
    code: Annotated[str, typer.Argument(help="The matter to change.")],
    name_zh: Annotated[str | None, typer.Option("--zh")] = None,
    name_en: Annotated[str | None, typer.Option("--en")] = None,
    department: Annotated[str | None, typer.Option("--department")] = None,
    service: Annotated[str | None, typer.Option("--service")] = None,
    handling: Annotated[float | None, typer.Option("--handling")] = None,
    target: Annotated[int | None, typer.Option("--target")] = None,
    materials: Materials = None,
    active: Annotated[bool | None, typer.Option("--active/--retired")] = None,
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a matter.

    Example: qconsole matters edit SCJG-0001 --handling 12 --materials "身份证;经营场所证明"
    """
    fields = crud.given(name_zh=name_zh, name_en=name_en, department=department,
                        service=service, handling_min=handling, target_wait_min=target,
                        materials=materials, active=active)  # fmt: skip
    crud.write(
        db,
        server,
        as_json,
        lambda hall, actor: hall.edit_matter(actor, code, **fields),
        lambda m: f"matter {m.code} updated",
        markup=False,
    )


@app.command()
@guarded
def remove(
    code: Annotated[str, typer.Argument(help="The matter to remove.")],
    db: DbOpt = None,
    server: ServerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Remove a matter (retired, kept for history, when a ticket names it).

    Example: qconsole matters remove SCJG-0001
    """
    crud.remove(
        db,
        server,
        as_json,
        lambda hall, actor: hall.remove_matter(actor, code),
        noun="matter",
        key="code",
        name=code,
        markup=False,
    )
