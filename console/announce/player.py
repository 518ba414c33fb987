"""Playing an announcement's WAV through the machine's speakers, with whichever player it
has: ALSA's aplay, PulseAudio's paplay, PipeWire's pw-play or sox's play (or the one a
hall names). Playing blocks until the sound ends: call it from a worker."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from console.domain.errors import Refused

PLAYERS = ("aplay -q", "paplay", "pw-play", "play -q")
"""Tried in this order; the WAV file is the last argument."""
TIMEOUT_S = 60.0
"""Longest one announcement may play; a stuck player is stopped."""


def find_player(command: str | None = None) -> list[str] | None:
    """The player's command line (``command``, else the first installed), or None."""
    for candidate in [command] if command else PLAYERS:
        argv = shlex.split(candidate)
        if argv and shutil.which(argv[0]):
            return argv
    return None


def play(wav: bytes, command: str | None = None) -> list[str]:
    """Play ``wav`` to the end; the command line that played it."""
    argv = find_player(command)
    if argv is None:
        raise Refused(reason="announce.no_player")
    with tempfile.TemporaryDirectory(prefix="qconsole-play-") as scratch:
        path = Path(scratch, "announcement.wav")
        path.write_bytes(wav)
        try:
            run = subprocess.run([*argv, str(path)], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                 timeout=TIMEOUT_S, check=False)  # fmt: skip
        except (OSError, subprocess.SubprocessError) as exc:
            raise Refused(reason="announce.play_failed", detail=str(exc)) from exc
    if run.returncode != 0:
        detail = run.stderr.decode("utf-8", "replace").strip() or f"exit {run.returncode}"
        raise Refused(reason="announce.play_failed", detail=detail.splitlines()[-1])
    return argv
