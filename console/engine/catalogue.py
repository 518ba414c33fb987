"""The catalogue of departments (部门) and matters (事项): one-stop halls (一窗通办).

A matter is what a citizen comes for; it is called in one of the hall's services (the
queue line). Matters are added, edited, retired and imported here, each change one
event. A matter or department that a ticket names is never deleted: it is retired
(``active = 0``), so history keeps its names and reports keep their rows.

An import is all or nothing: every row is checked, and when any row is bad nothing is
stored and each bad row is reported by its line. A catalogue half imported (and, in
update mode, half retired) would send citizens to the wrong queue.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Sequence
from typing import Any

from console.domain import Actor, Department, Matter
from console.domain import fields as f
from console.domain.errors import BadInput, NotFound, Refused
from console.engine import checks, commands
from console.engine.core import Core, Room
from console.engine.services import Services

_MATTER_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
MATERIAL_SEPARATORS = re.compile(r"[;；\n|]")
"""How a spreadsheet cell lists materials: ';' or '；' or '|' or one per line."""
RECENT_DAYS = 30
"""Reception ranks matters by the tickets issued for them in this many days."""

MATTER_FIELDS = (
    "code",
    "name_zh",
    "name_en",
    "department",
    "department_zh",
    "department_en",
    "service",
    "materials",
    "handling_min",
    "target_wait_min",
    "active",
)
"""What a matter is given by (the import's columns, ``add_matter``'s fields)."""
CATALOGUE_FIELDS = ("name_zh", "name_en", "service_id", "department_id", "materials",
                    "handling_min", "target_wait_min", "active")  # fmt: skip
"""The stored columns an update compares."""


def materials_list(value: Any) -> list[str]:
    """A materials cell or list as a clean list (empty entries dropped)."""
    if value is None:
        return []
    items = MATERIAL_SEPARATORS.split(value) if isinstance(value, str) else list(value)
    return [f.MATERIAL.check(str(m)) for m in items if str(m).strip()]


class Catalogue(Room):
    """Departments and matters: list, add, edit, remove, import."""

    def __init__(self, core: Core, services: Services) -> None:
        super().__init__(core)
        self.services = services

    # -- reading ----------------------------------------------------------
    def list_departments(self, include_retired: bool = False) -> list[Department]:
        where = "" if include_retired else " WHERE active = 1"
        rows = self.conn.execute(f"SELECT * FROM departments{where} ORDER BY code").fetchall()
        return [Department.from_dict({**dict(r), "active": bool(r["active"])}) for r in rows]

    def list_matters(self, include_retired: bool = False) -> list[Matter]:
        where = "" if include_retired else " WHERE m.active = 1"
        since = self.clock.now() - RECENT_DAYS * 86400
        # counted here, not grouped in SQL: a GROUP BY would sort the month's rows apart
        counts = Counter(
            r[0]
            for r in self.conn.execute(
                "SELECT matter_id FROM tickets INDEXED BY tickets_matter_issued"
                " WHERE matter_id IS NOT NULL AND issued_at > ?",
                (since,),
            )
        )
        rows = self.conn.execute(self._MATTER_SELECT + where + " ORDER BY m.code").fetchall()
        return [self._matter_from_row(r, counts.get(r["id"], 0)) for r in rows]

    def get_matter(self, code: str) -> Matter:
        return self._matter_from_row(self._matter_row(code))

    _MATTER_SELECT = (
        "SELECT m.*, d.code AS department_code, s.code AS service_code FROM matters m"
        " JOIN departments d ON d.id = m.department_id JOIN services s ON s.id = m.service_id"
    )

    @staticmethod
    def _matter_from_row(row: sqlite3.Row, issued: int = 0) -> Matter:
        return Matter(
            id=row["id"],
            code=row["code"],
            name_zh=row["name_zh"],
            name_en=row["name_en"],
            department=row["department_code"],
            service=row["service_code"],
            materials=json.loads(row["materials"]),
            handling_min=row["handling_min"],
            target_wait_min=row["target_wait_min"],
            active=bool(row["active"]),
            issued_recent=issued,
        )

    def _matter_row(self, code: str) -> sqlite3.Row:
        row = self.conn.execute(self._MATTER_SELECT + " WHERE m.code = ?", (code,)).fetchone()
        if row is None:
            raise NotFound(reason="matter.not_found", code=repr(code))
        return row

    # -- checking ---------------------------------------------------------
    def _matter_values(self, fields: dict[str, Any], partial: bool) -> dict[str, Any]:
        """Checked fields by name (department names kept apart for ``_department_id``)."""
        unknown = set(fields) - set(MATTER_FIELDS)
        if unknown:
            raise BadInput(
                reason="field.unknown", kind="matters", fields=", ".join(sorted(unknown))
            )
        out: dict[str, Any] = {}
        for name, value in fields.items():
            if value is None or (isinstance(value, str) and not value.strip() and partial):
                continue
            if name == "code":
                if not _MATTER_CODE.match(str(value).strip()):
                    raise BadInput(reason="matter.bad_code", value=repr(value))
                out[name] = str(value).strip()
            elif name in f.NAMED:
                out[name] = f.NAMED[name].check(value)
            elif name == "service":
                out[name] = checks.text(value, name, 40)
            elif name == "materials":
                out[name] = materials_list(value)
            elif name == "handling_min":
                out[name] = f.HANDLING_MIN.check(value)
            elif name == "target_wait_min":
                out[name] = int(f.TARGET_WAIT_MIN.check(value))
            elif name == "active":
                out[name] = value if isinstance(value, bool) else str(value).strip() not in (
                    "0", "false", "no", "否", "")  # fmt: skip
        if not partial:
            for required in ("code", "name_zh", "department", "service"):
                if required not in out:
                    raise BadInput(reason="matter.needs", required=required)
            out.setdefault("name_en", out["name_zh"])
        return out

    def _department_id(self, actor: Actor, values: dict[str, Any]) -> int:
        """The department's id, added when new (named by the code until names are given),
        renamed when the names changed, active again when it was retired."""
        code = values["department"]
        names = {k[len("department_"):]: values[k] for k in ("department_zh", "department_en")
                 if k in values}  # fmt: skip
        row = self.conn.execute("SELECT * FROM departments WHERE code = ?", (code,)).fetchone()
        if row is None:
            zh = names.get("zh", code)
            cur = self.conn.execute(
                "INSERT INTO departments (code, name_zh, name_en) VALUES (?, ?, ?)",
                (code, zh, names.get("en", zh)),
            )
            self.core.event("department.added", actor, changes={"code": code, **names})
            return int(cur.lastrowid or 0)
        new = {f"name_{k}": v for k, v in names.items()}
        new["active"] = 1
        diff = {k: [row[k], v] for k, v in new.items() if row[k] != v}
        if diff:
            sets = ", ".join(f"{k} = ?" for k in diff)
            self.conn.execute(f"UPDATE departments SET {sets} WHERE id = ?",
                              [v[1] for v in diff.values()] + [row["id"]])  # fmt: skip
            self.core.event("department.edited", actor, changes={"code": code, **diff})
        return int(row["id"])

    def _stored(self, actor: Actor, values: dict[str, Any]) -> dict[str, Any]:
        """Matter columns from checked fields (the department added or renamed on the way)."""
        stored: dict[str, Any] = {}
        for name in ("name_zh", "name_en", "handling_min", "target_wait_min"):
            if name in values:
                stored[name] = values[name]
        if "materials" in values:
            stored["materials"] = json.dumps(values["materials"], ensure_ascii=False)
        if "active" in values:
            stored["active"] = 1 if values["active"] else 0
        if "service" in values:
            service = self.services.row(values["service"])
            if not service["active"]:
                raise Refused(reason="service.inactive", service=values["service"])
            stored["service_id"] = service["id"]
        if "department" in values:
            stored["department_id"] = self._department_id(actor, values)
        return stored

    # -- changing ---------------------------------------------------------
    def _add(self, actor: Actor, values: dict[str, Any]) -> None:
        if self.conn.execute("SELECT 1 FROM matters WHERE code = ?", (values["code"],)).fetchone():
            raise Refused(reason="matter.exists", code=values["code"])
        stored = {"code": values["code"], **self._stored(actor, values)}
        cols, marks = ", ".join(stored), ", ".join("?" * len(stored))
        self.conn.execute(f"INSERT INTO matters ({cols}) VALUES ({marks})", list(stored.values()))
        self.core.event("matter.added", actor, changes=stored)

    def _edit(self, actor: Actor, code: str, values: dict[str, Any]) -> bool:
        """Change what differs; True when something did."""
        row = self.conn.execute("SELECT * FROM matters WHERE code = ?", (code,)).fetchone()
        if row is None:
            raise NotFound(reason="matter.not_found", code=repr(code))
        stored = self._stored(actor, values)
        diff = {k: [row[k], v] for k, v in stored.items() if row[k] != v}
        if not diff:
            return False
        sets = ", ".join(f"{k} = ?" for k in diff)
        self.conn.execute(f"UPDATE matters SET {sets} WHERE id = ?",
                          [v[1] for v in diff.values()] + [row["id"]])  # fmt: skip
        self.core.event("matter.edited", actor, changes={"code": code, **diff})
        return True

    def _retire_unused_departments(self, actor: Actor) -> int:
        """Departments left without an active matter are retired (kept for history)."""
        rows = self.conn.execute(
            "SELECT id, code FROM departments d WHERE active = 1 AND NOT EXISTS"
            " (SELECT 1 FROM matters m WHERE m.department_id = d.id AND m.active = 1)"
        ).fetchall()
        for row in rows:
            self.conn.execute("UPDATE departments SET active = 0 WHERE id = ?", (row["id"],))
            self.core.event("department.retired", actor, changes={"code": row["code"]})
        return len(rows)

    def add_matter(self, actor: Actor, key: str | None = None, **fields: Any) -> Matter:
        self.core.require(actor, "admin", "adding a matter")
        values = self._matter_values(fields, partial=False)

        def op() -> Matter:
            self._add(actor, values)
            return self.get_matter(values["code"])

        return self.core.write(
            "add_matter", commands.keyed(key, actor, fields=fields), op, decode=Matter.from_dict
        )

    def edit_matter(
        self, actor: Actor, code: str, key: str | None = None, **changes: Any
    ) -> Matter:
        self.core.require(actor, "admin", "editing a matter")
        if "code" in changes:
            raise BadInput(reason="matter.code_fixed")
        values = self._matter_values(changes, partial=True)
        if "department" not in values and any(k.startswith("department_") for k in values):
            values["department"] = None

        def op() -> Matter:
            if values.get("department", "") is None:
                values["department"] = self._matter_row(code)["department_code"]
            self._edit(actor, code, values)
            if "active" in values or "department" in values:
                self._retire_unused_departments(actor)
            return self.get_matter(code)

        return self.core.write(
            "edit_matter",
            commands.keyed(key, actor, code=code, changes=changes),
            op,
            decode=Matter.from_dict,
        )

    def remove_matter(self, actor: Actor, code: str, key: str | None = None) -> str:
        """Delete a matter no ticket names; retire one with history. Says which."""
        self.core.require(actor, "admin", "removing a matter")

        def op() -> str:
            row = self._matter_row(code)
            used = self.conn.execute(
                "SELECT 1 FROM tickets WHERE matter_id = ? LIMIT 1", (row["id"],)
            ).fetchone()
            if used:
                self.conn.execute("UPDATE matters SET active = 0 WHERE id = ?", (row["id"],))
                self.core.event("matter.retired", actor, changes={"code": code})
                result = "retired (it has history)"
            else:
                self.conn.execute("DELETE FROM matters WHERE id = ?", (row["id"],))
                self.core.event("matter.removed", actor, changes={"code": code})
                result = "removed"
            self._retire_unused_departments(actor)
            return result

        return self.core.write(
            "remove_matter", commands.keyed(key, actor, code=code), op, encode=lambda r: r
        )

    def import_matters(
        self,
        actor: Actor,
        rows: Sequence[dict[str, str]],
        *,
        update: bool = False,
        dry_run: bool = False,
        departments: Sequence[str] | None = None,
        confirm: bool = False,
        key: str | None = None,
    ) -> dict[str, Any]:
        """Add the rows' matters (``update``: also change existing ones and retire the
        active ones the file no longer lists). Nothing is stored when any row is bad, or
        with ``dry_run``; the counts say what would be or was done.

        An update retires only matters of the departments the file covers (or of
        ``departments``, whose rows alone are then read): one department's file must not
        retire the rest of the hall. An update that would retire more than a tenth of the
        active matters is refused unless ``confirm``: a wrong file retires little."""
        self.core.require(actor, "admin", "importing matters")
        scope = {d.strip() for d in departments} if departments else None

        def op() -> dict[str, Any]:
            counts = {"added": 0, "changed": 0, "unchanged": 0, "retired": 0, "skipped": 0}
            errors: list[dict[str, Any]] = []
            seen: dict[str, str] = {}
            covered: set[str] = set()
            active = self.conn.execute("SELECT count(*) FROM matters WHERE active = 1").fetchone()
            self.conn.execute("SAVEPOINT matters_import")
            for index, raw in enumerate(rows):
                line = raw.get("_line") or str(index + 2)
                where = f"{raw['_sheet']}!{line}" if raw.get("_sheet") else line
                cells = {
                    k: v for k, v in raw.items() if not k.startswith("_") and v not in (None, "")
                }
                if scope is not None and cells.get("department", "").strip() not in scope:
                    counts["skipped"] += 1
                    continue
                column: str | None = None
                try:
                    values, column = self._import_values(cells)
                    code = values["code"]
                    covered.add(values["department"])
                    column = "code"
                    if code in seen:
                        raise BadInput(reason="matter.twice", code=code, line=seen[code])
                    seen[code] = where
                    exists = self.conn.execute(
                        "SELECT 1 FROM matters WHERE code = ?", (code,)
                    ).fetchone()
                    if exists and not update:
                        raise Refused(reason="matter.exists_use_update", code=code)
                    column = None
                    if exists:
                        values.setdefault("active", True)
                        if "materials" in raw:  # an empty cell in the file empties the list
                            values.setdefault("materials", [])
                        changed = self._edit(actor, code, values)
                        counts["changed" if changed else "unchanged"] += 1
                    else:
                        self._add(actor, values)
                        counts["added"] += 1
                except (BadInput, Refused, NotFound) as exc:
                    column = column or _column_of(exc)
                    errors.append(
                        {
                            "line": int(line) if str(line).isdigit() else line,
                            "sheet": raw.get("_sheet"),
                            "column": column,
                            "error": exc.message,
                            "reason": exc.reason,
                            "params": exc.params,
                        }
                    )
            retiring: list[dict[str, str]] = []
            if update and not errors:
                retiring = self._retire_left_out(actor, set(seen), scope or covered)
                counts["retired"] = len(retiring)
                self._retire_unused_departments(actor)
            if retiring and not (confirm or dry_run):
                emptied = sorted({m["department"] for m in retiring} - covered)
                if scope is not None and emptied:  # named, yet not one row of it in the file
                    raise Refused(reason="catalogue.department_not_in_file",
                                  department=", ".join(emptied), retire=len(retiring))  # fmt: skip
                if len(retiring) * 10 > active[0]:
                    raise Refused(reason="catalogue.retire_too_many", retire=len(retiring),
                                  active=active[0])  # fmt: skip
            if errors or dry_run:
                self.conn.execute("ROLLBACK TO matters_import")
            else:
                self.core.event("matters.imported", actor, changes=dict(counts))
            self.conn.execute("RELEASE matters_import")
            return {
                **counts,
                "stored": not (errors or dry_run),
                "errors": errors,
                "retired_matters": retiring,
            }

        return self.core.write(
            "import_matters",
            commands.keyed(
                key,
                actor,
                rows=rows,
                update=update,
                dry_run=dry_run,
                departments=departments,
                confirm=confirm,
            ),
            op,
            encode=lambda r: r,
        )

    def _import_values(self, cells: dict[str, str]) -> tuple[dict[str, Any], str | None]:
        """A row's checked fields; a bad one's error names its column (``field``)."""
        for name in MATTER_FIELDS:
            if name in cells:
                try:
                    self._matter_values({name: cells[name]}, partial=True)
                except BadInput as exc:
                    exc.params.setdefault("field", name)
                    raise
        try:
            return self._matter_values(cells, partial=False), None
        except BadInput as exc:
            if exc.reason == "matter.needs":
                exc.params.setdefault("field", exc.params.get("required"))
            raise

    def _retire_left_out(
        self, actor: Actor, listed: set[str], departments: set[str]
    ) -> list[dict[str, str]]:
        """Retire the active matters of ``departments`` that the file does not list."""
        retired = []
        marks = ", ".join("?" * len(departments))
        for row in self.conn.execute(
            "SELECT m.code, m.name_zh, d.code AS department FROM matters m JOIN departments d"
            f" ON d.id = m.department_id WHERE m.active = 1 AND d.code IN ({marks})"
            " ORDER BY m.code",
            sorted(departments),
        ).fetchall():
            if row["code"] not in listed:
                self.conn.execute("UPDATE matters SET active = 0 WHERE code = ?", (row["code"],))
                self.core.event("matter.retired", actor, changes={"code": row["code"]})
                retired.append(dict(row))
        return retired

    def issuable_matter(self, code: str) -> sqlite3.Row:
        """The matter a new ticket (or a changed one) may name: known and not retired."""
        row = self.conn.execute("SELECT * FROM matters WHERE code = ?", (code,)).fetchone()
        if row is None:
            raise NotFound(reason="matter.not_found", code=repr(code))
        if not row["active"]:
            raise Refused(reason="matter.retired", code=code)
        return row


def _column_of(exc: Exception) -> str | None:
    """The file column an import error is about, when it names one."""
    params = getattr(exc, "params", {})
    if "field" in params:
        return str(params.pop("field"))
    reason = getattr(exc, "reason", "")
    if reason.startswith("service."):
        return "service"
    return None
