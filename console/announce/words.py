"""What an announcement says, word by word, before any sound is made.

A hall speaks a ticket number letter by letter and digit by digit ("A 零 二 三", never
"A 二十三") and a counter as a number ("十二 号窗口"). Chinese goes to the synthesizer as
tone-numbered pinyin (a voice reading Chinese characters it cannot read falls back to
English), and each word keeps the text it was written as, which is also the name of the
hall's own recording of it (:mod:`console.announce.clips`).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from console.domain.errors import BadInput

LANGS = ("zh-CN", "en")
FIELDS = ("number", "counter")
"""The placeholders a call's template may use."""
DEFAULT_TEMPLATES = {
    "zh-CN": "请 {number} 号到 {counter} 号窗口办理",
    "en": "Number {number}, please go to counter {counter}",
}

ZH_DIGITS = ("ling2", "yi1", "er4", "san1", "si4", "wu3", "liu4", "qi1", "ba1", "jiu3")
"""零 一 二 三 四 五 六 七 八 九, as a digit is read alone (一 is yi1, never yao1 or yi2)."""
ZH_UNITS = ((1000, "qian1"), (100, "bai3"), (10, "shi2"))
"""千 百 十 and their clip names (the value: 1000, 100, 10)."""
EN_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
EN_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
            "seventeen", "eighteen", "nineteen")  # fmt: skip
EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
COUNTER_MAX = 9999
NUMBER_SHAPE = re.compile(r"[A-Z0-9]{1,12}")
"""A ticket number as spoken: letters and digits (prefixes are 1-3 letters A-Z)."""
RUNS = re.compile(r"(?P<han>[\u3400-\u9fff]+)|(?P<digits>[0-9]+)|(?P<latin>[A-Za-z]+)"
                  r"|(?P<pause>[,，、;；:：.。!！?？]+)|(?P<other>\S)")  # fmt: skip
"""How literal Chinese text splits: characters, numbers, Latin letters, pauses."""
PAUSE_WORD = ","
"""What a pause is to the synthesizer (and a short silence between clips)."""


@dataclass(frozen=True)
class Word:
    """One thing said: ``text`` as written (and the name of its recording), ``say`` what the
    synthesizer reads, ``pause`` when it is a break between words rather than a sound."""

    text: str
    say: str
    pause: bool = False


@dataclass(frozen=True)
class Sentence:
    """The words of one sentence in one language."""

    lang: str
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        """The sentence as the synthesizer reads it (pinyin for Chinese), a pause a comma."""
        parts: list[str] = []
        for word in self.words:
            if not word.pause:
                parts.append(word.say)
            elif parts and not parts[-1].endswith(PAUSE_WORD):
                parts[-1] += PAUSE_WORD
        return " ".join(parts).rstrip(PAUSE_WORD)


def lang_of(lang: str) -> str:
    """'zh', 'zh-CN', 'zh_CN' -> 'zh-CN'; 'en', 'en-US' -> 'en'."""
    low = (lang or "").strip().lower().replace("_", "-")
    if low.startswith("zh") or low == "cmn":
        return "zh-CN"
    if low.startswith("en"):
        return "en"
    raise BadInput(reason="announce.bad_lang", lang=repr(lang))


def spell_number(number: str, lang: str) -> list[Word]:
    """A ticket number letter by letter and digit by digit: A023 -> A 零 二 三."""
    shaped = (number or "").strip().upper().replace("-", "")
    if not NUMBER_SHAPE.fullmatch(shaped):
        raise BadInput(reason="announce.bad_number", number=repr(number))
    words = []
    for ch in shaped:
        if words and lang == "en":  # "A, zero, two": a letter before a word is not "a"
            words.append(Word(",", PAUSE_WORD, pause=True))
        if ch.isdigit():
            say = ZH_DIGITS[int(ch)] if lang == "zh-CN" else EN_DIGITS[int(ch)]
            words.append(Word(ch, say))
        else:
            words.append(Word(ch, ch))  # both voices name a capital letter alone
    return words


def numeral(n: int, lang: str) -> list[Word]:
    """``n`` (0-9999) as a number is said: 12 -> 十 二 (shi2 er4), twelve; 105 -> 一 百 零 五,
    one hundred and five. Each word's text is its value, the name of its recording."""
    if not 0 <= n <= COUNTER_MAX:
        raise BadInput(reason="announce.bad_counter", counter=n, max=COUNTER_MAX)
    return _zh_numeral(n) if lang == "zh-CN" else _en_numeral(n)


