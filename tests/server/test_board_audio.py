"""The web board's announcements when the server cannot make them: no espeak-ng on the
server machine is a 503 that names the reason, so the page speaks with the browser's own
voices instead; the hall's own recordings need no synthesizer at all."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from console.announce.words import ZH_DIGITS
from console.local import LocalHall
from console.server.app import create_app
from tests.conftest import ADMIN, clerk
from tests.server.conftest import build_hall


def called(db: Path) -> str:
    """A hall whose counter 1 has just called a ticket; the ticket's number."""
    build_hall(db, counters=1)
    hall = LocalHall(db)
    try:
        hall.issue(ADMIN, "ID")
        actor = clerk("1001")
        hall.open_counter(actor, 1)
        return hall.call_next(actor, 1).number
    finally:
        hall.close()


def test_without_espeak_ng_the_server_says_so_and_the_page_speaks_itself(tmp_path, monkeypatch):
    number = called(tmp_path / "hall.db")
    monkeypatch.setenv("PATH", str(tmp_path))  # a server machine without espeak-ng
    with TestClient(create_app(tmp_path / "hall.db")) as web:
        assert web.get("/board/state").json()["calls"][0]["say"][0]["text"].startswith("请 A")
        answer = web.get(f"/board/audio/{number}/1.wav")
    assert answer.status_code == 503
    assert answer.json()["error"] == "no_voice"
    assert "espeak-ng is not installed" in answer.json()["message"]


@pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng stands in for the recording"
)
def test_the_halls_recordings_need_no_synthesizer_on_the_server(tmp_path, monkeypatch):
    number = called(tmp_path / "hall.db")
    clips = tmp_path / "clips" / "zh-CN"
    clips.mkdir(parents=True)
    words = {"请": "qing3", "号": "hao4", "到": "dao4", "窗口": "chuang1 kou3", "办理": "ban4 li3",
             number[0]: number[0], **{str(d): say for d, say in enumerate(ZH_DIGITS)}}  # fmt: skip
    for name, say in words.items():
        subprocess.run(["espeak-ng", "-v", "cmn-latn-pinyin", "-w", str(clips / f"{name}.wav"),
                        say], check=True)  # fmt: skip
    hall = LocalHall(tmp_path / "hall.db")
    try:
        hall.set_setting(ADMIN, "announce_clips", str(tmp_path / "clips"))
        hall.set_setting(ADMIN, "announce_langs", "zh-CN")
    finally:
        hall.close()
    monkeypatch.setenv("PATH", str(tmp_path))
    with TestClient(create_app(tmp_path / "hall.db")) as web:
        answer = web.get(f"/board/audio/{number}/1.wav")
    assert answer.status_code == 200 and answer.content.startswith(b"RIFF")
