"""Speech from espeak-ng: Chinese as tone-numbered pinyin with the ``cmn-latn-pinyin`` voice
(the ``cmn`` voice reads every Latin letter, pinyin included, as English), English with
``en``. Each sentence is one command line, run in a scratch folder so the line a hall is
shown (``qconsole announce --show``) is exactly the one that ran."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from console.announce.sound import Sound, read_wav
from console.announce.words import Sentence
from console.domain.errors import Refused

PROGRAM = "espeak-ng"
VOICES = {"zh-CN": "cmn-latn-pinyin", "en": "en"}
AMPLITUDES = {"zh-CN": 75, "en": 100}
"""espeak-ng's loudness (-a, its default 100): its Mandarin voice at 100 peaks at full
scale and clips; at 75 it peaks at -1.4 dB and is as loud as its English at 100."""
TIMEOUT_S = 20.0
"""Longest one sentence may take to synthesize; a stuck synthesizer is stopped."""


class Espeak:
    """espeak-ng writing each sentence to a WAV (``-w``) at ``rate_wpm`` words a minute."""

    def __init__(self, rate_wpm: int, program: str = PROGRAM) -> None:
        self.rate_wpm = rate_wpm
        self.program = program

    @property
    def available(self) -> bool:
        return shutil.which(self.program) is not None

    def command(self, sentence: Sentence, out: str) -> list[str]:
        """The command line that writes ``sentence`` to the WAV file ``out``."""
        lang = sentence.lang
        return [self.program, "-v", VOICES[lang], "-a", str(AMPLITUDES[lang]),
                "-s", str(self.rate_wpm), "-w", out, sentence.text]  # fmt: skip

    def speak(self, sentences: list[Sentence]) -> tuple[list[Sound], list[str]]:
        """Each sentence's speech (silence trimmed), and the command lines that made them."""
        if not self.available:
            raise Refused(reason="announce.no_synthesizer", program=self.program)
        sounds, shown = [], []
        with tempfile.TemporaryDirectory(prefix="qconsole-announce-") as scratch:
            for i, sentence in enumerate(sentences, 1):
                name = f"{sentence.lang}-{i}.wav"
                argv = self.command(sentence, name)
                try:
                    run = subprocess.run(
                        argv,
                        cwd=scratch,
                        stdin=subprocess.DEVNULL,
                        capture_output=True,
                        timeout=TIMEOUT_S,
                        check=False,
                    )
                except (OSError, subprocess.SubprocessError) as exc:
                    raise Refused(reason="announce.synth_failed", program=self.program,
                                  detail=str(exc)) from exc  # fmt: skip
                wav = Path(scratch, name)
                sound = read_wav(wav.read_bytes()) if wav.exists() else None
                if run.returncode != 0 or sound is None:
                    detail = (
                        run.stderr.decode("utf-8", "replace").strip() or f"exit {run.returncode}"
                    )
                    raise Refused(reason="announce.synth_failed", program=self.program,
                                  detail=detail)  # fmt: skip
                sounds.append(sound.trimmed())
                shown.append(shlex.join(argv))
        return sounds, shown
