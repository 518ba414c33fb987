"""Test helpers: a fake network printer and a reader for the ESC/POS bytes it receives.

``FakePrinter`` listens on 127.0.0.1 (a free port), keeps every byte it
receives and answers DLE EOT status queries like a printer in the chosen
state. Reception and desk tests use it as a printer that never needs paper::

    with FakePrinter() as fake:
        config = PrinterConfig("desk", "network", fake.address)
        print_slip(config, slip)
        assert "A023" in fake.parsed().lines

Modes: online, near_end, paper_out, cover_open, offline, no_answer (takes
bytes, never answers), refused (nothing listens on the port), drop (answers
the first status query, then resets the connection after ``drop_after``
bytes), runs_out (paper ok before the job, out after it).

``bytes_per_s`` makes it take bytes no faster than a slow printer or link, so a
job lasts a while; ``kill()`` is the printer switched off mid-job: every
connection is reset and nothing listens any more.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from dataclasses import dataclass, field

from PIL import Image

from printers.status import answer_bytes

MODES = (
    "online", "near_end", "paper_out", "cover_open", "offline", "no_answer", "refused", "drop",
    "runs_out",
)  # fmt: skip

_STATES = {
    "online": {},
    "near_end": {"paper": "near_end"},
    "paper_out": {"paper": "out"},
    "cover_open": {"cover_open": True},
    "offline": {"online": False},
    "drop": {},
    "runs_out": {},
}
QUERIES_BEFORE_THE_JOB = 3
"""DLE EOT 1, 2 and 4: the status asked before a job's bytes."""


