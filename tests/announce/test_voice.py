"""The announcement module's own interface: a call (chime, then said in turn), any short
sentence in either language (a kiosk's prompt), and a hall's recordings instead of the
synthesizer."""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from pathlib import Path

import pytest

from console.announce import AnnounceSettings, Voice
from console.announce.sound import RATE, chime
from console.announce.words import ZH_DIGITS
from console.domain.errors import Refused

espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")


def wav_seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, RATE)
        return w.getnframes() / RATE


@espeak
def test_a_call_is_a_chime_then_the_languages_in_turn():
    voice = Voice(AnnounceSettings(langs=("zh-CN", "en"), repeat=3, pause_s=0.5))
    call = voice.call("A023", 5)
    assert [s.lang for s in call.sentences] == ["zh-CN", "en", "zh-CN"]
    assert len(call.commands) == 2  # each sentence synthesized once
    assert call.wav.startswith(b"RIFF") and wav_seconds(call.wav) == pytest.approx(call.seconds)
    assert call.seconds > chime().seconds + 3 * 1.5
    assert call.sound.pcm.startswith(chime().pcm[:4410])  # the chime comes first
    shorter = voice.call("A023", 5, repeat=1)
    assert [s.lang for s in shorter.sentences] == ["zh-CN"]
    assert shorter.seconds < call.seconds


@espeak
@pytest.mark.parametrize(("text", "lang"), [("请在屏幕上选择办理事项", "zh-CN"),
                                            ("Please choose a service", "en")])  # fmt: skip
def test_any_short_sentence_becomes_a_wav(text, lang, tmp_path):
    said = Voice().say(text, lang)
    assert len(said.sentences) == 1 and len(said.commands) == 1
    assert 0.8 < wav_seconds(said.wav) < 6
    assert said.write(tmp_path / "prompt.wav").read_bytes() == said.wav
    chimed = Voice().say(text, lang, with_chime=True)
    assert chimed.seconds > said.seconds + chime().seconds


def _record(folder: Path, lang: str, name: str, say: str, rate: int = RATE) -> None:
    """A hall's recording of one word (espeak-ng stands in for the person recording it)."""
    (folder / lang).mkdir(parents=True, exist_ok=True)
    voice = "cmn-latn-pinyin" if lang == "zh-CN" else "en"
    target = folder / lang / f"{name}.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(target), say], check=True)
    if rate != RATE:  # recorded on another device: 44.1 kHz stereo
        raw = target.with_suffix(".raw.wav")
        target.rename(raw)
        subprocess.run(["sox", str(raw), "-r", str(rate), "-c", "2", str(target)], check=True)
        raw.unlink()


@pytest.fixture
def clips(tmp_path) -> Path:
    if not (shutil.which("espeak-ng") and shutil.which("sox")):
        pytest.skip("espeak-ng and sox make the stand-in recordings")
    folder = tmp_path / "clips"
    for word, say in [("请", "qing3"), ("号", "hao4"), ("到", "dao4"), ("窗口", "chuang1 kou3"),
                      ("办理", "ban4 li3"), ("A", "A")]:  # fmt: skip
        _record(folder, "zh-CN", word, say, rate=44100 if word == "窗口" else RATE)
    for digit, say in enumerate(ZH_DIGITS):
        _record(folder, "zh-CN", str(digit), say)
    return folder


def test_a_halls_recordings_replace_the_synthesizer(clips):
    voice = Voice(AnnounceSettings(langs=("zh-CN",), repeat=2, clips=str(clips)))
    call = voice.call("A023", 5)
    names = [Path(p).stem for p in call.commands[0].split()[1:]]
    assert names == ["请", "A", "0", "2", "3", "号", "到", "5", "号", "窗口", "办理"]
    assert 3 < call.seconds < 12
    assert call.sound.pcm.startswith(chime().pcm[:4410])  # no chime of its own: the built-in
    own = Voice().say("ding dong", "en").sound  # the hall's chime
    (clips / "chime.wav").write_bytes(own.wav())
    call = Voice(AnnounceSettings(langs=("zh-CN",), clips=str(clips))).call("A023", 5)
    assert call.sound.pcm.startswith(own.trimmed().pcm)


def test_a_missing_recording_is_named(clips):
    voice = Voice(AnnounceSettings(langs=("zh-CN",), clips=str(clips)))
    with pytest.raises(Refused) as refused:
        voice.call("B023", 5)
    assert refused.value.message == f"missing recording {clips / 'zh-CN' / 'B.wav'}"
    with pytest.raises(Refused, match="no recordings folder"):
        Voice(AnnounceSettings(clips=str(clips / "nowhere"))).call("A023", 5)
