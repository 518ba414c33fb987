"""The checks CI runs besides behaviour: lint, formatting, and the layering of the code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_ruff_lint_is_clean():
    result = run(sys.executable, "-m", "ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = run(sys.executable, "-m", "ruff", "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_queue_core_imports_no_ui_cli_or_server():
    """console.domain, console.engine and console.store never import textual, typer or fastapi."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = run(str(lint_imports))
    assert result.returncode == 0, result.stdout + result.stderr
    code = (
        "import sys, console.domain, console.engine, console.store\n"
        "import console.local, console.service\n"
        "ui = {'textual', 'typer', 'fastapi', 'uvicorn'}\n"
        "print(','.join(sorted({m.split('.')[0] for m in sys.modules} & ui)))"
    )
    probe = run(sys.executable, "-c", code)
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip() == ""
