"""One announcement, built once: the board, the web board, ``qconsole announce`` and any
page that speaks (a kiosk's prompt) all make their sound here, from the hall's settings.

A call is a chime, then the template said ``repeat`` times with a pause between, the
languages taking turns (zh-CN, en: Chinese, then English), by espeak-ng or by the hall's
own recordings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from console.announce.clips import Recordings
from console.announce.sound import Sound, chime, join, silence
from console.announce.synth import Espeak
from console.announce.words import DEFAULT_TEMPLATES, Sentence, lang_of, sentence
from console.domain.errors import BadInput

SETTINGS: dict[str, Any] = {
    "announce_template_zh": DEFAULT_TEMPLATES["zh-CN"],
    "announce_template_en": DEFAULT_TEMPLATES["en"],
    "announce_langs": "zh-CN,en",
    "announce_repeat": 2,
    "announce_pause_ms": 600,
    "announce_rate_wpm": 160,
    "announce_clips": "",
}
"""The hall settings of announcements and their defaults (``qconsole settings set``)."""
TEMPLATE_SETTING = {"zh-CN": "announce_template_zh", "en": "announce_template_en"}
CHIME_GAP_S = 0.3
"""Silence between the chime and the first word."""


def parse_langs(value: str) -> tuple[str, ...]:
    """'zh-CN,en' -> ('zh-CN', 'en'): the languages taking turns, in order."""
    langs = tuple(lang_of(part) for part in str(value).split(",") if part.strip())
    if not langs:
        raise BadInput(reason="announce.bad_lang", lang=repr(value))
    return langs


def checked_announce_setting(name: str, value: str) -> str:
    """A text setting of announcements as stored, or BadInput: a template that says a call
    with a sample number and counter, a list of languages."""
    if name == "announce_langs":
        return ",".join(parse_langs(value))
    for lang, setting in TEMPLATE_SETTING.items():
        if name == setting:
            sentence(value, lang, "A023", 5)
    return value


@dataclass(frozen=True)
class AnnounceSettings:
    """How a hall announces: its templates, languages, repeats, pause, speed, recordings."""

    templates: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_TEMPLATES))
    langs: tuple[str, ...] = ("zh-CN", "en")
    repeat: int = 2
    pause_s: float = SETTINGS["announce_pause_ms"] / 1000
    rate_wpm: int = SETTINGS["announce_rate_wpm"]
    clips: str = ""
    """A folder of the hall's recordings; empty: the synthesizer speaks."""

    @classmethod
    def from_hall(cls, settings: dict[str, Any]) -> AnnounceSettings:
        """From the hall's settings (``service.settings()``); missing ones take defaults."""
        values = {**SETTINGS, **{k: v for k, v in settings.items() if k in SETTINGS}}
        return cls(
            templates={lang: str(values[name]) for lang, name in TEMPLATE_SETTING.items()},
            langs=parse_langs(values["announce_langs"]),
            repeat=int(values["announce_repeat"]),
            pause_s=int(values["announce_pause_ms"]) / 1000,
            rate_wpm=int(values["announce_rate_wpm"]),
            clips=str(values["announce_clips"] or ""),
        )


@dataclass(frozen=True)
class Announcement:
    """What is played: the sound, the sentences said, and the command lines that made them
    (espeak-ng's, or the clips joined)."""

    sound: Sound
    sentences: tuple[Sentence, ...]
    commands: tuple[str, ...]

    @property
    def wav(self) -> bytes:
        return self.sound.wav()

    @property
    def seconds(self) -> float:
        return self.sound.seconds

    def write(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_bytes(self.wav)
        return path


class Voice:
    """Speaks for a hall: ``call`` for a ticket's call, ``say`` for any short sentence."""

    def __init__(self, settings: AnnounceSettings | None = None) -> None:
        self.settings = settings or AnnounceSettings()
        self.speaker: Espeak | Recordings = (
            Recordings(self.settings.clips) if self.settings.clips
            else Espeak(self.settings.rate_wpm)
        )  # fmt: skip

    @classmethod
    def for_hall(cls, hall_settings: dict[str, Any]) -> Voice:
        """The voice of a hall's settings (``service.settings()``)."""
        return cls(AnnounceSettings.from_hall(hall_settings))

    def call(self, number: str, counter: int, *, langs: tuple[str, ...] | None = None,
             repeat: int | None = None) -> Announcement:  # fmt: skip
        """Ticket ``number`` to ``counter``: the chime, then said ``repeat`` times (the hall's
        setting unless given), the ``langs`` taking turns."""
        langs = tuple(lang_of(lang) for lang in langs) if langs else self.settings.langs
        turns = max(1, self.settings.repeat if repeat is None else repeat)
        said = {lang: sentence(self.settings.templates[lang], lang, number, counter)
                for lang in langs}  # fmt: skip
        order = [said[langs[i % len(langs)]] for i in range(turns)]
        return self._speak(order, with_chime=True)

    def say(self, text: str, lang: str, *, with_chime: bool = False, number: str | None = None,
            counter: int | None = None) -> Announcement:  # fmt: skip
        """Any short sentence or template in ``lang`` (``{number}`` and ``{counter}`` filled
        as a call fills them), said once: a kiosk's prompt, a hall's notice."""
        return self._speak([sentence(text, lang, number, counter)], with_chime=with_chime)

    def _speak(self, order: list[Sentence], *, with_chime: bool) -> Announcement:
        distinct = list(dict.fromkeys(order))  # each sentence made once, however often said
        sounds, commands = self.speaker.speak(distinct)
        spoken = dict(zip(distinct, sounds, strict=True))
        pieces: list[Sound] = []
        if with_chime:
            own = self.speaker.chime() if isinstance(self.speaker, Recordings) else None
            pieces += [own or chime(), silence(CHIME_GAP_S)]
        for i, said in enumerate(order):
            if i:
                pieces.append(silence(self.settings.pause_s))
            pieces.append(spoken[said])
        return Announcement(join(pieces), tuple(order), tuple(commands))
