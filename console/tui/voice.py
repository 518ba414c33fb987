"""The board's voice (``qconsole board --voice``): every call and recall, in the order of
the hall's event log, announced through this machine's speakers as ``qconsole announce``
makes it (:mod:`console.announce`). One queue, spoken by one worker; the screen only
hands it calls, so it never waits for speech."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from console.announce import Announcement, Voice
from console.announce.clips import Recordings
from console.announce.player import find_player, play
from console.announce.queue import CallQueue
from console.domain import HallView
from console.domain.errors import QConsoleError, Refused

CALLS = ("called", "recalled")
"""The events a citizen is called by (a recall is said again)."""
WINDOW = 32
"""The latest calls the board reads while it speaks: enough to name every ticket called
between two of its reads however busy the hall."""


class BoardVoice:
    """Turns the hall's new calls into announcements on a :class:`CallQueue`."""

    def __init__(self, service: Any, player: str | None,
                 failed: Callable[[QConsoleError], object]) -> None:  # fmt: skip
        self.service = service
        self.player = player
        self.failed = failed
        self.queue: CallQueue | None = None
        self._after: int | None = None
        self._lock = threading.Lock()

    def start(self) -> CallQueue:
        """The queue, once this machine can speak (blocking: reads the hall's settings);
        QConsoleError saying what is missing."""
        voice = Voice.for_hall(self.service.settings())
        speaker = voice.speaker
        if not speaker.available:
            if isinstance(speaker, Recordings):
                raise Refused(reason="announce.no_clips", folder=str(speaker.folder))
            raise Refused(reason="announce.no_synthesizer", program=speaker.program)
        if find_player(self.player) is None:
            raise Refused(reason="announce.no_player")
        self.queue = CallQueue(voice, self._play, self.failed)
        return self.queue

    def _play(self, announcement: Announcement) -> None:
        play(announcement.wav, self.player)

    def follow(self, view: HallView) -> None:
        """Queue the calls made up to ``view`` since the last view (from the loading
        worker; the first view only sets where the board starts listening)."""
        with self._lock:
            if self._after is None or self.queue is None:
                self._after = view.as_of_event if self._after is None else self._after
                return
            if view.as_of_event <= self._after:
                return
            numbers = {t.id: t.number for t in view.recent_calls}
            events = self.service.changes_since(self._after)
            for event in events:
                if event.id > view.as_of_event:
                    break
                if event.kind == "setting.changed" and any(
                    name.startswith("announce_") for name in event.changes
                ):  # a new template or voice is heard from the next call on
                    self.queue.voice = Voice.for_hall(self.service.settings())
                number = numbers.get(event.ticket_id)
                if event.kind in CALLS and number and event.counter_number is not None:
                    self.queue.add(number, event.counter_number)
            self._after = view.as_of_event
