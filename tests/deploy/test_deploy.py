"""The deployment files work as written: the hardened unit, and the nightly cron recipe run
under cron's bare environment against the documented install (``uv tool install``)."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.engine.calendar import KNOWN_YEARS

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNIT = DEPLOY / "qconsole.service"
EXPOSURE_MAX = 2.0
DB = "/var/lib/qconsole/hall.db"
BINARY = "/usr/local/bin/qconsole"


def test_the_unit_is_hardened() -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (Debian: apt-get install systemd)")
    done = subprocess.run([analyze, "security", "--offline=yes", "--no-pager", str(UNIT)],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    found = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", done.stdout)
    if found is None:
        pytest.skip(f"systemd-analyze cannot rate units offline here: {done.stderr.strip()}")
    assert float(found.group(1)) <= EXPOSURE_MAX, done.stdout


def test_one_database_path_and_one_binary_everywhere() -> None:
    unit = UNIT.read_text(encoding="utf-8")
    cron = (DEPLOY / "qconsole.cron").read_text(encoding="utf-8")
    nightly = (DEPLOY / "qconsole-nightly").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    admin = (ROOT / "docs" / "admin.md").read_text(encoding="utf-8")
    assert f"Environment=QCONSOLE_DB={DB}\n" in unit
    assert f"\nQCONSOLE_DB={DB}\n" in cron
    assert f"QCONSOLE_DB=${{QCONSOLE_DB:-{DB}}}" in nightly
    assert re.search(r"^ExecStart=(\S+) serve", unit, re.M).group(1) == BINARY
    assert f"QCONSOLE=${{QCONSOLE:-{BINARY}}}" in nightly
    for page in (readme, admin):
        assert "UV_TOOL_BIN_DIR=/usr/local/bin uv tool install" in page
        assert DB in page and "/srv/qconsole/hall.db" not in page
    documentation = re.search(r"^Documentation=(\S+)", unit, re.M).group(1)
    assert "example" not in documentation and documentation.startswith(("https:", "file:"))


@pytest.fixture(scope="module")
def tool_install() -> Iterator[Path]:
    """The wheel installed the documented way, in a directory any user can run it from."""
    uv = shutil.which("uv")
    python = shutil.which("python3", path="/usr/bin:/bin")
    if uv is None or python is None:
        pytest.skip("needs uv and a system python3 in /usr/bin")
    place = Path(tempfile.mkdtemp(prefix="qconsole-tool-"))
    place.chmod(0o755)
    try:
        subprocess.run([uv, "build", "--wheel", "--out-dir", str(place / "dist")], cwd=ROOT,
                       check=True, capture_output=True)  # fmt: skip
        (wheel,) = (place / "dist").glob("qconsole-*.whl")
        constraints = place / "dist" / "constraints.txt"  # the lock, as the README installs
        subprocess.run([uv, "export", "--frozen", "--no-dev", "--no-emit-project", "--no-hashes",
                        "--all-extras", "--quiet", "-o", str(constraints)], cwd=ROOT,
                       check=True)  # fmt: skip
        env = {**os.environ, "UV_TOOL_DIR": str(place / "tools"),
               "UV_TOOL_BIN_DIR": str(place / "bin")}  # fmt: skip
        done = subprocess.run([uv, "tool", "install", "--python", python, "-c", str(constraints),
                               f"qconsole[server] @ {wheel}"],
                              env=env, capture_output=True, text=True)  # fmt: skip
        if done.returncode != 0:
            pytest.fail(f"uv tool install failed:\n{done.stderr[-2000:]}")
        yield place / "bin" / "qconsole"
    finally:
        shutil.rmtree(place, ignore_errors=True)


@pytest.fixture
def cron_user() -> Iterator[str | None]:
    """The qconsole system user (made for the test when root and missing), or None."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        yield None  # runs as the current user: docs/admin.md documents the qconsole user
        return
    try:
        pwd.getpwnam("qconsole")
        made = False
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell",
                        "/usr/sbin/nologin", "qconsole"], check=True)  # fmt: skip
        made = True
    try:
        yield "qconsole"
    finally:
        if made:
            subprocess.run(["userdel", "qconsole"], check=False)


@pytest.mark.slow
def test_the_nightly_recipe_runs_under_crons_environment(tool_install: Path, cron_user) -> None:
    state = Path(tempfile.mkdtemp(prefix="qconsole-state-"))
    try:
        db = state / "hall.db"
        init = subprocess.run([str(tool_install), "init", "--demo", "--db", str(db)],
                              capture_output=True, text=True, env={"PATH": "/usr/bin:/bin",
                              "HOME": str(state)})  # fmt: skip
        assert init.returncode == 0, init.stderr
        # a counter printer that is switched off tonight: a warning, which cron must not mail
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            closed = s.getsockname()[1]
        off = subprocess.run([str(tool_install), "printers", "add", "counter1", "--db", str(db),
                              "--connection", "network", "--address", f"127.0.0.1:{closed}"],
                             capture_output=True, text=True, env={"PATH": "/usr/bin:/bin",
                             "HOME": str(state)})  # fmt: skip
        assert off.returncode == 0, off.stderr
        as_user: list[str] = []
        if cron_user:
            entry = pwd.getpwnam(cron_user)
            for p in (state, *state.iterdir()):
                os.chown(p, entry.pw_uid, entry.pw_gid)
            state.chmod(0o750)
            as_user = ["setpriv", f"--reuid={cron_user}", f"--regid={entry.pw_gid}",
                       "--init-groups", "--"]  # fmt: skip
        # a June night of a year whose official calendar this install knows: nothing to tell
        june = f"{KNOWN_YEARS.stop - 1}-06-16T00:30:00+08:00"
        cron_env = ["env", "-i", "PATH=/usr/bin:/bin", "SHELL=/bin/sh", f"HOME={state}",
                    "TZ=Asia/Shanghai", f"QCONSOLE_DB={db}", f"QCONSOLE={tool_install}",
                    f"QCONSOLE_NOW={june}",
                    f"QCONSOLE_EXPORTS={state / 'exports'}",
                    f"QCONSOLE_BACKUPS={state / 'backups'}"]  # fmt: skip
        done = subprocess.run([*as_user, *cron_env, "/bin/sh", str(DEPLOY / "qconsole-nightly")],
                              capture_output=True, text=True, timeout=300)  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout == "" and done.stderr == ""  # cron mails nothing on a good night
        written = [*(state / "exports").iterdir(), *(state / "backups").iterdir()]
        assert len(written) == 5  # three exports, the report, one backup
        for f in [db, *written]:
            mode = stat.S_IMODE(f.stat().st_mode)
            assert mode & 0o007 == 0, f"{f} is {oct(mode)}: world-readable"
        # from 1 December the night mails one line: next year's calendar is not installed
        december = f"QCONSOLE_NOW={KNOWN_YEARS.stop - 1}-12-01T00:30:00+08:00"
        cron_env = [december if v.startswith("QCONSOLE_NOW=") else v for v in cron_env]
        told = subprocess.run([*as_user, *cron_env, "/bin/sh", str(DEPLOY / "qconsole-nightly")],
                              capture_output=True, text=True, timeout=300)  # fmt: skip
        assert told.returncode == 0 and told.stdout == "", told.stdout + told.stderr
        assert told.stderr == (f"WARNING calendar: the official calendar for {KNOWN_YEARS.stop}"
                               " is not known to this install: upgrade qconsole or add the days"
                               " by hand\n")  # fmt: skip
    finally:
        shutil.rmtree(state, ignore_errors=True)
