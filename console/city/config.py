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

KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


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
    """The city's halls from ``path``; a mistake is one line naming the file and the hall."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BadInput(f"cannot read --halls {path}: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BadInput(f"{path}: not TOML: {exc}") from None
    halls_data = data.get("hall")
    if not isinstance(halls_data, list) or not halls_data:
        raise BadInput(f"{path}: no [[hall]] listed")
    halls, seen = [], set()
    for n, raw in enumerate(halls_data, 1):
        halls.append(_hall(path, n, raw, seen))
    name = data.get("name", "")
    if not isinstance(name, str):
        raise BadInput(f"{path}: name must be text")
    return CityConfig(name=name, halls=halls)


def _hall(path: Path, n: int, raw: Any, seen: set[str]) -> HallEntry:
    where = f"{path}: hall {n}"
    if not isinstance(raw, dict):
        raise BadInput(f"{where}: not a table")
    known = {"key", "name", "url", "token", "token_file", "district", "address", "lat", "lon", "ca"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise BadInput(
            f"{where}: unknown field {unknown[0]!r} (fields: {', '.join(sorted(known))})"
        )
    key = raw.get("key")
    if not isinstance(key, str) or not KEY.match(key):
        raise BadInput(f"{where}: key must be 1-40 of a-z 0-9 _ - (got {key!r})")
    where = f"{path}: hall {key!r}"
    if key in seen:
        raise BadInput(f"{where}: listed twice")
    seen.add(key)
    for field in ("name", "url"):
        if not isinstance(raw.get(field), str) or not raw[field].strip():
            raise BadInput(f"{where}: {field} is required")
    url = raw["url"].rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise BadInput(f"{where}: url must start with http:// or https:// (got {url!r})")
    token = raw.get("token")
    if "token_file" in raw:
        try:
            token = (path.parent / str(raw["token_file"])).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise BadInput(f"{where}: cannot read token_file: {exc.strerror or exc}") from None
    if not isinstance(token, str) or not token.strip():
        raise BadInput(f"{where}: token (or token_file) is required")
    coords = []
    for field, limit in (("lat", 90), ("lon", 180)):
        value = raw.get(field)
        if value is not None and (not isinstance(value, int | float) or abs(value) > limit):
            raise BadInput(f"{where}: {field} must be a number within ±{limit}")
        coords.append(float(value) if value is not None else None)
    if (coords[0] is None) != (coords[1] is None):
        raise BadInput(f"{where}: give lat and lon together")
    for field in ("district", "address", "ca"):
        if field in raw and not isinstance(raw[field], str):
            raise BadInput(f"{where}: {field} must be text")
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
