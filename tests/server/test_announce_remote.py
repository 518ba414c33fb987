"""``qconsole announce --server``: a station tests the hall's speakers with the hall's own
settings, read from the hall server like every other command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import wave

import pytest

from console.remote import RemoteHall
from tests.server.conftest import Server


def qconsole(*args: str, token: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from console.cli.main import run; run()", *args],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "QCONSOLE_TOKEN": token},
    )  # fmt: skip


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_announce_over_the_server_uses_the_halls_template(server: Server, tmp_path) -> None:
    admin = RemoteHall(server.url, server.tokens["admin-pc"])
    try:
        admin.set_setting(admin.actor, "announce_template_zh", "请 {number} 号 到 {counter} 号窗口")
        admin.set_setting(admin.actor, "announce_langs", "zh-CN")
    finally:
        admin.close()
    out = tmp_path / "call.wav"
    done = qconsole("announce", "B017", "23", "--server", server.url, "--out", str(out),
                    "--json", token=server.tokens["desk-1"])  # fmt: skip
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout)["said"]
    assert said == ["qing3 B ling2 yi1 qi1 hao4 dao4 er4 shi2 san1 hao4 chuang1 kou3"] * 2
    with wave.open(str(out)) as w:
        assert 2 <= w.getnframes() / w.getframerate() <= 12
    gone = qconsole("announce", "B017", "23", "--server", "http://127.0.0.1:9", "--out",
                    str(out), token=server.tokens["desk-1"])  # fmt: skip
    assert gone.returncode == 3 and "unreachable" in gone.stderr
