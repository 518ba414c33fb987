"""The TUI foundation without a screen: catalogs, key registry, settings, block letters,
the CLI entry, and the rule that the queue core never imports Textual."""

from __future__ import annotations

import string
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from console.cli.main import app as cli
from console.domain.errors import BadInput
from console.tui import bindings
from console.tui.i18n import Translator, strings
from console.tui.settings import detect_language, normalise_language, normalise_theme
from console.tui.widgets.bigtext import FONT, big_lines


def test_the_queue_core_does_not_import_textual():
    code = (
        "import sys; import console.engine, console.domain, console.store, console.local, "
        "console.demo, console.format; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'typer')); "
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_string_has_both_languages_and_the_same_placeholders():
    for key, (zh, en) in strings().items():
        assert zh.strip() and en.strip(), key
        assert placeholders(zh) == placeholders(en), key


def test_every_key_has_a_label_and_a_help_line_in_the_catalog():
    t = Translator("en")
    for action in bindings.ACTIONS:
        assert t.has(action.label), action.name
        assert t.has(action.label + ".help"), action.name


def test_no_key_does_two_things():
    seen: dict[str, str] = {}
    for action in bindings.ACTIONS:
        for key in [*action.key.split(","), *([action.alias] if action.alias else [])]:
            assert key not in seen, f"{key} is bound to {seen.get(key)} and {action.name}"
            seen[key] = action.name


def test_desk_screen_offers_an_action_for_every_desk_key():
    from console.tui.screens.desk import DeskScreen

    for name in bindings.DESK:
        assert callable(getattr(DeskScreen, f"action_{name}", None)), name


def test_engine_refusals_are_translated_from_their_code():
    from console.domain.errors import Refused

    refusal = Refused(reason="counter.queue_empty", counter=3)
    assert Translator("zh-CN").error(refusal) == "3号窗口当前没有等候的号"
    assert Translator("en").error(refusal) == "nothing is waiting for counter 3"
    # an error without a code is shown as it is, never hidden
    assert Translator("zh-CN").error(Refused("some new message")) == "some new message"


def test_language_and_theme_options():
    assert detect_language({"LANG": "en_US.UTF-8"}) == "en"
    assert detect_language({"LANG": "zh_CN.UTF-8"}) == "zh-CN"
    assert detect_language({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert detect_language({}) == "zh-CN"
    assert normalise_language("zh_CN") == "zh-CN"
    assert normalise_language("EN") == "en"
    assert normalise_theme("high-contrast") == "contrast"
    with pytest.raises(BadInput):
        normalise_language("fr")
    with pytest.raises(BadInput):
        normalise_theme("neon")


def test_big_letters_cover_ticket_prefixes():
    assert set(string.ascii_uppercase + string.digits) <= set(FONT)
    rows = big_lines("A023", 2)
    assert len(rows) == 5 and len({len(r) for r in rows}) == 1
    assert len(big_lines("K107", 1)) == 3


def test_desk_command_refuses_an_unknown_counter(tmp_path):
    runner = CliRunner()
    db = tmp_path / "hall.db"
    assert runner.invoke(cli, ["init", "--db", str(db)]).exit_code == 0
    result = runner.invoke(cli, ["desk", "9", "--db", str(db)])
    assert result.exit_code == 2
    assert "no counter 9" in result.output
    result = runner.invoke(cli, ["desk", "1", "--db", str(db), "--lang", "fr"])
    assert result.exit_code == 2
    result = runner.invoke(cli, ["desk", "1", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 3


def test_every_listed_catalog_exists():
    import importlib

    from console.tui.i18n import CATALOGS

    for name in CATALOGS:
        assert importlib.util.find_spec(f"console.tui.i18n.{name}") is not None, name


def test_the_app_names_the_service_interface_it_talks_to():
    """A reader following ``app.service`` lands on ``HallService``'s typed operations."""
    import typing

    from console.service import HallService
    from console.tui.app import QConsoleApp, build_app

    for function in (build_app, QConsoleApp.__init__):
        accepted = typing.get_args(typing.get_type_hints(function)["service"])
        assert HallService in accepted
