"""The export formats as data: column lists read from ``schemas/exports/*.schema.json``.

The JSON Schema files are the documentation the statistics office reads; the
exporter takes its column names, order, titles and types from them, so the
two cannot drift apart.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.domain.personal import EXPORT_COLUMNS

EXPORTS_DIR = Path(__file__).resolve().parents[2] / "schemas" / "exports"
if not EXPORTS_DIR.is_dir():  # installed as a wheel: schemas/ is packaged inside console/
    EXPORTS_DIR = Path(__file__).resolve().parents[1] / "schemas" / "exports"

WHATS = ("tickets", "events", "summary")


@dataclass(frozen=True)
class Column:
    """One export column as its schema describes it."""

    name: str
    title_en: str
    title_zh: str
    kind: str
    """integer | number | string | date | datetime | duration | json-array | json-object"""
    personal: bool
    enum: bool = False
    """The schema lists every value (codes such as ticket statuses)."""

    def title(self, lang: str) -> str:
        return self.title_zh if lang.startswith("zh") else self.title_en


@functools.cache
def schema(what: str) -> dict[str, Any]:
    """The JSON Schema of one export."""
    return json.loads((EXPORTS_DIR / f"{what}.schema.json").read_text(encoding="utf-8"))


def columns(what: str, personal: bool = False) -> list[Column]:
    """The columns of an export in file order; personal ones (``console.domain.personal``,
    which the schema's ``x-personal`` documents) only when asked for."""
    cols = [
        Column(
            name,
            p["title"],
            p["x-title-zh"],
            p["x-kind"],
            name in EXPORT_COLUMNS[what],
            "enum" in p,
        )
        for name, p in schema(what)["properties"].items()
    ]
    return [c for c in cols if personal or not c.personal]
