"""Every reason the product gives for refusing something, in zh-CN and English.

``REASONS = {code: (zh-CN, en)}``, with ``str.format`` placeholders named after
the error's parameters. An error names its code and parameters
(``Refused(reason="counter.no_current", counter=3)``); its English sentence
comes from here, and each screen or CLI renders the same code in its own
language. A code is stable: change its wording freely, never its meaning.

The catalog is kept by area: ``tickets`` (counters, tickets, appointments),
``catalogue`` (services, matters, catalogue files), ``staff_and_setup``
(clerks, sessions, settings, printers, fields, requests), ``hall`` (the
database, the server, stations, announcements, a printer's failures), ``print_jobs``
(what else became of a slip), ``command_line`` (the CLI's own
options and the files an admin hands it) and ``admin_tools`` (day ranges, exports,
backups, the standby's restore and replica), ``doctor`` (the health check's lines);
``words`` holds the words a
sentence takes as parameters (verbs, statuses, roles, field names, the system's words for
a failed file or network call).

To add a refusal: add one entry to its area (both languages, the same
placeholders), raise with ``reason=`` and the parameters.
``tests/quality/test_reasons.py`` checks both languages for every code, that no
code is in two areas, and lists any raise without one.
"""

from __future__ import annotations

from console.domain.reasons.admin_tools import ADMIN_TOOLS
from console.domain.reasons.catalogue import CATALOGUE
from console.domain.reasons.command_line import COMMAND_LINE
from console.domain.reasons.doctor import DOCTOR
from console.domain.reasons.hall import HALL
from console.domain.reasons.print_jobs import PRINT_JOBS
from console.domain.reasons.staff_and_setup import STAFF_AND_SETUP
from console.domain.reasons.tickets import TICKETS
from console.domain.reasons.words import (
    DETAIL_PARAMS,
    FIELD_PARAMS,
    FIELDS_ZH,
    OS_ERRORS_ZH,
    VERBS,
    VERBS_EN,
    VERBS_ZH,
    WORD_PARAMS,
    WORDS_ZH,
    verb,
)

AREAS: tuple[dict[str, tuple[str, str]], ...] = (
    TICKETS,
    CATALOGUE,
    STAFF_AND_SETUP,
    HALL,
    PRINT_JOBS,
    COMMAND_LINE,
    ADMIN_TOOLS,
    DOCTOR,
)
"""The catalog's parts; a code belongs to exactly one."""

REASONS: dict[str, tuple[str, str]] = {code: pair for area in AREAS for code, pair in area.items()}

DERIVED = {"verb": "op"}
"""Parameters a sentence may use that the catalog fills from another, in the reader's
language: an error says ``op="park"``, the sentence says "park it" or "暂挂"."""


def render(reason: str, params: dict, lang: str = "en") -> str:
    """The sentence for ``reason`` in ``lang``; an unknown code shows itself and its parameters."""
    pair = REASONS.get(reason)
    if pair is None:
        shown = ", ".join(f"{k}={v}" for k, v in params.items())
        return f"{reason} ({shown})" if shown else reason
    zh = lang.startswith("zh")
    template = pair[0 if zh else 1]
    if "op" in params:
        params = {**params, "verb": verb(str(params["op"]), "zh" if zh else "en")}
    if zh:
        params = {
            k: WORDS_ZH.get(str(v), v) if k in WORD_PARAMS
            else FIELDS_ZH.get(str(v), v) if k in FIELD_PARAMS
            else OS_ERRORS_ZH.get(str(v), v) if k in DETAIL_PARAMS
            else v
            for k, v in params.items()
        }  # fmt: skip
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


NO_PRINTER = "printer.none_here"
"""A print job's stored error when the station has no printer: a code, rendered where shown."""


def stored(text: str | None, lang: str = "en") -> str | None:
    """A stored error (a print job's) in ``lang``: a reason code is rendered from the catalog,
    anything else (a printer's own words) is shown as it is."""
    if text in REASONS:
        return render(text, {}, lang)
    return text


def printer_said(reason: str | None, text: str | None, printer: str | None,
                 lang: str = "en") -> str | None:  # fmt: skip
    """What became of a print job, in ``lang``: its stored reason code, said with its
    printer's name; a job stored before codes were kept says its stored words."""
    if reason:
        return render(reason, {"printer": printer or "-"}, lang)
    return stored(text, lang)


__all__ = [
    "AREAS",
    "DERIVED",
    "DETAIL_PARAMS",
    "FIELDS_ZH",
    "FIELD_PARAMS",
    "NO_PRINTER",
    "OS_ERRORS_ZH",
    "REASONS",
    "VERBS",
    "VERBS_EN",
    "VERBS_ZH",
    "WORDS_ZH",
    "WORD_PARAMS",
    "printer_said",
    "render",
    "stored",
    "verb",
]
