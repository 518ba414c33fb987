"""Opening hours as the admin sets them: daily sessions by weekday, extra ones by date,
closed days (``qconsole sessions``). Whether one is open now is
:mod:`console.engine.sessions`' (which the reports read too)."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from console.domain import Actor, Session
from console.domain import fields as f
from console.domain.errors import BadInput, NotFound, Refused
from console.engine import commands
from console.engine.core import Room
from console.engine.sessions import check_hhmm


class Sessions(Room):
    """List, add, edit and remove the opening hours (admin-only, audited)."""

    def list_sessions(self) -> list[Session]:
        rows = self.conn.execute("SELECT * FROM sessions ORDER BY date, opens").fetchall()
        return [Session.from_dict({**dict(r), "active": bool(r["active"]),
                                   "closed": bool(r["closed"])}) for r in rows]  # fmt: skip

    def _fields(self, fields: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in fields.items():
            if value is None:
                continue
            if name == "name":
                out[name] = f.SESSION_NAME.check(value)
            elif name in ("opens", "closes"):
                out[name] = check_hhmm(str(value), name)
            elif name == "weekdays":
                value = str(value)
                if not value or any(c not in "1234567" for c in value):
                    raise BadInput(reason="session.bad_weekdays")
                out[name] = "".join(sorted(set(value)))
            elif name == "date":
                try:
                    out[name] = date.fromisoformat(str(value)).isoformat()
                except ValueError:
                    raise BadInput(reason="session.bad_date", value=repr(value)) from None
            elif name in ("active", "closed"):
                out[name] = 1 if value else 0
            else:
                raise BadInput(reason="field.unknown", kind="sessions", fields=name)
        return out

    def _row(self, name: str) -> sqlite3.Row:
        row = self.conn.execute("SELECT * FROM sessions WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise NotFound(reason="session.not_found", session=repr(name))
        return row

    def _session(self, name: str) -> Session:
        r = self._row(name)
        return Session.from_dict(
            {**dict(r), "active": bool(r["active"]), "closed": bool(r["closed"])}
        )

    def add_session(self, actor: Actor, key: str | None = None, **fields: Any) -> Session:
        self.core.require(actor, "admin", "adding a session")
        values = self._fields(fields)
        if values.get("closed"):  # a closed day is the whole of its date
            if "date" not in values:
                raise BadInput(reason="session.closed_needs_date")
            values.update(opens="00:00", closes="23:59", weekdays="1234567")
        for required in ("name", "opens", "closes"):
            if required not in values:
                raise BadInput(reason="session.needs", required=required)
        if values["opens"] >= values["closes"]:
            raise BadInput(reason="session.closes_before_opens")

        def op() -> Session:
            if self.conn.execute(
                "SELECT 1 FROM sessions WHERE name = ?", (values["name"],)
            ).fetchone():
                raise Refused(reason="session.exists", session=values["name"])
            cols = ", ".join(values)
            marks = ", ".join("?" for _ in values)
            self.conn.execute(
                f"INSERT INTO sessions ({cols}) VALUES ({marks})", list(values.values())
            )
            self.core.event("session.added", actor, changes=values)
            return self._session(values["name"])

        return self.core.write(
            "add_session", commands.keyed(key, actor, fields=fields), op, decode=Session.from_dict
        )

    def edit_session(
        self, actor: Actor, session: str, key: str | None = None, **changes: Any
    ) -> Session:
        self.core.require(actor, "admin", "editing a session")
        if "closed" in changes:  # a closed day is added as one, never made of a session
            raise BadInput(reason="field.unknown", kind="sessions", fields="closed")
        values = self._fields(changes)

        def op() -> Session:
            row = self._row(session)
            merged = {**dict(row), **values}
            if merged["opens"] >= merged["closes"]:
                raise BadInput(reason="session.closes_before_opens")
            diff = {k: [row[k], v] for k, v in values.items() if row[k] != v}
            if diff:
                sets = ", ".join(f"{k} = ?" for k in diff)
                self.conn.execute(
                    f"UPDATE sessions SET {sets} WHERE id = ?",
                    [v[1] for v in diff.values()] + [row["id"]],
                )
            self.core.event("session.edited", actor, changes={"name": session, **diff})
            return self._session(values.get("name", session))

        return self.core.write(
            "edit_session",
            commands.keyed(key, actor, session=session, changes=changes),
            op,
            decode=Session.from_dict,
        )

    def remove_session(self, actor: Actor, name: str, key: str | None = None) -> str:
        self.core.require(actor, "admin", "removing a session")

        def op() -> str:
            row = self._row(name)
            if self.conn.execute(
                "SELECT 1 FROM tickets WHERE session_id = ? LIMIT 1", (row["id"],)
            ).fetchone():
                self.conn.execute("UPDATE sessions SET active = 0 WHERE id = ?", (row["id"],))
                self.core.event("session.deactivated", actor, changes={"name": name})
                return "deactivated (reports still name it)"
            self.conn.execute("DELETE FROM sessions WHERE id = ?", (row["id"],))
            self.core.event("session.removed", actor, changes={"name": name})
            return "removed"

        return self.core.write(
            "remove_session", commands.keyed(key, actor, name=name), op, encode=lambda r: r
        )
