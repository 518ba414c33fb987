"""Hall setup from a TOML file: services, counters, clerks, sessions and settings in one place.

``qconsole config apply hall.toml`` makes the hall match the file: missing
things are added, existing ones edited; nothing is removed (removal stays an
explicit command). The whole file is first applied to a copy of the database
in memory, so a mistake in entry 40 is reported before entries 1-39 are
written (through ``--server`` the server applies entry by entry). Example::

    [settings]
    hall_name = "示范区政务服务中心"

    [[services]]
    code = "ID"
    name_zh = "身份证"
    name_en = "ID card"
    prefix = "A"
    target_wait_min = 20
    handling_min = 6
    materials = ["户口簿", "一寸照片"]

    [[counters]]
    number = 1
    services = ["ID", "PP+RES"]
    green_channel = false

    [[clerks]]
    staff_no = "1001"
    name = "王芳"
    role = "clerk"
    pin = "2468"        # only needed when the clerk is new

    [[sessions]]
    name = "夜间专场"
    opens = "18:00"
    closes = "21:00"
    weekdays = "12345"

    [[sessions]]          # a closed day: the hall is shut all of it
    name = "元旦"
    date = "2027-01-01"
    closed = true

    [[matters]]           # a one-stop hall's catalogue (or: qconsole matters import FILE)
    code = "SCJG-0001"
    name_zh = "个体工商户设立登记"
    name_en = "Individual business: establishment registration"
    department = "SCJG"
    department_zh = "市场监督管理局"
    department_en = "Market Regulation Bureau"
    service = "ID"        # the queue it is called in
    materials = ["经营者身份证", "经营场所使用证明"]
    handling_min = 15
    target_wait_min = 30
"""

from __future__ import annotations

import contextlib
import re
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from console.domain import Actor, reasons
from console.domain.errors import BadInput, QConsoleError

SECTIONS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "services": {
        "code": str,
        "name_zh": str,
        "name_en": str,
        "prefix": str,
        "target_wait_min": int,
        "handling_min": (int, float),
        "materials": list,
        "active": bool,
    },
    "counters": {
        "number": int,
        "name": str,
        "services": list,
        "green_channel": bool,
        "low_position": bool,
        "active": bool,
    },
    "clerks": {"staff_no": str, "name": str, "role": str, "pin": str, "active": bool},
    "sessions": {
        "name": str,
        "opens": str,
        "closes": str,
        "weekdays": str,
        "date": str,
        "active": bool,
        "closed": bool,
    },
    "matters": {
        "code": str,
        "name_zh": str,
        "name_en": str,
        "department": str,
        "department_zh": str,
        "department_en": str,
        "service": str,
        "materials": (list, str),
        "handling_min": (int, float),
        "target_wait_min": int,
        "active": bool,
    },
}
KEYS = {
    "services": "code",
    "counters": "number",
    "clerks": "staff_no",
    "sessions": "name",
    "matters": "code",
}


TOML_AT = re.compile(r"\(at line (?P<line>\d+), column (?P<column>\d+)\)")
"""Where ``tomllib`` found a mistake, as its error ends; the rest of its words are English."""


def toml_position(exc: tomllib.TOMLDecodeError) -> tuple[int, int] | None:
    """The line and column of a TOML mistake, said in any language from the catalog."""
    at = TOML_AT.search(str(exc))
    return (int(at["line"]), int(at["column"])) if at else None


