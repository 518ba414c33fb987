"""Services: the hall's queue lines (a code, a ticket prefix, names, a target wait).

Admin-only and audited: each change one write with its event. A service with history is
deactivated rather than deleted, so the tickets that name it keep their names.
"""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

from console.domain import Actor, ServiceDef
from console.domain import fields as f
from console.domain.errors import BadInput, NotFound, Refused
from console.engine import commands
from console.engine.core import Room

_CODE = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
_PREFIX = re.compile(r"^[A-Z]{1,3}$")


class Services(Room):
    """List, add, edit and remove services; the service row the other rooms look up."""

    def list_services(self, include_inactive: bool = False) -> list[ServiceDef]:
        where = "" if include_inactive else " WHERE active = 1"
        rows = self.conn.execute(f"SELECT * FROM services{where} ORDER BY code").fetchall()
        return [self.from_row(r) for r in rows]

    @staticmethod
    def from_row(row: sqlite3.Row) -> ServiceDef:
        data = dict(row)
        data["materials"] = json.loads(data["materials"])
        data["active"] = bool(data["active"])
        return ServiceDef.from_dict(data)

    def row(self, code: str) -> sqlite3.Row:
        row = self.conn.execute("SELECT * FROM services WHERE code = ?", (code,)).fetchone()
        if row is None:
            known = [r["code"] for r in self.conn.execute("SELECT code FROM services")]
            raise NotFound(
                reason="service.not_found", code=repr(code), known=", ".join(known) or "none yet"
            )
        return row

    def _fields(self, fields: dict[str, Any], partial: bool) -> dict[str, Any]:
        allowed = {
            "code",
            "name_zh",
            "name_en",
            "prefix",
            "target_wait_min",
            "handling_min",
            "active",
            "materials",
        }
        unknown = set(fields) - allowed
        if unknown:
            raise BadInput(
                reason="field.unknown", kind="services", fields=", ".join(sorted(unknown))
            )
        out: dict[str, Any] = {}
        for name, value in fields.items():
            if value is None:
                continue
            if name == "code":
                if not _CODE.match(str(value)):
                    raise BadInput(reason="service.bad_code", value=repr(value))
                out[name] = str(value)
            elif name in ("name_zh", "name_en"):
                out[name] = f.NAMED[name].check(value)
            elif name == "prefix":
                value = str(value).upper()
                if not _PREFIX.match(value):
                    raise BadInput(reason="service.bad_prefix", value=repr(value))
                out[name] = value
            elif name == "target_wait_min":
                out[name] = int(f.TARGET_WAIT_MIN.check(value))
            elif name == "handling_min":
                out[name] = f.HANDLING_MIN.check(value)
            elif name == "active":
                out[name] = 1 if value else 0
            elif name == "materials":
                items = [f.MATERIAL.check(m) for m in value]
                out[name] = json.dumps(items, ensure_ascii=False)
        if not partial:
            for required in ("code", "name_zh", "name_en", "prefix"):
                if required not in out:
                    raise BadInput(reason="service.needs", required=required)
        return out

    def add_service(self, actor: Actor, key: str | None = None, **fields: Any) -> ServiceDef:
        self.core.require(actor, "admin", "adding a service")
        values = self._fields(fields, partial=False)

        def op() -> ServiceDef:
            if self.conn.execute(
                "SELECT 1 FROM services WHERE code = ?", (values["code"],)
            ).fetchone():
                raise Refused(reason="service.exists", service=values["code"])
            cols = ", ".join(values)
            marks = ", ".join("?" for _ in values)
            self.conn.execute(
                f"INSERT INTO services ({cols}) VALUES ({marks})", list(values.values())
            )
            self.core.event("service.added", actor, changes=values)
            return self.from_row(self.row(values["code"]))

        return self.core.write(
            "add_service",
            commands.keyed(key, actor, fields=fields),
            op,
            decode=ServiceDef.from_dict,
        )

    def edit_service(
        self, actor: Actor, code: str, key: str | None = None, **changes: Any
    ) -> ServiceDef:
        self.core.require(actor, "admin", "editing a service")
        values = self._fields(changes, partial=True)

        def op() -> ServiceDef:
            row = self.row(code)
            diff = {k: [row[k], v] for k, v in values.items() if row[k] != v}
            if diff:
                sets = ", ".join(f"{k} = ?" for k in diff)
                self.conn.execute(
                    f"UPDATE services SET {sets} WHERE id = ?",
                    [v[1] for v in diff.values()] + [row["id"]],
                )
            self.core.event("service.edited", actor, changes={"code": code, **diff})
            return self.from_row(self.row(values.get("code", code)))

        return self.core.write(
            "edit_service",
            commands.keyed(key, actor, code=code, changes=changes),
            op,
            decode=ServiceDef.from_dict,
        )

    def remove_service(self, actor: Actor, code: str, key: str | None = None) -> str:
        self.core.require(actor, "admin", "removing a service")

        def op() -> str:
            row = self.row(code)
            used = (
                self.conn.execute(
                    "SELECT 1 FROM tickets WHERE service_id = ? LIMIT 1", (row["id"],)
                ).fetchone()
                or self.conn.execute(
                    "SELECT 1 FROM appointments WHERE service_id = ? LIMIT 1", (row["id"],)
                ).fetchone()
            )
            if used:
                waiting = self.conn.execute(
                    "SELECT count(*) FROM tickets WHERE service_id = ?"
                    " AND status IN ('waiting', 'called', 'serving', 'parked')",
                    (row["id"],),
                ).fetchone()[0]
                if waiting:
                    raise Refused(reason="service.has_open", service=code, waiting=waiting)
                self.conn.execute("UPDATE services SET active = 0 WHERE id = ?", (row["id"],))
                self.conn.execute("DELETE FROM counter_services WHERE service_id = ?", (row["id"],))
                self.core.event("service.deactivated", actor, changes={"code": code})
                return "deactivated (it has history)"
            self.conn.execute("DELETE FROM counter_services WHERE service_id = ?", (row["id"],))
            self.conn.execute("DELETE FROM services WHERE id = ?", (row["id"],))
            self.core.event("service.removed", actor, changes={"code": code})
            return "removed"

        return self.core.write(
            "remove_service", commands.keyed(key, actor, code=code), op, encode=lambda r: r
        )
