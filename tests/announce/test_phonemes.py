"""Listening with espeak-ng itself: its phoneme mode (``-x``) writes what the voice says.
No part of an announcement, nor any of 200 random whole announcements, may switch the
voice to another language (espeak-ng marks a switch as ``(en)``, ``(cmn)``...), and every
letter and digit of a ticket number must be read alone, as it is read by itself (never
"A 二十三" for A023)."""

from __future__ import annotations

import functools
import random
import re
import shutil
import string
import subprocess

import pytest

from console.announce.synth import VOICES
from console.announce.words import (
    DEFAULT_TEMPLATES,
    EN_DIGITS,
    ZH_DIGITS,
    Sentence,
    literal_words,
    numeral,
    sentence,
    spell_number,
)

pytestmark = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (.ci/run installs it)"
)

SWITCH = re.compile(r"\([a-z]{2,3}(-[a-z0-9]+)*\)")
"""How espeak-ng's phoneme output marks a change of language: (en), (cmn), (zh-yue)."""
LANGS = ("zh-CN", "en")


@functools.cache
def phonemes(lang: str, text: str) -> str:
    argv = ["espeak-ng", "-v", VOICES[lang], "-q", "-x", text]
    return subprocess.run(argv, capture_output=True, text=True, timeout=30, check=True).stdout


def words(output: str) -> list[str]:
    """The phoneme output's words (espeak-ng ends a Chinese syllable with ``_|``)."""
    return [w.replace("_|", "").rstrip("-_") for w in output.split() if w.replace("_|", "")]


def bare(word: str) -> str:
    """A word's sounds without stress and tone marks (a tone changes before another)."""
    return re.sub(r"[0-9',]", "", word)


def said(lang: str, text: str) -> list[str]:
    output = phonemes(lang, text)
    assert not SWITCH.search(output), f"{lang} {text!r} switches language: {output!r}"
    found = words(output)
    assert found, f"{lang} {text!r} says nothing"
    return found


def parts(lang: str) -> list[str]:
    """Everything an announcement is made of, as the synthesizer reads each."""
    letters = [w.say for ch in string.ascii_uppercase for w in spell_number(ch, lang)]
    digits = list(ZH_DIGITS if lang == "zh-CN" else EN_DIGITS)
    counters = [Sentence(lang, tuple(numeral(n, lang))).text for n in range(1, 100)]
    template = [w.say for w in literal_words(DEFAULT_TEMPLATES[lang].format(number="", counter=""),
                                             lang) if not w.pause]  # fmt: skip
    return letters + digits + counters + template


@pytest.mark.parametrize("lang", LANGS)
def test_no_part_of_an_announcement_switches_language(lang):
    for text in parts(lang):
        said(lang, text)


@pytest.mark.parametrize("lang", LANGS)
def test_each_letter_and_digit_is_one_word_of_its_own(lang):
    for ch in string.ascii_uppercase + string.digits:
        (word,) = [w.say for w in spell_number(ch, lang)]
        assert len(said(lang, word)) == 1, f"{lang} {ch}: {phonemes(lang, word)!r}"


@pytest.mark.parametrize("lang", LANGS)
def test_200_whole_announcements_say_every_digit_alone(lang):
    chance = random.Random(f"announce-{lang}")
    for _ in range(200):
        prefix = "".join(chance.choices(string.ascii_uppercase, k=chance.randint(1, 3)))
        number = prefix + f"{chance.randint(0, 999):03d}"
        counter = chance.randint(1, 99)
        spoken = sentence(DEFAULT_TEMPLATES[lang], lang, number, counter)
        heard = said(lang, spoken.text)
        read = [w for w in spoken.words if not w.pause for _ in w.say.split()]
        assert len(heard) == len(read), f"{spoken.text!r} was read as {heard}"
        for word, sound in zip(read, heard, strict=True):
            if word.text in number and word.text.isalnum() and len(word.text) == 1:
                alone = said(lang, word.say)
                assert bare(sound) == bare(alone[0]), (
                    f"{number}: {word.text} was read {sound!r}, alone it is {alone[0]!r}"
                )
