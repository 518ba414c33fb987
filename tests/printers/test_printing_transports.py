"""The other transports: file, serial (a pseudo-terminal), CUPS (a stand-in lp), USB."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from printers import (
    PrinterConfig,
    PrinterConfigError,
    PrinterNotFound,
    PrinterOffline,
    Timeouts,
    print_slip,
    render,
)
from printers.status import answer_bytes
from printers.transport import make_transport
from printers.transport.network import parse_address

FAST = Timeouts(connect=1.0, write=2.0, status=0.3)


def test_file_printer_appends_jobs(tmp_path, ticket, receipt):
    path = tmp_path / "printer.bin"
    cfg = PrinterConfig("file", "file", str(path), timeouts=FAST)
    first = print_slip(cfg, ticket)
    print_slip(cfg, receipt)
    assert path.read_bytes() == render(ticket) + render(receipt)
    assert not first.status_before.known and first.warning is None  # no status on a file


def test_file_device_that_never_answers(ticket):
    # /dev/null is a character device that reads as end of file: status unknown, job sent
    result = print_slip(PrinterConfig("null", "file", "/dev/null", timeouts=FAST), ticket)
    assert not result.status_before.known


def test_missing_device(ticket):
    with pytest.raises(PrinterNotFound, match="/dev/usb/lp9"):
        print_slip(PrinterConfig("lp9", "file", "/dev/usb/lp9", timeouts=FAST), ticket)


def test_serial_printer_on_a_pty(ticket):
    master, slave = os.openpty()
    received = bytearray()
    answers = answer_bytes(paper="near_end")

    def printer():
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                return
            if not chunk:
                return
            received.extend(chunk)
            for i in range(len(chunk) - 2):
                if chunk[i : i + 2] == b"\x10\x04":
                    os.write(master, bytes((answers[chunk[i + 2]],)))
            if len(received) >= 18 + len(render(ticket)):
                return

    thread = threading.Thread(target=printer, daemon=True)
    thread.start()
    cfg = PrinterConfig("serial", "serial", f"{os.ttyname(slave)}@115200", timeouts=FAST)
    result = print_slip(cfg, ticket)
    thread.join(timeout=2)
    os.close(slave)
    os.close(master)
    assert result.status_before.paper == "near_end"
    assert "paper near end" in result.warning
    assert render(ticket) in bytes(received)


def test_serial_port_missing(ticket):
    with pytest.raises(PrinterNotFound, match="ttyUSB9"):
        print_slip(PrinterConfig("s", "serial", "/dev/ttyUSB9", timeouts=FAST), ticket)


def _fake_cups(tmp_path: Path, monkeypatch, lpstat_out: str, lp_exit: int = 0) -> Path:
    spool = tmp_path / "spool.bin"
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "lp").write_text(
        f"#!/bin/sh\ncat > {spool}\necho 'lp: no such queue' >&2\nexit {lp_exit}\n"
    )
    (bindir / "lpstat").write_text(f"#!/bin/sh\necho '{lpstat_out}'\n")
    for tool in ("lp", "lpstat"):
        (bindir / tool).chmod(stat.S_IRWXU)
    monkeypatch.setenv("PATH", f"{bindir}:{os.environ['PATH']}")
    return spool


def test_cups_raw_queue(tmp_path, monkeypatch, ticket):
    spool = _fake_cups(tmp_path, monkeypatch, "printer Xp58 is idle.  enabled since today")
    print_slip(PrinterConfig("cups", "cups", "Xp58", timeouts=FAST), ticket)
    assert spool.read_bytes() == render(ticket)


def test_cups_disabled_queue_is_offline(tmp_path, monkeypatch, ticket):
    spool = _fake_cups(tmp_path, monkeypatch, "printer Xp58 disabled since today -")
    with pytest.raises(PrinterOffline, match="cupsenable"):
        print_slip(PrinterConfig("cups", "cups", "Xp58", timeouts=FAST), ticket)
    assert not spool.exists()


def test_cups_lp_failure_is_one_clear_line(tmp_path, monkeypatch, ticket):
    from printers import PrinterError

    _fake_cups(tmp_path, monkeypatch, "printer Xp58 is idle.", lp_exit=1)
    with pytest.raises(PrinterError, match="CUPS refused the job for Xp58: lp: no such queue"):
        print_slip(PrinterConfig("cups", "cups", "Xp58", timeouts=FAST), ticket)


def test_usb_device_not_plugged_in(ticket):
    pytest.importorskip("usb")
    from printers import PrinterError

    with pytest.raises(PrinterError) as caught:
        print_slip(PrinterConfig("usb", "usb", "0416:5011", timeouts=FAST), ticket)
    # no such device here; without libusb it says which package to install instead
    assert caught.value.kind in ("not_found", "unavailable")
    assert caught.value.may_have_printed is False


@pytest.mark.parametrize(
    ("connection", "address"),
    [("usb", "printer"), ("network", "host:port"), ("serial", "/dev/ttyS0@fast"), ("pdf", "x")],
)
def test_bad_addresses_are_config_errors(connection, address):
    with pytest.raises(PrinterConfigError):
        make_transport(connection, address)


def test_network_address_forms():
    assert parse_address("192.168.1.50") == ("192.168.1.50", 9100)
    assert parse_address("printer.local:9101") == ("printer.local", 9101)
    assert parse_address("[fe80::1]:9100") == ("fe80::1", 9100)


class FakeSpooler:
    """pywin32's ``win32print`` as a Windows station has it: printers by name, RAW jobs."""

    def __init__(self, printers: dict[str, int]) -> None:
        self.printers = printers  # name -> PRINTER_INFO_2 Status
        self.jobs: list[tuple[str, tuple, bytes]] = []
        self.open_handles: set[str] = set()

    def OpenPrinter(self, name):
        if name not in self.printers:
            raise OSError(1801, "OpenPrinter", "The printer name is invalid.")
        self.open_handles.add(name)
        return name

    def GetPrinter(self, handle, level):
        return {"Status": self.printers[handle], "Attributes": 0}

    def StartDocPrinter(self, handle, level, doc):
        self.doc, self.data = doc, b""

    def StartPagePrinter(self, handle):
        pass

    def WritePrinter(self, handle, data):
        self.data += data

    def EndPagePrinter(self, handle):
        pass

    def EndDocPrinter(self, handle):
        self.jobs.append((handle, self.doc, self.data))

    def ClosePrinter(self, handle):
        self.open_handles.discard(handle)


