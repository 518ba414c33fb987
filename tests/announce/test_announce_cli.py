"""``qconsole announce``: the call as the hall hears it, written to a WAV a person can play
(measured by sox, as an engineer would), from the hall's own settings; the synthesizer's
command lines on request; one clear line when something is missing."""

from __future__ import annotations

import shutil
import subprocess
import wave

import pytest

from tests.cli.conftest import Qconsole

espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")


@pytest.fixture
def qc(db_path) -> Qconsole:
    qc = Qconsole(db_path)
    assert qc("init").exit_code == 0
    return qc


def seconds(path) -> float:
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth()) == (1, 2)
        return w.getnframes() / w.getframerate()


@espeak
def test_announce_writes_a_wav_of_the_call(qc, tmp_path):
    out = tmp_path / "f.wav"
    run = qc("announce", "A023", "5", "--out", out)
    assert run.exit_code == 0, run.stderr
    assert 2 <= seconds(out) <= 12
    if shutil.which("sox"):  # what a person measuring it sees: a length, and no silence
        stat = subprocess.run(["sox", str(out), "-n", "stat"], capture_output=True, text=True)
        figures = dict(line.split(":", 1) for line in stat.stderr.splitlines() if ":" in line)
        assert 2 <= float(figures["Length (seconds)"]) <= 12
        assert float(figures["RMS     amplitude"]) > 0.02


@espeak
def test_show_prints_the_synthesizer_lines_that_ran(qc, tmp_path):
    run = qc("announce", "A023", "5", "--out", tmp_path / "f.wav", "--show")
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == (
        "espeak-ng -v cmn-latn-pinyin -a 75 -s 160 -w zh-CN-1.wav"
        " 'qing3 A ling2 er4 san1 hao4 dao4 wu3 hao4 chuang1 kou3 ban4 li3'"
    )
    assert lines[1] == ("espeak-ng -v en -a 100 -s 160 -w en-2.wav"
                        " 'Number A, zero, two, three, please go to counter five'")  # fmt: skip
    scratch = tmp_path / "again"
    scratch.mkdir()  # the line runs as shown
    subprocess.run(lines[0], shell=True, cwd=scratch, check=True)
    assert seconds(scratch / "zh-CN-1.wav") > 1


@espeak
def test_the_hall_settings_shape_the_announcement(qc, tmp_path):
    assert (
        qc("settings", "set", "announce_template_zh", "请{number}号到{counter}号窗口").exit_code
        == 0
    )
    assert qc("settings", "set", "announce_langs", "zh-CN").exit_code == 0
    assert qc("settings", "set", "announce_repeat", "3").exit_code == 0
    run = qc("announce", "B100", "12", "--out", tmp_path / "f.wav", "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json["said"] == ["qing3 B yi1 ling2 ling2 hao4 dao4 shi2 er4 hao4 chuang1 kou3"] * 3
    assert len(run.json["commands"]) == 1  # one sentence made once, said three times
    run = qc("announce", "B100", "12", "--lang", "en", "--out", tmp_path / "g.wav", "--json")
    assert run.json["said"] == ["Number B, one, zero, zero, please go to counter twelve"] * 3


def test_a_bad_template_is_refused_where_it_is_set(qc):
    run = qc("settings", "set", "announce_template_en", "Number {ticket}")
    assert run.exit_code == 2
    assert "{number} {counter}" in run.stderr


@pytest.mark.parametrize("args", [["A02#", "5"], ["A023", "5", "--lang", "fr"],
                                  ["A023", "x"]])  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(qc, args, tmp_path):
    run = qc("announce", *args, "--out", tmp_path / "f.wav")
    assert run.exit_code == 2
    assert "Traceback" not in run.stderr


def test_without_espeak_ng_the_sentence_says_what_to_install(qc, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    run = qc("announce", "A023", "5", "--out", tmp_path / "f.wav")
    assert run.exit_code == 1
    assert run.stderr.strip() == (
        "qconsole: the speech synthesizer espeak-ng is not installed (Debian/Ubuntu: apt-get"
        " install espeak-ng); or set announce_clips to the hall's recordings"
    )
    assert not (tmp_path / "f.wav").exists()


def test_without_a_player_it_says_to_write_a_file(qc, tmp_path, monkeypatch):
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "espeak-ng").symlink_to(shutil.which("espeak-ng"))
    monkeypatch.setenv("PATH", str(bin_dir))
    run = qc("announce", "A023", "5")
    assert run.exit_code == 1
    assert "no audio player found" in run.stderr and "--out" in run.stderr
