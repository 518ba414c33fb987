"""What each hall setting may hold: one check for `settings set`, `config apply` and the
server alike, so no path stores a value another would refuse."""

from __future__ import annotations

import json
import re
from typing import Any

from console.announce.voice import checked_announce_setting
from console.domain import Actor
from console.domain.errors import BadInput
from console.engine import commands
from console.engine.core import DEFAULT_SETTINGS, Room

RANGES: dict[str, tuple[int, int]] = {
    "green_streak_limit": (0, 20),
    "pin_max_failures": (1, 20),
    "pin_lockout_min": (1, 1440),
    "estimate_sample": (1, 1000),
    "paused_alert_min": (1, 1440),
    "public_rate_per_min": (10, 100_000),
    "failover_number_gap": (0, 999),
    "announce_repeat": (1, 5),
    "announce_pause_ms": (0, 5000),
    "announce_rate_wpm": (80, 300),
    "elderly_age": (40, 120),
    "failover_call_hold_s": (0, 120),
    "personal_retention_days": (1, 3650),
}
"""Sane bounds of the whole-number settings (minutes are at most a day)."""
CHOICES: dict[str, tuple[str, ...]] = {"print_lang": ("both", "zh", "en")}
URLS = ("public_url",)
"""Settings that hold the address citizens' phones reach the hall server at."""
TOKENS = ("board_token",)
"""Settings that are a secret in an address: long enough not to be guessed, URL-safe."""
TOKEN_MIN = 16
TOKEN_CHARS = re.compile(r"[A-Za-z0-9_.~-]+")
TEXT_MAX = 500
TRUE, FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off")


def checked_setting(defaults: dict[str, Any], name: str, value: Any) -> Any:
    """``value`` as ``name`` stores it (text from the shell is converted), or BadInput."""
    if name not in defaults:
        raise BadInput(reason="setting.not_found", name=repr(name), known=", ".join(defaults))
    kind = type(defaults[name])
    if kind is bool:
        if isinstance(value, str) and value.strip().lower() in TRUE + FALSE:
            return value.strip().lower() in TRUE
        if not isinstance(value, bool):
            raise BadInput(reason="setting.not_bool", name=name, value=repr(value))
        return value
    if kind is int:
        low, high = RANGES.get(name, (0, 10**6))
        if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
            value = int(value.strip()) if len(value.strip()) <= 18 else high + 1
        if isinstance(value, bool) or not isinstance(value, int):
            raise BadInput(
                reason="setting.out_of_range", name=name, low=low, high=high, value=repr(value)
            )
        if not low <= value <= high:
            raise BadInput(
                reason="setting.out_of_range", name=name, low=low, high=high, value=value
            )
        return value
    if not isinstance(value, str):
        raise BadInput(reason="setting.not_text", name=name, value=repr(value))
    if name in CHOICES and value not in CHOICES[name]:
        raise BadInput(
            reason="setting.not_choice",
            name=name,
            choices=", ".join(CHOICES[name]),
            value=repr(value),
        )
    if len(value) > TEXT_MAX:
        raise BadInput(reason="setting.too_long", name=name, max=TEXT_MAX)
    if name.startswith("announce_"):
        return checked_announce_setting(name, value)
    if name in URLS and value:
        scheme, _, rest = value.strip().partition("://")
        if (
            scheme.lower() not in ("http", "https")
            or not rest
            or any(c.isspace() or c in "{}<>\"'" for c in rest)
        ):
            raise BadInput(reason="setting.bad_url", name=name, value=repr(value))
        return value.strip().rstrip("/")
    if name in TOKENS and value:
        strong = len(value) >= TOKEN_MIN and len(set(value)) >= TOKEN_MIN // 2
        if not strong or not TOKEN_CHARS.fullmatch(value):
            raise BadInput(reason="setting.weak_token", name=name, min=TOKEN_MIN)
    return value


class Settings(Room):
    """Change one hall setting (admin-only, audited); reading them is the core's."""

    def set_setting(
        self, actor: Actor, name: str, value: Any, key: str | None = None
    ) -> dict[str, Any]:
        self.core.require(actor, "admin", "changing settings")
        value = checked_setting(DEFAULT_SETTINGS, name, value)

        def op() -> dict[str, Any]:
            old = self.core.setting(name)
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (name, json.dumps(value, ensure_ascii=False)),
            )
            self.core.event("setting.changed", actor, changes={name: [old, value]})
            return self.core.settings()

        return self.core.write(
            "set_setting",
            commands.keyed(key, actor, name=name, value=value),
            op,
            encode=lambda r: r,
        )