class FakePrinter:
    """A thread-served TCP printer on 127.0.0.1 that records bytes and answers status."""

    def __init__(
        self, mode: str = "online", *, drop_after: int = 40, bytes_per_s: float | None = None
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.mode = mode
        self.drop_after = drop_after
        self.bytes_per_s = bytes_per_s
        self._open: list[socket.socket] = []
        self.connections: list[bytearray] = []
        self.queries = 0
        self.open_now = 0
        self.most_open = 0
        """The most connections open at once: 1 when jobs took turns."""
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        self._stop = threading.Event()
        self.port = 0

    # -- life cycle ---------------------------------------------------------
    def start(self) -> FakePrinter:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        self.port = listener.getsockname()[1]
        if self.mode == "refused":
            listener.close()  # nothing listens: connections are refused
            return self
        listener.listen(64)
        listener.settimeout(0.1)
        self._listener = listener
        thread = threading.Thread(target=self._accept, name="fake-printer", daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=2)
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def kill(self) -> None:
        """Switched off mid-job: reset every open connection and stop listening."""
        self._stop.set()
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._lock:
            open_now = list(self._open)
        for conn in open_now:
            try:
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                conn.close()
            except OSError:
                pass

    def __enter__(self) -> FakePrinter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    # -- what was received --------------------------------------------------
    @property
    def received(self) -> bytes:
        """Every byte of every connection, in order."""
        with self._lock:
            return b"".join(bytes(c) for c in self.connections)

    def wait_for(self, count: int, timeout: float = 2.0) -> bytes:
        """Wait until at least ``count`` bytes have arrived (the sender may not have waited)."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.005)
        return self.received

    def job_bytes(self) -> bytes:
        """Received bytes with the status queries taken out: what would be printed."""
        data = self.received
        for n in (1, 2, 3, 4):
            data = data.replace(b"\x10\x04" + bytes((n,)), b"")
        return data

    def parsed(self, encoding: str = "gb18030") -> ParsedJob:
        return parse_escpos(self.job_bytes(), encoding)

    # -- serving ------------------------------------------------------------
    def _accept(self) -> None:
        assert self._listener is not None
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket) -> None:
        buffer = bytearray()
        with self._lock:
            self.connections.append(buffer)
            self._open.append(conn)
            self.open_now += 1
            self.most_open = max(self.most_open, self.open_now)
        try:
            self._converse(conn, buffer)
        finally:
            with self._lock:
                self.open_now -= 1
                self._open.remove(conn)

    def _converse(self, conn: socket.socket, buffer: bytearray) -> None:
        scanned = 0
        asked = 0
        conn.settimeout(0.1)
        with conn:
            while True:
                try:
                    chunk = conn.recv(1024 if self.bytes_per_s else 4096)
                    if self.bytes_per_s and chunk:
                        time.sleep(len(chunk) / self.bytes_per_s)
                except TimeoutError:
                    if self._stop.is_set():
                        return
                    continue
                except OSError:
                    return
                if not chunk:
                    return
                if self.mode == "drop" and len(buffer) + len(chunk) > self.drop_after:
                    with self._lock:
                        buffer += chunk[: max(0, self.drop_after - len(buffer))]
                    # RST rather than FIN: the connection breaks, as when a printer resets.
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    return
                with self._lock:
                    buffer += chunk
                answers = bytearray()
                while True:
                    at = buffer.find(b"\x10\x04", scanned)
                    if at < 0 or at + 2 >= len(buffer):
                        scanned = max(scanned, len(buffer) - 2) if at < 0 else at
                        break
                    n = buffer[at + 2]
                    scanned = at + 3
                    if n in (1, 2, 3, 4) and self.mode != "no_answer":
                        self.queries += 1
                        asked += 1
                        state = _STATES[self.mode]
                        if self.mode == "runs_out" and asked > QUERIES_BEFORE_THE_JOB:
                            state = {"paper": "out"}
                        answers.append(answer_bytes(**state)[n])
                if answers:
                    try:
                        conn.sendall(bytes(answers))
                    except OSError:
                        return


# -- reading ESC/POS ---------------------------------------------------------


@dataclass
class ParsedJob:
    """What a stream of ESC/POS bytes would print, as far as tests care."""

    lines: list[str] = field(default_factory=list)
    """Text lines, decoded from the printer's encoding."""
    images: list[tuple[int, int, bytes]] = field(default_factory=list)
    """GS v 0 bands: (width in bytes, height, packed rows)."""
    qr: list[str] = field(default_factory=list)
    """Data stored for native QR codes (GS ( k)."""
    cuts: int = 0
    commands: list[str] = field(default_factory=list)
    """Command names in order (ESC @, FS &, GS !, ...), for checks on modes."""
    sizes: list[tuple[int, int]] = field(default_factory=list)
    """Every GS ! size set, as (width, height) multipliers."""
    line_sizes: list[tuple[int, int]] = field(default_factory=list)
    """The GS ! size each of ``lines`` was printed in."""

    def image(self) -> Image.Image | None:
        """The GS v 0 bands stacked into one mode "1" image (1 = black dot), or None."""
        if not self.images:
            return None
        width = max(w for w, _h, _d in self.images) * 8
        height = sum(h for _w, h, _d in self.images)
        image = Image.new("1", (width, height), 0)
        top = 0
        for w, h, data in self.images:
            band = Image.frombytes("1", (w * 8, h), data)
            image.paste(band, (0, top))
            top += h
        return image


_FIXED = {
    # prefix: (name, number of parameter bytes)
    b"\x1b@": ("ESC @", 0),
    b"\x1ba": ("ESC a", 1),
    b"\x1bE": ("ESC E", 1),
    b"\x1bd": ("ESC d", 1),
    b"\x1b2": ("ESC 2", 0),
    b"\x1b3": ("ESC 3", 1),
    b"\x1b!": ("ESC !", 1),
    b"\x1b-": ("ESC -", 1),
    b"\x1bt": ("ESC t", 1),
    b"\x1bM": ("ESC M", 1),
    b"\x1bJ": ("ESC J", 1),
    b"\x1d!": ("GS !", 1),
    b"\x1dB": ("GS B", 1),
    b"\x1c&": ("FS &", 0),
    b"\x1c.": ("FS .", 0),
    b"\x1c!": ("FS !", 1),
    b"\x10\x04": ("DLE EOT", 1),
}


def parse_escpos(data: bytes, encoding: str = "gb18030") -> ParsedJob:
    """Read the commands qconsole sends (and common others); text runs are decoded."""
    job = ParsedJob()
    text = bytearray()
    size = (1, 1)
    i = 0

    def flush_line() -> None:
        job.lines.append(text.decode(encoding, errors="replace"))
        job.line_sizes.append(size)
        text.clear()

    while i < len(data):
        two = data[i : i + 2]
        if two in _FIXED:
            name, params = _FIXED[two]
            job.commands.append(name)
            if name == "GS !":
                n = data[i + 2]
                size = ((n >> 4) + 1, (n & 0x0F) + 1)
                job.sizes.append(size)
            elif name == "ESC @":
                size = (1, 1)
            i += 2 + params
        elif data[i : i + 3] == b"\x1dv0":
            xl, xh, yl, yh = data[i + 4 : i + 8]
            w, h = xl | xh << 8, yl | yh << 8
            job.images.append((w, h, data[i + 8 : i + 8 + w * h]))
            job.commands.append("GS v 0")
            i += 8 + w * h
        elif data[i : i + 3] in (b"\x1d(k", b"\x1d(L"):
            length = data[i + 3] | data[i + 4] << 8
            body = data[i + 5 : i + 5 + length]
            job.commands.append("GS ( " + chr(data[i + 2]))
            if data[i + 2 : i + 3] == b"k" and body[:3] == b"1P0":
                job.qr.append(body[3:].decode("utf-8"))
            i += 5 + length
        elif two == b"\x1dV":
            m = data[i + 2]
            job.commands.append("GS V")
            job.cuts += 1
            i += 4 if m in (65, 66, 97, 98, 103, 104) else 3
        elif data[i] == 0x0A:
            flush_line()
            i += 1
        elif data[i] == 0x0D:
            i += 1
        elif data[i] in (0x1B, 0x1D, 0x1C, 0x10):
            job.commands.append(f"unknown {data[i : i + 2].hex()}")
            i += 2
        else:
            text.append(data[i])
            i += 1
    if text:
        flush_line()
    return job
