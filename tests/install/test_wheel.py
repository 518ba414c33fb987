"""The wheel is the product: built, installed with plain pip into a fresh venv outside the
source tree, and run from there as an admin would (network: PyPI for the dependencies)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``qconsole`` script of a venv that has only the wheel and its dependencies."""
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not on PATH: cannot build the wheel")
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([uv, "build", "--wheel", "--out-dir", str(work / "dist")], cwd=ROOT,
                   check=True, capture_output=True)  # fmt: skip
    (wheel,) = (work / "dist").glob("qconsole-*.whl")
    subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True)
    pip = subprocess.run([str(work / "venv" / "bin" / "pip"), "install", "--quiet",
                          "--disable-pip-version-check", str(wheel)],
                         capture_output=True, text=True)  # fmt: skip
    if pip.returncode != 0:
        pytest.fail(f"pip install of the wheel failed:\n{pip.stderr[-2000:]}")
    return work / "venv" / "bin" / "qconsole"


def run(qconsole: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "LANG": "C.UTF-8",
           "TZ": os.environ.get("TZ", "UTC"), "QCONSOLE_DB": str(cwd / "hall.db")}  # fmt: skip
    return subprocess.run([str(qconsole), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)  # fmt: skip


def test_the_installed_wheel_runs_a_hall(installed: Path, tmp_path: Path) -> None:
    def ok(*args: str) -> str:
        r = run(installed, tmp_path, *args)
        assert r.returncode == 0, (args, r.stderr)
        return r.stdout

    assert ok("--version").startswith("qconsole ")
    assert "schema 0" not in ok("init", "--demo")
    issued = ok("tickets", "issue", "ID", "--json")
    assert '"number"' in issued
    ok("counters", "open", "1", "--clerk", "1001", "--pin", "1234")
    assert '"status": "called"' in ok("tickets", "call", "1", "--json")
    ok("export", "--day", "today", "--what", "tickets", "--format", "csv", "--out",
       str(tmp_path / "tickets.csv"))  # fmt: skip
    assert (tmp_path / "tickets.csv").read_text(encoding="utf-8").count("\n") >= 2
    ok("report", "--day", "today", "--format", "html", "--out", str(tmp_path / "day.html"))
    assert "<html" in (tmp_path / "day.html").read_text(encoding="utf-8")
    site = installed.parent.parent / "lib"
    metadata = list(site.glob("python3*/site-packages/console/schemas/metadata.json"))
    assert metadata, "the Datasette metadata is not in the wheel"
