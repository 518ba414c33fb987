"""``qconsole floor | reception | board`` from the shell, and the alerts module's purity."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from console.cli.main import app


def test_the_commands_exist_with_help():
    runner = CliRunner()
    for name in ("floor", "reception", "board"):
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example: qconsole" in result.stdout


def test_a_missing_hall_is_one_line_and_exit_3(tmp_path):
    result = CliRunner().invoke(app, ["board", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 3
    assert "Traceback" not in result.output


def test_a_bad_language_is_bad_usage(tmp_path):
    result = CliRunner().invoke(app, ["floor", "--lang", "fr", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2


def test_alerts_import_no_ui():
    code = "import sys, console.alerts; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
