"""Sound as the announcements make it: 16-bit mono PCM at one rate (espeak-ng's own,
22,050 Hz), so pieces join by concatenation: a chime, speech, silences, WAV in and out.
Python's ``wave`` module does it all; nothing here runs a program."""

from __future__ import annotations

import io
import math
import sys
import wave
from array import array
from dataclasses import dataclass

RATE = 22050
"""Samples per second of every piece (espeak-ng's rate: its speech needs no conversion)."""
WIDTH = 2
"""Bytes per sample (16-bit)."""
QUIET = 300
"""Samples below this (about 1% of full scale) count as silence at a piece's ends."""
MARGIN_S = 0.03
"""Silence kept at each end of a trimmed piece, so no word starts with a click."""


@dataclass(frozen=True)
class Sound:
    """Mono 16-bit PCM at :data:`RATE`."""

    pcm: bytes

    @property
    def seconds(self) -> float:
        return len(self.pcm) / (RATE * WIDTH)

    def wav(self) -> bytes:
        """The sound as a WAV file's bytes."""
        out = io.BytesIO()
        with wave.open(out, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(WIDTH)
            w.setframerate(RATE)
            w.writeframes(self.pcm)
        return out.getvalue()

    def trimmed(self) -> Sound:
        """Without the silence a synthesizer or a recording leaves at its ends."""
        samples = _samples(self.pcm)
        start = next((i for i, s in enumerate(samples) if abs(s) >= QUIET), None)
        if start is None:
            return self
        end = len(samples) - next(i for i, s in enumerate(reversed(samples)) if abs(s) >= QUIET)
        margin = int(MARGIN_S * RATE)
        start, end = max(0, start - margin), min(len(samples), end + margin)
        return Sound(_pcm(samples[start:end]))


def silence(seconds: float) -> Sound:
    return Sound(bytes(WIDTH * int(max(0.0, seconds) * RATE)))


def join(pieces: list[Sound]) -> Sound:
    return Sound(b"".join(piece.pcm for piece in pieces))


def read_wav(data: bytes) -> Sound | None:
    """The PCM of a WAV already in the announcements' format; None for any other format
    (the caller converts it)."""
    try:
        with wave.open(io.BytesIO(data), "rb") as w:
            if (w.getnchannels(), w.getsampwidth(), w.getframerate()) != (1, WIDTH, RATE):
                return None
            return Sound(w.readframes(w.getnframes()))
    except (wave.Error, EOFError):
        return None


def chime() -> Sound:
    """A two-note "ding-dong" (E5, then C5 over its fading ring, each a bell's decaying
    partials): what tells the hall to listen before the words come."""
    length, second, fade = 1.1, 0.42, 0.05
    count = int(length * RATE)
    samples = [0.0] * count
    for freq, start in ((659.25, 0.0), (523.25, second)):
        first = int(start * RATE)
        for i in range(count - first):
            t = i / RATE
            envelope = math.exp(-4.0 * t) * min(1.0, i / (0.005 * RATE))
            samples[first + i] += envelope * (
                math.sin(2 * math.pi * freq * t)
                + 0.35 * math.sin(4 * math.pi * freq * t)
                + 0.12 * math.sin(6 * math.pi * freq * t)
            )
    tail = int(fade * RATE)
    for i in range(tail):  # no click where the chime stops
        samples[count - tail + i] *= 1 - i / tail
    return Sound(_pcm([int(10000 * value) for value in samples]))


def _samples(pcm: bytes) -> array:
    samples = array("h")
    samples.frombytes(pcm[: len(pcm) - len(pcm) % WIDTH])
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def _pcm(samples: list[int] | array) -> bytes:
    out = array("h", samples)
    if sys.byteorder == "big":
        out.byteswap()
    return out.tobytes()
