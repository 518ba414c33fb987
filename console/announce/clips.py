"""A hall's own recordings in place of the synthesizer: a folder of short WAV clips, one per
word, joined in the order the template says them.

    FOLDER/chime.wav              the chime (optional: else the built-in one)
    FOLDER/zh-CN/请.wav 号.wav 到.wav 窗口.wav 办理.wav
    FOLDER/zh-CN/0.wav … 9.wav 10.wav 100.wav 1000.wav   零 … 九 十 百 千
    FOLDER/zh-CN/A.wav … Z.wav
    FOLDER/en/number.wav please.wav go.wav to.wav counter.wav
    FOLDER/en/0.wav … 19.wav 20.wav 30.wav … 90.wav 100.wav 1000.wav and.wav
    FOLDER/en/A.wav … Z.wav

A Chinese run of the template is cut into the longest clips there are (窗口 if recorded,
else 窗 and 口). Clips in another WAV format (44.1 kHz, stereo, 24-bit) are converted with
sox; a missing clip is named, never skipped.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from console.announce.sound import RATE, Sound, join, read_wav, silence
from console.announce.words import Sentence, Word
from console.domain.errors import Refused

PAUSE_S = 0.25
"""A comma's silence between clips."""
CHIME = "chime.wav"


class Recordings:
    """The clips of one folder; each read (and converted) once while its file is unchanged."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder).expanduser()
        self._cache: dict[Path, tuple[tuple[int, int], Sound]] = {}

    @property
    def available(self) -> bool:
        return self.folder.is_dir()

    def chime(self) -> Sound | None:
        """The hall's own chime, or None when it recorded none."""
        path = self.folder / CHIME
        return self._clip(path) if path.is_file() else None

    def speak(self, sentences: list[Sentence]) -> tuple[list[Sound], list[str]]:
        """Each sentence as its clips joined, and for each the clips it used (one line)."""
        if not self.available:
            raise Refused(reason="announce.no_clips", folder=str(self.folder))
        sounds, shown = [], []
        for sentence in sentences:
            paths = self.clips(sentence)
            pieces = [silence(PAUSE_S) if path is None else self._clip(path) for path in paths]
            sounds.append(join(pieces))
            shown.append("clips " + " ".join(str(p) if p else "," for p in paths))
        return sounds, shown

    def clips(self, sentence: Sentence) -> list[Path | None]:
        """The clip files of ``sentence`` in order (None for a pause)."""
        folder = self.folder / sentence.lang
        names = {p.stem.lower(): p for p in folder.glob("*.wav")} if folder.is_dir() else {}
        out: list[Path | None] = []
        for word in sentence.words:
            if word.pause:
                if out and out[-1] is not None:
                    out.append(None)
            elif sentence.lang == "zh-CN" and not word.text.isascii():
                out += self._cut(word, names, folder)
            else:
                out.append(self._named(word.text, names, folder))
        return out

    def _cut(self, word: Word, names: dict[str, Path], folder: Path) -> list[Path | None]:
        """A run of Chinese characters in the longest recorded pieces, left to right."""
        out: list[Path | None] = []
        text, at = word.text, 0
        while at < len(text):
            for end in range(len(text), at, -1):
                if text[at:end].lower() in names:
                    out.append(names[text[at:end].lower()])
                    at = end
                    break
            else:
                raise Refused(reason="announce.no_clip", clip=str(folder / f"{text[at]}.wav"))
        return out

    def _named(self, text: str, names: dict[str, Path], folder: Path) -> Path:
        found = names.get(text.lower())
        if found is None:
            raise Refused(reason="announce.no_clip", clip=str(folder / f"{text}.wav"))
        return found

    def _clip(self, path: Path) -> Sound:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = self._cache.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        sound = read_wav(path.read_bytes()) or _converted(path)
        sound = sound.trimmed()
        self._cache[path] = (stamp, sound)
        return sound


def _converted(path: Path) -> Sound:
    """A clip in another format, as 16-bit mono at the announcements' rate (by sox)."""
    if shutil.which("sox") is None:
        raise Refused(reason="announce.clip_format", clip=str(path), rate=RATE)
    with tempfile.TemporaryDirectory(prefix="qconsole-clip-") as scratch:
        out = Path(scratch, "clip.wav")
        argv = ["sox", str(path), "-r", str(RATE), "-c", "1", "-b", "16", str(out)]
        run = subprocess.run(argv, capture_output=True, timeout=30, check=False)
        sound = read_wav(out.read_bytes()) if run.returncode == 0 and out.exists() else None
    if sound is None:
        raise Refused(reason="announce.clip_format", clip=str(path), rate=RATE)
    return sound