def _zh_numeral(n: int) -> list[Word]:
    if n < 10:
        return [Word(str(n), ZH_DIGITS[n])]
    words: list[Word] = []
    rest, gap = n, False
    for unit, say in ZH_UNITS:
        digit, rest = divmod(rest, unit)
        if digit:
            if gap:
                words.append(Word("0", ZH_DIGITS[0]))
            if not (unit == 10 and digit == 1 and not words):  # 十二, not 一十二
                words.append(Word(str(digit), ZH_DIGITS[digit]))
            words.append(Word(str(unit), say))
            gap = False
        elif words:
            gap = True
    if rest:
        if gap:
            words.append(Word("0", ZH_DIGITS[0]))
        words.append(Word(str(rest), ZH_DIGITS[rest]))
    return words


def _en_numeral(n: int) -> list[Word]:
    if n < 10:
        return [Word(str(n), EN_DIGITS[n])]
    if n < 20:
        return [Word(str(n), EN_TEENS[n - 10])]
    if n < 100:
        tens, ones = divmod(n, 10)
        head = [Word(str(tens * 10), EN_TENS[tens])]
        return head + ([Word(str(ones), EN_DIGITS[ones])] if ones else [])
    words: list[Word] = []
    for unit, name in ((1000, "thousand"), (100, "hundred")):
        count, n = divmod(n, unit)
        if count:
            words += [*_en_numeral(count), Word(str(unit), name)]
    return words + ([Word("and", "and"), *_en_numeral(n)] if n else [])


def template_fields(template: str) -> list[str]:
    """The placeholders of ``template``; BadInput unless each is a bare ``{number}`` or
    ``{counter}`` (no format spec, no conversion, no attribute)."""
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(template)
                  if name is not None]  # fmt: skip
    except ValueError:
        fields = [("", None, None)]
    if any(name not in FIELDS or spec or conv for name, spec, conv in fields):
        raise BadInput(reason="announce.bad_template", template=repr(template),
                       fields="{number} {counter}")  # fmt: skip
    return [name for name, _, _ in fields]


def sentence(template: str, lang: str, number: str | None = None,
             counter: int | None = None) -> Sentence:  # fmt: skip
    """The words of ``template`` in ``lang`` with its ``{number}`` and ``{counter}``:
    a call's announcement, or any short sentence (a kiosk's prompt) without fields."""
    lang = lang_of(lang)
    fields = template_fields(template)
    if ("number" in fields and number is None) or ("counter" in fields and counter is None):
        raise BadInput(reason="announce.missing_field", template=repr(template))
    words: list[Word] = []
    for literal, name, _, _ in string.Formatter().parse(template):
        words += literal_words(literal, lang)
        if name == "number":
            words += spell_number(str(number), lang)
        elif name == "counter":
            words += numeral(int(str(counter)), lang)
    if not any(not w.pause for w in words):
        raise BadInput(reason="announce.empty", template=repr(template))
    return Sentence(lang, tuple(words))


def written(template: str, lang: str, number: str, counter: int) -> str:
    """The call as text for a voice of someone else's (a browser's speech synthesis): the
    template with the number's letters and digits apart, so it too reads them one by one."""
    lang = lang_of(lang)
    template_fields(template)
    apart = (" " if lang == "zh-CN" else ", ").join(str(number).upper())
    return template.format(number=apart, counter=counter)


def literal_words(text: str, lang: str) -> list[Word]:
    """Literal text of a template: Chinese characters as pinyin (in context, so 行 and 长
    are read right), numbers as numerals, Latin letters spelled, punctuation as a pause;
    English as it is written, word by word."""
    if lang == "en":
        return [_en_word(token) for token in re.findall(r"[^\s,.;:!?]+|[,.;:!?]+", text)]
    words: list[Word] = []
    for match in RUNS.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind == "han":
            from pypinyin import Style, lazy_pinyin  # its dictionaries load on first use

            syllables = lazy_pinyin(value, style=Style.TONE3, neutral_tone_with_five=True,
                                    tone_sandhi=True)  # fmt: skip
            words.append(Word(value, " ".join(syllables)))
        elif kind == "digits":
            words += numeral(int(value), lang) if len(value) <= 4 else spell_number(value, lang)
        elif kind == "latin":
            words += [Word(ch, ch) for ch in value.upper()]
        elif kind == "pause":
            words.append(Word(value, PAUSE_WORD, pause=True))
    return words


def _en_word(token: str) -> Word:
    if token[0] in ",.;:!?":
        return Word(token, PAUSE_WORD, pause=True)
    return Word(token, token)