@pytest.fixture
def windows(monkeypatch):
    """This station is Windows, with pywin32's spooler holding one printer, XP-58."""
    import sys
    import types

    spooler = FakeSpooler({"XP-58": 0})
    module = types.ModuleType("win32print")
    for name in dir(spooler):
        if name[0].isupper():
            setattr(module, name, getattr(spooler, name))
    monkeypatch.setitem(sys.modules, "win32print", module)
    monkeypatch.setattr(sys, "platform", "win32")
    return spooler


def test_windows_printer_gets_the_raw_bytes(windows, ticket):
    """On Windows the system's print queue is the spooler: the job goes in RAW, untouched."""
    print_slip(PrinterConfig("desk", "cups", "XP-58", timeouts=FAST), ticket)
    ((printer, doc, data),) = windows.jobs
    assert printer == "XP-58" and doc[2] == "RAW" and data == render(ticket)
    assert not windows.open_handles  # the printer handle is let go


def test_windows_printer_unknown_or_offline(windows, ticket):
    with pytest.raises(PrinterNotFound, match="no Windows printer named XP-80"):
        print_slip(PrinterConfig("desk", "cups", "XP-80", timeouts=FAST), ticket)
    windows.printers["XP-58"] = 0x80  # PRINTER_STATUS_OFFLINE
    with pytest.raises(PrinterOffline, match="offline"):
        print_slip(PrinterConfig("desk", "cups", "XP-58", timeouts=FAST), ticket)
    assert not windows.jobs
