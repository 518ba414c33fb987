"""Every refusal names a reason code that both catalogs render.

The engine, the store, the hall server and the remote client raise errors with
``reason=`` and parameters; screens and the CLI render the code in zh-CN or
English. A raise without a code would reach a Chinese screen in English, so
this test lists every such raise by file and line, in the engine and in the
command line and admin tools alike.
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from console.domain.errors import Refused
from console.domain.lifecycle import ALLOWED
from console.domain.reasons import AREAS, DERIVED, REASONS, VERBS, render

ROOT = Path(__file__).resolve().parents[2]
CHECKED = (
    "console/domain",
    "console/engine",
    "console/store",
    "console/server",
    "console/remote.py",
    "console/announce",
    "console/cli",
    "console/reports",
    "console/replica.py",
    "console/replica_files.py",
    "console/hallconfig.py",
    "console/catalogue",
    "console/city",
)
"""Where the product raises the errors a person sees: the engine and its machinery, and
the command line with the admin's tools (exports, backups, the standby's restore, the
hall's files, the city's city.toml and database), whose errors reach a shell set to
Chinese as well."""

ERRORS = {"QConsoleError", "Refused", "AuthError", "BadInput", "NotFound", "Unavailable",
          "Unauthenticated"}  # fmt: skip


def _sources() -> list[Path]:
    found: list[Path] = []
    for name in CHECKED:
        path = ROOT / name
        found.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return found


def _raised_errors() -> list[tuple[str, int, ast.Call]]:
    """Every error made to reach a person: ``raise SomeError(...)`` (also inside
    ``raise (A(...) if c else B(...))``) and one handed on unraised (the CLI's
    ``fail(Unavailable(...))``)."""
    out = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in ast.walk(tree):
            if isinstance(call, ast.Call) and getattr(call.func, "id", None) in ERRORS:
                out.append((str(path.relative_to(ROOT)), call.lineno, call))
    return out


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def test_every_raise_names_a_reason_code_from_the_catalog():
    missing, unknown = [], []
    for where, line, call in _raised_errors():
        reason = _keyword(call, "reason")
        if reason is None:
            missing.append(f"{where}:{line}: {ast.unparse(call)[:90]}")
        elif isinstance(reason, ast.Constant) and reason.value not in REASONS:
            unknown.append(f"{where}:{line}: reason {reason.value!r} is not in REASONS")
    assert not missing, "raises without a reason code (add one to console/domain/reasons/):\n" + (
        "\n".join(missing)
    )
    assert not unknown, "\n".join(unknown)


def test_every_raise_passes_the_parameters_its_sentences_use():
    problems = []
    for where, line, call in _raised_errors():
        reason = _keyword(call, "reason")
        if not isinstance(reason, ast.Constant) or reason.value not in REASONS:
            continue
        given = {k.arg for k in call.keywords if k.arg not in (None, "reason")}
        given |= {derived for derived, source in DERIVED.items() if source in given}
        if any(k.arg is None for k in call.keywords):
            continue  # **params: passed through from elsewhere
        needed = _fields(REASONS[reason.value][1]) | _fields(REASONS[reason.value][0])
        if needed - given:
            problems.append(f"{where}:{line}: {reason.value} needs {sorted(needed - given)}")
    assert not problems, "\n".join(problems)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(REASONS))
def test_both_catalogs_render_every_code(code):
    zh, en = REASONS[code]
    assert zh.strip() and en.strip(), code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), (
        f"{code}: the zh-CN sentence is not Chinese"
    )
    params = {name: "x" for name in _fields(en) | _fields(zh)}
    for lang in ("zh-CN", "en"):
        assert "{" not in render(code, params, lang), f"{code}: a placeholder is left in {lang}"


def test_an_error_renders_its_code_in_both_languages_and_travels_as_json():
    refusal = Refused(reason="counter.busy_call", counter=3, ticket="A012")
    assert refusal.message == "counter 3 still has A012; finish, park or transfer it first"
    assert (
        render(refusal.reason, refusal.params, "zh-CN") == "3号窗口还有 A012，请先办结、暂挂或转移"
    )
    assert refusal.to_dict() == {
        "error": "refused",
        "message": refusal.message,
        "reason": "counter.busy_call",
        "params": {"counter": 3, "ticket": "A012"},
    }


def test_no_code_is_in_two_areas_of_the_catalog():
    seen: dict[str, int] = {}
    for area in AREAS:
        for code in area:
            seen[code] = seen.get(code, 0) + 1
    assert not [code for code, times in seen.items() if times > 1]


@pytest.mark.parametrize("lang", sorted(VERBS))
def test_every_operation_on_a_ticket_has_its_verb_in_each_language(lang):
    assert set(VERBS[lang]) == set(ALLOWED), f"verbs of {lang} differ from the lifecycle's"


@pytest.mark.parametrize("op", sorted(ALLOWED))
def test_a_refused_transition_says_its_verb_in_the_readers_language(op):
    refusal = Refused(reason="ticket.wrong_status", ticket="A009", status="done", op=op)
    zh = render(refusal.reason, refusal.params, "zh-CN")
    assert op not in zh, zh
    assert refusal.message.startswith("A009 is done: cannot ")
    assert zh.startswith("A009 当前状态为“已办结”，不能")
