"""Spoken announcements: a call as the hall hears it ("请 A 零 二 三 号到 5 号窗口办理"), and
any short sentence in Chinese or English, as a WAV, from one place.

    from console.announce import Voice
    voice = Voice.for_hall(service.settings())       # the hall's templates, voice, clips
    voice.call("A023", 5).write("call.wav")           # chime + the call, said in turn
    voice.say("请在屏幕上选择办理事项", "zh-CN").wav     # bytes of a WAV: a kiosk's prompt
    voice.say("Please choose a service", "en", with_chime=True).commands  # espeak-ng lines

Nothing here imports a UI; synthesis runs a program and blocks, so screens call it from
a worker (:class:`console.announce.queue.CallQueue`), servers from a thread.
"""

from console.announce.sound import Sound
from console.announce.voice import SETTINGS, Announcement, AnnounceSettings, Voice
from console.announce.words import LANGS, Sentence, Word, sentence

__all__ = [
    "LANGS",
    "SETTINGS",
    "AnnounceSettings",
    "Announcement",
    "Sentence",
    "Sound",
    "Voice",
    "Word",
    "sentence",
]