def load(path: Path) -> dict[str, Any]:
    """The parsed and shape-checked file; BadInput naming the first problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput(reason="catalogue.no_file", file=path) from None
    except IsADirectoryError:
        raise BadInput(reason="catalogue.is_directory", file=path) from None
    except UnicodeDecodeError:
        raise BadInput(reason="config.not_utf8", file=path) from None
    except tomllib.TOMLDecodeError as exc:
        at = toml_position(exc)
        if at is None:
            raise BadInput(reason="config.bad_toml", file=path, detail=exc) from None
        raise BadInput(reason="config.bad_toml_at", file=path, line=at[0], column=at[1]) from None
    unknown = set(data) - set(SECTIONS) - {"settings"}
    if unknown:
        raise BadInput(
            reason="config.unknown_section", file=path, sections=", ".join(sorted(unknown))
        )
    if not isinstance(data.get("settings", {}), dict):
        raise BadInput(reason="config.settings_table", file=path)
    for section, fields in SECTIONS.items():
        items = data.get(section, [])
        if not isinstance(items, list):
            raise BadInput(reason="config.use_array", file=path, section=section)
        seen = set()
        for index, item in enumerate(items, start=1):
            where = {"file": path, "section": section, "index": index}
            if not isinstance(item, dict):
                raise BadInput(reason="config.entry_not_table", **where)
            for name, value in item.items():
                if name not in fields:
                    raise BadInput(reason="config.unknown_field", **where, name=repr(name))
                if not isinstance(value, fields[name]) or (
                    isinstance(value, bool) and fields[name] in (int, (int, float))
                ):
                    raise BadInput(
                        reason="config.wrong_type", **where, name=name, value=repr(value)
                    )
            key = item.get(KEYS[section])
            if key is None:
                raise BadInput(reason="config.needs_key", **where, key=KEYS[section])
            if key in seen:
                raise BadInput(
                    reason="config.key_twice", **where, key=KEYS[section], value=repr(key)
                )
            seen.add(key)
    return data


def rehearse(hall: Any, actor: Actor, data: dict[str, Any], **said: str) -> None:
    """Apply ``data`` to an in-memory copy of a local hall; raises what the real apply would
    (``said``: :func:`apply`'s ``file`` and ``lang``)."""
    engine = getattr(hall, "engine", None)
    if engine is None:
        return
    import sqlite3

    from console.engine import Engine

    copy = sqlite3.connect(":memory:", isolation_level=None)
    copy.row_factory = sqlite3.Row
    with hall._lock:
        engine.conn.backup(copy)
    try:
        apply(Engine(copy, engine.clock, "the file"), actor, data, **said)
    finally:
        copy.close()


def apply(hall: Any, actor: Actor, data: dict[str, Any], *, file: str = "the file",
          lang: str = "en") -> dict[str, int]:  # fmt: skip
    """Add or edit everything in ``data``; returns counts of added and edited entries and
    of settings whose value changed (checked by the same rule as `settings set`).

    A refusal names where in ``file`` it is (a setting, or a section's entry by its number)
    before what the hall said, in ``lang``."""
    counts = {"added": 0, "edited": 0, "settings": 0}

    @contextlib.contextmanager
    def entry(reason: str, **where: Any) -> Iterator[None]:
        try:
            yield
        except QConsoleError as exc:
            said = reasons.render(exc.reason, exc.params, lang) if exc.reason else exc.message
            raise type(exc)(reason=reason, file=file, **where, error=said,
                            cause=exc.reason) from None  # fmt: skip

    before = hall.settings()
    for name, value in data.get("settings", {}).items():
        with entry("config.setting_refused", name=name):
            after = hall.set_setting(actor, name, value)
        counts["settings"] += after[name] != before.get(name)

    def add_or_edit(section: str, key: str, known: set, add: Callable, edit: Callable,
                    on_edit: Callable[[dict], Any] | None = None) -> None:  # fmt: skip
        """Each item edits the row its ``key`` names, or adds it."""
        for index, item in enumerate(data.get(section, []), start=1):
            fields = dict(item)
            with entry("config.entry_refused", section=section, index=index):
                if fields[key] in known:
                    if on_edit is not None:
                        on_edit(fields)
                    edit(actor, fields.pop(key), **fields)
                    counts["edited"] += 1
                else:
                    add(actor, **fields)
                    counts["added"] += 1

    services = {s.code for s in hall.list_services(include_inactive=True)}
    add_or_edit("services", "code", services, hall.add_service, hall.edit_service)
    clerks = {c.staff_no for c in hall.list_clerks()}
    # a file never resets a PIN: use `clerks edit --pin`
    add_or_edit("clerks", "staff_no", clerks, hall.add_clerk, hall.edit_clerk,
                on_edit=lambda fields: fields.pop("pin", None))  # fmt: skip
    counters = {c.number for c in hall.list_counters()}
    add_or_edit("counters", "number", counters, hall.add_counter, hall.edit_counter)
    sessions = {s.name for s in hall.list_sessions()}
    # a closed day stays one: applying the file again leaves its closed flag as it was
    add_or_edit("sessions", "name", sessions, hall.add_session, hall.edit_session,
                on_edit=lambda fields: fields.pop("closed", None))  # fmt: skip
    if data.get("matters"):  # after the services: a matter is called in one
        matters = {m.code for m in hall.list_matters(include_retired=True)}
        add_or_edit("matters", "code", matters, hall.add_matter, hall.edit_matter)
    return counts
