"""The fake network printer on 127.0.0.1: every fault gives the right outcome and message."""

from __future__ import annotations

import threading

import pytest

from printers import (
    CoverOpen,
    PaperOut,
    PrinterConfig,
    PrinterDropped,
    PrinterOffline,
    PrinterRefused,
    Timeouts,
    print_slip,
    render,
)
from printers.testing import FakePrinter

FAST = Timeouts(connect=1.0, write=2.0, status=0.3)


def config(fake: FakePrinter, **changes) -> PrinterConfig:
    return PrinterConfig("desk-1", "network", fake.address, timeouts=FAST, **changes)


def test_online_prints_the_whole_ticket(ticket):
    with FakePrinter("online") as fake:
        result = print_slip(config(fake), ticket)
        job = fake.parsed()
    assert fake.job_bytes() == render(ticket)
    assert result.bytes_sent == len(render(ticket))
    assert result.status_before.describe() == "online, paper ok"
    assert result.status_after.known and result.warning is None
    assert ticket.number in job.lines and job.qr == [ticket.qr_url]


def test_near_end_prints_with_a_warning(ticket):
    with FakePrinter("near_end") as fake:
        result = print_slip(config(fake), ticket)
    assert "paper near end" in result.warning
    assert ticket.number in fake.parsed().lines


@pytest.mark.parametrize(
    ("mode", "error", "words"),
    [
        ("paper_out", PaperOut, "out of paper"),
        ("cover_open", CoverOpen, "cover open"),
        ("offline", PrinterOffline, "offline"),
    ],
)
def test_printer_state_refuses_the_job_before_any_byte(mode, error, words, ticket):
    with FakePrinter(mode) as fake:
        with pytest.raises(error, match=words) as caught:
            print_slip(config(fake), ticket)
        fake.wait_for(9)
    assert caught.value.may_have_printed is False
    assert "nothing was printed" in str(caught.value)
    assert fake.job_bytes() == b""  # only the status questions went out
    assert caught.value.kind == mode


def test_no_answer_is_unknown_and_the_job_goes_out_unconfirmed(ticket):
    with FakePrinter("no_answer") as fake:
        result = print_slip(config(fake), ticket)
        fake.wait_for(9 + result.bytes_sent)
    assert not result.status_before.known and not result.status_after.known
    assert result.status_before.paper == "unknown"
    assert not result.confirmed and "may not have printed" in result.warning
    assert fake.job_bytes() == render(ticket)


def test_connection_refused(ticket):
    with (
        FakePrinter("refused") as fake,
        pytest.raises(PrinterRefused, match="refused the connection") as caught,
    ):
        print_slip(config(fake), ticket)
    assert caught.value.may_have_printed is False
    assert caught.value.kind == "refused"


def test_connection_dropped_mid_job_is_not_retried(ticket):
    with FakePrinter("drop", drop_after=40) as fake:
        with pytest.raises(PrinterDropped) as caught:
            print_slip(config(fake), ticket)
        fake.wait_for(40)
    assert caught.value.may_have_printed is True
    assert len(fake.connections) == 1  # no second attempt: no double ticket
    assert caught.value.kind == "dropped"


def test_after_a_failure_the_ticket_can_be_reprinted(ticket):
    with FakePrinter("paper_out") as fake:
        with pytest.raises(PaperOut):
            print_slip(config(fake), ticket)
        fake.mode = "online"  # paper loaded
        result = print_slip(config(fake), ticket)
    assert result.status_before.paper == "ok"
    assert fake.job_bytes() == render(ticket)


def test_one_job_at_a_time_per_printer(ticket, receipt, monkeypatch):
    """Six jobs from six threads: never two connections to the printer open at once.

    Counted where the connections are opened and closed (the fake printer's own count
    lags behind a close under load, so it cannot tell)."""
    from printers.transport.network import NetworkTransport

    open_now, most_open, guard = [0], [0], threading.Lock()
    real_open, real_close = NetworkTransport.open, NetworkTransport.close

    def counted_open(self):
        real_open(self)
        with guard:
            open_now[0] += 1
            most_open[0] = max(most_open[0], open_now[0])

    def counted_close(self):
        if self.sock is not None:
            with guard:
                open_now[0] -= 1
        real_close(self)

    monkeypatch.setattr(NetworkTransport, "open", counted_open)
    monkeypatch.setattr(NetworkTransport, "close", counted_close)
    with FakePrinter("online") as fake:
        errors: list[Exception] = []

        def job(slip):
            try:
                print_slip(config(fake), slip)
            except Exception as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=job, args=(s,)) for s in [ticket, receipt] * 3]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors
    assert most_open[0] == 1
    assert len(fake.connections) == 6


def test_raster_job_over_the_network(ticket, cjk_font):
    with FakePrinter("online") as fake:
        result = print_slip(config(fake, mode="raster", font=cjk_font), ticket)
    assert result.bytes_sent > 10_000
    image = fake.parsed().image()
    assert image is not None and image.width == 384
