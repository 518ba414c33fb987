"""Hall setup: services, counters, clerks, sessions, printers, settings, and clerk login.

Admin-only, and audited: every change appends an event naming who made it
(PIN hashes never go into the log).
"""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

from console.domain import GREEN_REASONS, ROLES, Actor, Clerk, Counter, Printer, ServiceDef, Session
from console.domain.errors import AuthError, BadInput, NotFound, Refused
from console.engine.core import DEFAULT_SETTINGS, Core
from console.engine.pins import check_pin_format, hash_pin, pin_matches
from console.engine.sessions import check_hhmm
from console.engine.settings import checked_setting

_CODE = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
_PREFIX = re.compile(r"^[A-Z]{1,3}$")


def _text(value: Any, what: str, max_len: int = 200) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadInput(reason="field.empty", what=what)
    value = value.strip()
    if len(value) > max_len:
        raise BadInput(reason="field.too_long", what=what, max_len=max_len)
    if any(ord(c) < 32 for c in value):
        raise BadInput(reason="field.control_chars", what=what)
    return value


def _positive(value: Any, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise BadInput(reason="field.not_number", what=what, value=repr(value)) from None
    if not number > 0 or number > 10_000:
        raise BadInput(reason="field.out_of_range", what=what, value=repr(value))
    return number


class SetupOps(Core):
    """Services, counters, clerks, sessions, printers and settings."""

    # -- login ------------------------------------------------------------
    def login(self, staff_no: str, pin: str, station: str) -> Actor:
        """Check a clerk's PIN. The attempt is counted before the (slow) check, in one write,
        so racing attempts each take one of the ``pin_max_failures`` tries and no more."""
        row = self.conn.execute(
            "SELECT * FROM clerks WHERE staff_no = ? AND active = 1", (staff_no,)
        ).fetchone()
        if row is None:
            pin_matches(None, pin)  # as long as a wrong PIN takes
            raise AuthError(reason="auth.wrong_pin")
        who = Actor(staff_no=row["staff_no"], role=row["role"], station=station, name=row["name"])
        attempt = self._write("login", None, lambda: self._take_attempt(staff_no, row["id"]),
                              encode=str)  # fmt: skip
        if pin_matches(row["pin_hash"], pin):
            self._write("login", None, lambda: self._reset_failures(row["id"]), encode=str)
            return who
        locked = self._write("login", None, lambda: self._count_failure(who, row["id"], attempt),
                             encode=str)  # fmt: skip
        if locked:
            raise AuthError(
                reason="auth.now_locked",
                clerk=staff_no,
                minutes=self._setting("pin_lockout_min"),
            )
        raise AuthError(reason="auth.wrong_pin")

    def _take_attempt(self, staff_no: str, clerk_id: int) -> int:
        """Reserve one try (refused while locked, or when every try is taken); its number."""
        row = self.conn.execute(
            "SELECT failed_attempts, locked_until FROM clerks WHERE id = ?", (clerk_id,)
        ).fetchone()
        now = self.clock.now()
        if row["locked_until"] and row["locked_until"] > now:
            minutes = max(1, round((row["locked_until"] - now) / 60))
            raise AuthError(reason="auth.locked", clerk=staff_no, minutes=minutes)
        if row["failed_attempts"] >= self._setting("pin_max_failures"):
            raise AuthError(reason="auth.no_tries", clerk=staff_no)
        attempt = row["failed_attempts"] + 1
        self.conn.execute("UPDATE clerks SET failed_attempts = ? WHERE id = ?", (attempt, clerk_id))
        return attempt

    def _reset_failures(self, clerk_id: int) -> None:
        self.conn.execute("UPDATE clerks SET failed_attempts = 0 WHERE id = ?", (clerk_id,))

    def _count_failure(self, who: Actor, clerk_id: int, attempt: int) -> bool:
        """A reserved try was a wrong PIN: the last allowed one locks the clerk."""
        if attempt >= self._setting("pin_max_failures"):
            until = self.clock.now() + self._setting("pin_lockout_min") * 60
            self.conn.execute(
                "UPDATE clerks SET failed_attempts = 0, locked_until = ? WHERE id = ?",
                (until, clerk_id),
            )
            self._event("clerk.locked", who, changes={"staff_no": who.staff_no})
            return True
        self._event("login.failed", who, changes={"staff_no": who.staff_no})
        return False

    # -- settings ---------------------------------------------------------
    def set_setting(self, actor: Actor, name: str, value: Any) -> dict[str, Any]:
        self._require(actor, "admin", "changing settings")
        value = checked_setting(DEFAULT_SETTINGS, name, value)

        def op() -> dict[str, Any]:
            old = self._setting(name)
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (name, json.dumps(value, ensure_ascii=False)),
            )
            self._event("setting.changed", actor, changes={name: [old, value]})
            return self.settings()

        return self._write("set_setting", None, op, encode=lambda r: r)

    # -- services ---------------------------------------------------------
    def list_services(self, include_inactive: bool = False) -> list[ServiceDef]:
        where = "" if include_inactive else " WHERE active = 1"
        rows = self.conn.execute(f"SELECT * FROM services{where} ORDER BY code").fetchall()
        return [self._service_from_row(r) for r in rows]

    @staticmethod
    def _service_from_row(row: sqlite3.Row) -> ServiceDef:
        data = dict(row)
        data["materials"] = json.loads(data["materials"])
        data["active"] = bool(data["active"])
        return ServiceDef.from_dict(data)

    def _service_row(self, code: str) -> sqlite3.Row:
        row = self.conn.execute("SELECT * FROM services WHERE code = ?", (code,)).fetchone()
        if row is None:
            known = [r["code"] for r in self.conn.execute("SELECT code FROM services")]
            raise NotFound(
                reason="service.not_found", code=repr(code), known=", ".join(known) or "none yet"
            )
        return row

    def _service_fields(self, fields: dict[str, Any], partial: bool) -> dict[str, Any]:
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
                out[name] = _text(value, name)
            elif name == "prefix":
                value = str(value).upper()
                if not _PREFIX.match(value):
                    raise BadInput(reason="service.bad_prefix", value=repr(value))
                out[name] = value
            elif name == "target_wait_min":
                out[name] = int(_positive(value, "target wait (minutes)"))
            elif name == "handling_min":
                out[name] = _positive(value, "handling time (minutes)")
            elif name == "active":
                out[name] = 1 if value else 0
            elif name == "materials":
                items = [_text(m, "a material") for m in value]
                out[name] = json.dumps(items, ensure_ascii=False)
        if not partial:
            for required in ("code", "name_zh", "name_en", "prefix"):
                if required not in out:
                    raise BadInput(reason="service.needs", required=required)
        return out

    def add_service(self, actor: Actor, **fields: Any) -> ServiceDef:
        self._require(actor, "admin", "adding a service")
        values = self._service_fields(fields, partial=False)

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
            self._event("service.added", actor, changes=values)
            return self._service_from_row(self._service_row(values["code"]))

        return self._write("add_service", None, op)

    def edit_service(self, actor: Actor, code: str, **changes: Any) -> ServiceDef:
        self._require(actor, "admin", "editing a service")
        values = self._service_fields(changes, partial=True)

        def op() -> ServiceDef:
            row = self._service_row(code)
            diff = {k: [row[k], v] for k, v in values.items() if row[k] != v}
            if diff:
                sets = ", ".join(f"{k} = ?" for k in diff)
                self.conn.execute(
                    f"UPDATE services SET {sets} WHERE id = ?",
                    [v[1] for v in diff.values()] + [row["id"]],
                )
            self._event("service.edited", actor, changes={"code": code, **diff})
            return self._service_from_row(self._service_row(values.get("code", code)))

        return self._write("edit_service", None, op)

    def remove_service(self, actor: Actor, code: str) -> str:
        self._require(actor, "admin", "removing a service")

        def op() -> str:
            row = self._service_row(code)
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
                self._event("service.deactivated", actor, changes={"code": code})
                return "deactivated (it has history)"
            self.conn.execute("DELETE FROM counter_services WHERE service_id = ?", (row["id"],))
            self.conn.execute("DELETE FROM services WHERE id = ?", (row["id"],))
            self._event("service.removed", actor, changes={"code": code})
            return "removed"

        return self._write("remove_service", None, op, encode=lambda r: r)

    # -- counters ---------------------------------------------------------
    def list_counters(self) -> list[Counter]:
        rows = self.conn.execute(
            "SELECT c.*, k.staff_no AS clerk_staff_no, k.name AS clerk_name"
            " FROM counters c LEFT JOIN clerks k ON k.id = c.clerk_id ORDER BY c.number"
        ).fetchall()
        return [self._counter_from_row(r) for r in rows]

    def _set_counter_services(self, counter_id: int, services: list[str]) -> None:
        self.conn.execute("DELETE FROM counter_services WHERE counter_id = ?", (counter_id,))
        seen: set[str] = set()
        for tier, group in enumerate(services, start=1):
            for code in str(group).split("+"):
                code = code.strip()
                if not code:
                    continue
                if code in seen:
                    raise BadInput(reason="service.listed_twice", service=code)
                seen.add(code)
                row = self._service_row(code)
                if not row["active"]:
                    raise Refused(reason="service.inactive", service=code)
                self.conn.execute(
                    "INSERT INTO counter_services (counter_id, service_id, tier) VALUES (?, ?, ?)",
                    (counter_id, row["id"], tier),
                )

    @staticmethod
    def _services_list(value: Any) -> list[str]:
        if isinstance(value, str):
            value = [v for v in value.split(",") if v.strip()]
        return [str(v).strip() for v in value]

    def _counter_fields(self, fields: dict[str, Any]) -> dict[str, Any]:
        allowed = {
            "number",
            "name",
            "services",
            "green_channel",
            "low_position",
            "active",
            "printer",
        }
        unknown = set(fields) - allowed
        if unknown:
            raise BadInput(
                reason="field.unknown", kind="counters", fields=", ".join(sorted(unknown))
            )
        out: dict[str, Any] = {}
        for name, value in fields.items():
            if value is None:
                continue
            if name == "number":
                if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 10_000:
                    raise BadInput(reason="counter.bad_number", value=repr(value))
                out[name] = value
            elif name == "name":
                out[name] = _text(value, "counter name", 60)
            elif name in ("green_channel", "low_position", "active"):
                out[name] = 1 if value else 0
            else:
                out[name] = value
        return out

    def add_counter(self, actor: Actor, **fields: Any) -> Counter:
        self._require(actor, "admin", "adding a counter")
        values = self._counter_fields(fields)
        if "number" not in values:
            raise BadInput(reason="counter.needs_number")
        values.setdefault("name", f"{values['number']}号窗口")
        services = self._services_list(values.pop("services", []))
        printer = values.pop("printer", None)

        def op() -> Counter:
            if self.conn.execute(
                "SELECT 1 FROM counters WHERE number = ?", (values["number"],)
            ).fetchone():
                raise Refused(reason="counter.exists", counter=values["number"])
            if printer:
                values["printer_id"] = self._printer_row(printer)["id"]
            cols = ", ".join(values)
            marks = ", ".join("?" for _ in values)
            cur = self.conn.execute(
                f"INSERT INTO counters ({cols}) VALUES ({marks})", list(values.values())
            )
            self._set_counter_services(int(cur.lastrowid or 0), services)
            self._event(
                "counter.added",
                actor,
                counter=values["number"],
                changes={**values, "services": services},
            )
            return self._counter(values["number"])

        return self._write("add_counter", None, op)

    def edit_counter(self, actor: Actor, number: int, **changes: Any) -> Counter:
        self._require(actor, "admin", "editing a counter")
        values = self._counter_fields(changes)
        services = values.pop("services", None)
        printer = values.pop("printer", None)

        def op() -> Counter:
            row = self._counter_row(number)
            if printer is not None:
                values["printer_id"] = self._printer_row(printer)["id"] if printer else None
            diff = {k: [row[k], v] for k, v in values.items() if row[k] != v}
            if diff:
                sets = ", ".join(f"{k} = ?" for k in diff)
                self.conn.execute(
                    f"UPDATE counters SET {sets} WHERE id = ?",
                    [v[1] for v in diff.values()] + [row["id"]],
                )
            if services is not None:
                before = self._counter_from_row(row).services
                after = self._services_list(services)
                self._set_counter_services(row["id"], after)
                diff["services"] = [before, after]
            self._event("counter.edited", actor, counter=number, changes=diff)
            return self._counter(values.get("number", number))

        return self._write("edit_counter", None, op)

    def remove_counter(self, actor: Actor, number: int) -> str:
        self._require(actor, "admin", "removing a counter")

        def op() -> str:
            row = self._counter_row(number)
            if row["state"] != "closed":
                raise Refused(reason="counter.not_closed", counter=number, state=row["state"])
            held = self.conn.execute(
                "SELECT number FROM tickets"
                " WHERE (counter_number = ? AND status IN ('called', 'serving', 'parked'))"
                " OR (directed_counter = ? AND status = 'waiting')",
                (number, number),
            ).fetchone()
            if held:
                raise Refused(reason="counter.holds_ticket", ticket=held["number"], counter=number)
            self.conn.execute("DELETE FROM counters WHERE id = ?", (row["id"],))
            self._event("counter.removed", actor, counter=number)
            return "removed"

        return self._write("remove_counter", None, op, encode=lambda r: r)

    # -- clerks -----------------------------------------------------------
    def list_clerks(self) -> list[Clerk]:
        rows = self.conn.execute("SELECT * FROM clerks ORDER BY staff_no").fetchall()
        return [self._clerk_from_row(r) for r in rows]

    @staticmethod
    def _clerk_from_row(row: sqlite3.Row) -> Clerk:
        data = dict(row)
        data["active"] = bool(data["active"])
        return Clerk.from_dict(data)

    def _clerk_row(self, staff_no: str) -> sqlite3.Row:
        row = self.conn.execute("SELECT * FROM clerks WHERE staff_no = ?", (staff_no,)).fetchone()
        if row is None:
            raise NotFound(reason="clerk.not_found", clerk=repr(staff_no))
        return row

    def add_clerk(self, actor: Actor, **fields: Any) -> Clerk:
        self._require(actor, "admin", "adding a clerk")
        staff_no = _text(fields.get("staff_no"), "staff number", 20)
        name = _text(fields.get("name"), "clerk name", 60)
        role = fields.get("role") or "clerk"
        if role not in ROLES:
            raise BadInput(reason="clerk.bad_role", choices=", ".join(ROLES), value=repr(role))
        pin_hash = hash_pin(check_pin_format(str(fields.get("pin") or "")))

        def op() -> Clerk:
            if self.conn.execute("SELECT 1 FROM clerks WHERE staff_no = ?", (staff_no,)).fetchone():
                raise Refused(reason="clerk.exists", clerk=staff_no)
            self.conn.execute(
                "INSERT INTO clerks (staff_no, name, role, pin_hash) VALUES (?, ?, ?, ?)",
                (staff_no, name, role, pin_hash),
            )
            self._event(
                "clerk.added", actor, changes={"staff_no": staff_no, "name": name, "role": role}
            )
            return self._clerk_from_row(self._clerk_row(staff_no))

        return self._write("add_clerk", None, op)

    def edit_clerk(self, actor: Actor, staff_no: str, **changes: Any) -> Clerk:
        self._require(actor, "admin", "editing a clerk")
        values: dict[str, Any] = {}
        for name, value in changes.items():
            if value is None:
                continue
            if name == "name":
                values["name"] = _text(value, "clerk name", 60)
            elif name == "role":
                if value not in ROLES:
                    raise BadInput(
                        reason="clerk.bad_role", choices=", ".join(ROLES), value=repr(value)
                    )
                values["role"] = value
            elif name == "pin":
                values["pin_hash"] = hash_pin(str(value))
            elif name == "active":
                values["active"] = 1 if value else 0
            elif name == "unlock":
                if value:
                    values["failed_attempts"] = 0
                    values["locked_until"] = None
            else:
                raise BadInput(reason="field.unknown", kind="clerks", fields=name)

        def op() -> Clerk:
            row = self._clerk_row(staff_no)
            diff = {k: [row[k], v] for k, v in values.items() if row[k] != v}
            if diff:
                sets = ", ".join(f"{k} = ?" for k in diff)
                self.conn.execute(
                    f"UPDATE clerks SET {sets} WHERE id = ?",
                    [v[1] for v in diff.values()] + [row["id"]],
                )
            if "pin_hash" in diff or values.get("active") == 0 or "role" in diff:
                self._end_sessions(staff_no)
            logged = {k: (["…", "…"] if k == "pin_hash" else v) for k, v in diff.items()}
            self._event("clerk.edited", actor, changes={"staff_no": staff_no, **logged})
            return self._clerk_from_row(self._clerk_row(staff_no))

        return self._write("edit_clerk", None, op)

    def _end_sessions(self, staff_no: str) -> None:
        """A new PIN, a new role or a deactivation ends the clerk's logins at every station."""
        self.conn.execute("DELETE FROM server_sessions WHERE staff_no = ?", (staff_no,))

    def remove_clerk(self, actor: Actor, staff_no: str) -> str:
        self._require(actor, "admin", "removing a clerk")

        def op() -> str:
            row = self._clerk_row(staff_no)
            if self.conn.execute(
                "SELECT 1 FROM counters WHERE clerk_id = ? AND state != 'closed'", (row["id"],)
            ).fetchone():
                raise Refused(reason="clerk.at_open_counter", clerk=staff_no)
            self._end_sessions(staff_no)
            # Tickets and events name clerks by staff number, so history stays readable;
            # the row is kept (inactive) when the counters still point at it.
            if self.conn.execute(
                "SELECT 1 FROM counters WHERE clerk_id = ?", (row["id"],)
            ).fetchone():
                self.conn.execute("UPDATE clerks SET active = 0 WHERE id = ?", (row["id"],))
                self._event("clerk.deactivated", actor, changes={"staff_no": staff_no})
                return "deactivated"
            self.conn.execute("DELETE FROM clerks WHERE id = ?", (row["id"],))
            self._event("clerk.removed", actor, changes={"staff_no": staff_no})
            return "removed"

        return self._write("remove_clerk", None, op, encode=lambda r: r)

    # -- sessions ---------------------------------------------------------
    def list_sessions(self) -> list[Session]:
        rows = self.conn.execute("SELECT * FROM sessions ORDER BY date, opens").fetchall()
        return [Session.from_dict({**dict(r), "active": bool(r["active"]),
                                   "closed": bool(r["closed"])}) for r in rows]  # fmt: skip

    def _session_fields(self, fields: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in fields.items():
            if value is None:
                continue
            if name == "name":
                out[name] = _text(value, "session name", 60)
            elif name in ("opens", "closes"):
                out[name] = check_hhmm(str(value), name)
            elif name == "weekdays":
                value = str(value)
                if not value or any(c not in "1234567" for c in value):
                    raise BadInput(reason="session.bad_weekdays")
                out[name] = "".join(sorted(set(value)))
            elif name == "date":
                from datetime import date

                try:
                    out[name] = date.fromisoformat(str(value)).isoformat()
                except ValueError:
                    raise BadInput(reason="session.bad_date", value=repr(value)) from None
            elif name in ("active", "closed"):
                out[name] = 1 if value else 0
            else:
                raise BadInput(reason="field.unknown", kind="sessions", fields=name)
        return out

    def _session_row(self, name: str) -> sqlite3.Row:
        row = self.conn.execute("SELECT * FROM sessions WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise NotFound(reason="session.not_found", session=repr(name))
        return row

    def _session(self, name: str) -> Session:
        r = self._session_row(name)
        return Session.from_dict(
            {**dict(r), "active": bool(r["active"]), "closed": bool(r["closed"])}
        )

    def add_session(self, actor: Actor, **fields: Any) -> Session:
        self._require(actor, "admin", "adding a session")
        values = self._session_fields(fields)
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
            self._event("session.added", actor, changes=values)
            return self._session(values["name"])

        return self._write("add_session", None, op)

    def edit_session(self, actor: Actor, session: str, **changes: Any) -> Session:
        self._require(actor, "admin", "editing a session")
        if "closed" in changes:  # a closed day is added as one, never made of a session
            raise BadInput(reason="field.unknown", kind="sessions", fields="closed")
        values = self._session_fields(changes)

        def op() -> Session:
            row = self._session_row(session)
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
            self._event("session.edited", actor, changes={"name": session, **diff})
            return self._session(values.get("name", session))

        return self._write("edit_session", None, op)

    def remove_session(self, actor: Actor, name: str) -> str:
        self._require(actor, "admin", "removing a session")

        def op() -> str:
            row = self._session_row(name)
            if self.conn.execute(
                "SELECT 1 FROM tickets WHERE session_id = ? LIMIT 1", (row["id"],)
            ).fetchone():
                self.conn.execute("UPDATE sessions SET active = 0 WHERE id = ?", (row["id"],))
                self._event("session.deactivated", actor, changes={"name": name})
                return "deactivated (reports still name it)"
            self.conn.execute("DELETE FROM sessions WHERE id = ?", (row["id"],))
            self._event("session.removed", actor, changes={"name": name})
            return "removed"

        return self._write("remove_session", None, op, encode=lambda r: r)

    # -- printers ---------------------------------------------------------
    def list_printers(self) -> list[Printer]:
        rows = self.conn.execute("SELECT * FROM printers ORDER BY name").fetchall()
        return [Printer.from_dict(dict(r)) for r in rows]

    def _printer_row(self, name: str) -> sqlite3.Row:
        row = self.conn.execute("SELECT * FROM printers WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise NotFound(reason="printer.not_found", printer=repr(name))
        return row

    def add_printer(self, actor: Actor, **fields: Any) -> Printer:
        self._require(actor, "admin", "adding a printer")
        name = _text(fields.get("name"), "printer name", 60)
        values = {
            "name": name,
            "connection": fields.get("connection"),
            "address": _text(fields.get("address"), "printer address", 300),
            "width_dots": int(fields.get("width_dots") or 384),
            "mode": fields.get("mode") or "text",
            "encoding": fields.get("encoding") or "gb18030",
            "station": fields.get("station"),
            "counter_number": fields.get("counter_number"),
            "purpose": fields.get("purpose") or "ticket",
        }
        checks = {
            "connection": ("usb", "network", "serial", "file", "cups"),
            "width_dots": (384, 576),
            "mode": ("text", "raster"),
            "encoding": ("gb18030", "gbk"),
            "purpose": ("ticket", "receipt"),
        }
        for key, options in checks.items():
            if values[key] not in options:
                raise BadInput(
                    reason="printer.bad_choice",
                    field=key,
                    choices=", ".join(map(str, options)),
                    value=repr(values[key]),
                )

        def op() -> Printer:
            if self.conn.execute("SELECT 1 FROM printers WHERE name = ?", (name,)).fetchone():
                raise Refused(reason="printer.exists", printer=name)
            if values["counter_number"] is not None:
                self._counter_row(values["counter_number"])
            cols = ", ".join(values)
            marks = ", ".join("?" for _ in values)
            cur = self.conn.execute(
                f"INSERT INTO printers ({cols}) VALUES ({marks})", list(values.values())
            )
            if values["counter_number"] is not None:
                self.conn.execute(
                    "UPDATE counters SET printer_id = ? WHERE number = ?",
                    (cur.lastrowid, values["counter_number"]),
                )
            self._event("printer.added", actor, changes=values)
            return Printer.from_dict(dict(self._printer_row(name)))

        return self._write("add_printer", None, op)

    def remove_printer(self, actor: Actor, name: str) -> str:
        self._require(actor, "admin", "removing a printer")

        def op() -> str:
            row = self._printer_row(name)
            self.conn.execute(
                "UPDATE counters SET printer_id = NULL WHERE printer_id = ?", (row["id"],)
            )
            self.conn.execute("DELETE FROM printers WHERE id = ?", (row["id"],))
            self._event("printer.removed", actor, changes={"name": name})
            return "removed"

        return self._write("remove_printer", None, op, encode=lambda r: r)

    @staticmethod
    def _green_reason(reason: str | None) -> str | None:
        if reason is None:
            return None
        if reason not in GREEN_REASONS:
            raise BadInput(
                reason="green.bad_reason", choices=", ".join(GREEN_REASONS), value=repr(reason)
            )
        return reason
