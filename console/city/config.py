"""``city.toml``: the halls a city follows, as its admin lists them.

```toml
name = "某市政务服务"            # the city's name on its pages and reports (optional)

[[hall]]
key = "central"                 # short and stable: the hall's name in the city's database
name = "市民中心"
url = "https://10.8.0.11:8450"  # the hall server
token = "…"                     # its city token (qconsole stations add city --city)
district = "南山区"
address = "深南大道 1 号"
lat = 22.543                    # optional: "nearest first" on the public page
lon = 113.930
ca = "/etc/qconsole/hall-ca.pem"  # optional: the hall's own certificate authority
```

``token_file`` may stand for ``token`` (the file holds the token), so the list itself can
be shared without its secrets.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.domain.errors import BadInput
from console.hallconfig import toml_position

KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
FIELDS = frozenset(
    {"key", "name", "url", "token", "token_file", "district", "address", "lat", "lon", "ca"}
)
"""What a ``[[hall]]`` may say."""


@dataclass(frozen=True)
class HallEntry:
    """One hall the city follows."""

    key: str
    name: str
    url: str
    token: str
    district: str = ""
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    ca: str | None = None

    def public(self) -> dict[str, Any]:
        """What the city's API says of the hall (never its token or URL)."""
        return {
            "key": self.key,
            "name": self.name,
            "district": self.district,
            "address": self.address,
            "lat": self.lat,
            "lon": self.lon,
        }


@dataclass(frozen=True)
class CityConfig:
    name: str
    halls: list[HallEntry]

    def hall(self, key: str) -> HallEntry | None:
        return next((h for h in self.halls if h.key == key), None)


def load(path: str | Path) -> CityConfig:
    """The city's halls from ``path``; a mistake is one line naming the file and the hall,
    said from a ``city.halls_*``/``city.hall_*`` reason code in the shell's language."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BadInput(reason=f"city.halls_{_why(exc)}", file=path,
                       detail=exc.strerror or exc) from None  # fmt: skip
    except UnicodeDecodeError:
        raise BadInput(reason="config.not_utf8", file=path) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        at = toml_position(exc)
        if at is None:
            raise BadInput(reason="city.halls_not_toml", file=path) from None
        raise BadInput(reason="city.halls_not_toml_at", file=path, line=at[0],
                       column=at[1]) from None  # fmt: skip
    halls_data = data.get("hall")
    if not isinstance(halls_data, list) or not halls_data:
        raise BadInput(reason="city.no_halls", file=path)
    halls, seen = [], set()
    for n, raw in enumerate(halls_data, 1):
        halls.append(_hall(path, n, raw, seen))
    name = data.get("name", "")
    if not isinstance(name, str):
        raise BadInput(reason="city.name_not_text", file=path)
    return CityConfig(name=name, halls=halls)


def _why(exc: OSError) -> str:
    """Why a file could not be read, as the last word of its reason code."""
    if isinstance(exc, FileNotFoundError):
        return "missing"
    if isinstance(exc, PermissionError):
        return "forbidden"
    return "unreadable"


def _hall(path: Path, n: int, raw: Any, seen: set[str]) -> HallEntry:
    if not isinstance(raw, dict):
        raise BadInput(reason="city.hall_not_table", file=path, index=n)
    unknown = sorted(set(raw) - FIELDS)
    if unknown:
        raise BadInput(reason="city.hall_unknown_field", file=path, index=n, name=unknown[0],
                       fields="|".join(sorted(FIELDS)))  # fmt: skip
    key = raw.get("key")
    if not isinstance(key, str) or not KEY.match(key):
        raise BadInput(reason="city.hall_bad_key", file=path, index=n, value=repr(key))
    if key in seen:
        raise BadInput(reason="city.hall_twice", file=path, key=key)
    seen.add(key)
    for item in ("name", "url"):
        if not isinstance(raw.get(item), str) or not raw[item].strip():
            raise BadInput(reason="city.hall_needs", file=path, key=key, item=item)
    url = raw["url"].rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise BadInput(reason="city.hall_bad_url", file=path, key=key, url=url)
    token = raw.get("token")
    if "token_file" in raw:
        token_file = path.parent / str(raw["token_file"])
        try:
            token = token_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise BadInput(reason=f"city.token_file_{_why(exc)}", file=path, key=key,
                           token_file=token_file, detail=exc.strerror or exc) from None  # fmt: skip
        except UnicodeDecodeError:
            raise BadInput(reason="config.not_utf8", file=token_file) from None
    if not isinstance(token, str) or not token.strip():
        raise BadInput(reason="city.hall_needs_token", file=path, key=key)
    coords = []
    for item, limit in (("lat", 90), ("lon", 180)):
        value = raw.get(item)
        if value is not None and (not isinstance(value, int | float) or abs(value) > limit):
            raise BadInput(reason="city.hall_bad_coordinate", file=path, key=key, item=item,
                           limit=limit)  # fmt: skip
        coords.append(float(value) if value is not None else None)
    if (coords[0] is None) != (coords[1] is None):
        raise BadInput(reason="city.hall_lat_lon", file=path, key=key)
    for item in ("district", "address", "ca"):
        if item in raw and not isinstance(raw[item], str):
            raise BadInput(reason="city.hall_not_text", file=path, key=key, item=item)
    return HallEntry(
        key=key,
        name=raw["name"].strip(),
        url=url,
        token=token.strip(),
        district=raw.get("district", ""),
        address=raw.get("address", ""),
        lat=coords[0],
        lon=coords[1],
        ca=raw.get("ca"),
    )
