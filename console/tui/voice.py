"""Spoken announcements for the board ("请 A023 号到 5 号窗口") through a text-to-speech
program such as espeak-ng: off unless asked for, silently unavailable when the program is
not installed, and never on the screen's thread (the board calls ``say`` from a worker)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import threading

TIMEOUT_S = 20.0
"""Longest one announcement may speak; a stuck engine is killed."""


class Announcer:
    """Speaks one text at a time with ``command`` (its text is the last argument)."""

    def __init__(self, command: str = "espeak-ng") -> None:
        self.argv = shlex.split(command) or ["espeak-ng"]
        self.program = shutil.which(self.argv[0])
        self._lock = threading.Lock()
        self.spoken: list[str] = []
        """Texts spoken so far (for the status line and the tests)."""

    @property
    def available(self) -> bool:
        return self.program is not None

    def _args(self, text: str, lang: str) -> list[str]:
        argv = [self.program or self.argv[0], *self.argv[1:]]
        if os.path.basename(argv[0]).startswith("espeak") and "-v" not in argv:
            argv += ["-v", "cmn" if lang.startswith("zh") else "en"]
        return [*argv, text]

    def say(self, text: str, lang: str) -> bool:
        """Speak ``text`` (blocking: call from a worker thread); False when it failed."""
        if not self.available:
            return False
        with self._lock:  # one voice at a time, in call order
            try:
                subprocess.run(self._args(text, lang), stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               timeout=TIMEOUT_S, check=False)  # fmt: skip
            except (OSError, subprocess.SubprocessError):
                return False
            self.spoken.append(text)
            return True
