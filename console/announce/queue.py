"""The board's announcements: one queue, in call order, spoken by one worker thread so the
screen never waits. Speech is slower than a busy hall: a call that has another waiting
behind it is said once (one repeat) instead of the hall's full count, so the queue keeps
up without dropping anyone; the newest call is said in full. A recall is a new call."""

from __future__ import annotations

import collections
import threading
from collections.abc import Callable
from dataclasses import dataclass

from console.announce.voice import Announcement, Voice
from console.domain.errors import QConsoleError

WAKE_S = 0.5
"""How often an idle worker looks whether its screen has gone."""


@dataclass(frozen=True)
class Call:
    """One call to announce."""

    number: str
    counter: int


@dataclass(frozen=True)
class Spoken:
    """A call as it was announced: ``turns`` sayings (1 when it was shortened)."""

    call: Call
    turns: int


class CallQueue:
    """Calls waiting to be announced; :meth:`run` (in a worker thread) speaks them."""

    def __init__(
        self,
        voice: Voice,
        play: Callable[[Announcement], object],
        failed: Callable[[QConsoleError], object] = lambda _exc: None,
    ) -> None:
        self.voice = voice
        self.play = play
        self.failed = failed
        """Told of a call that could not be spoken (the board shows it; the queue goes on)."""
        self.spoken: list[Spoken] = []
        """Every call announced so far, in order (the status and the tests read it)."""
        self._waiting: collections.deque[Call] = collections.deque()
        self._ready = threading.Condition()
        self._closed = False

    def add(self, number: str, counter: int) -> None:
        """Announce this call after those already waiting (never blocks)."""
        with self._ready:
            self._waiting.append(Call(number, counter))
            self._ready.notify()

    def close(self) -> None:
        """Stop after the announcement playing now; the waiting calls are not said."""
        with self._ready:
            self._closed = True
            self._ready.notify()

    @property
    def waiting(self) -> int:
        with self._ready:
            return len(self._waiting)

    def run(self, cancelled: Callable[[], bool] = lambda: False) -> None:
        """Speak each call in turn until closed (or ``cancelled()``): the worker's body."""
        while True:
            with self._ready:
                while not self._waiting and not self._closed and not cancelled():
                    self._ready.wait(WAKE_S)
                if self._closed or cancelled():
                    return
                call = self._waiting.popleft()
                behind = bool(self._waiting)
            self._speak(call, 1 if behind else None)

    def _speak(self, call: Call, repeat: int | None) -> None:
        try:
            announcement = self.voice.call(call.number, call.counter, repeat=repeat)
            self.play(announcement)
        except QConsoleError as exc:
            self.failed(exc)
            return
        self.spoken.append(Spoken(call, len(announcement.sentences)))
