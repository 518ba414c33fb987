"""Print jobs end to end: the engine queues, the worker prints to the fake printer on
127.0.0.1 and records done or failed with the reason; the ticket always survives."""

from __future__ import annotations

import json

import pytest

from console.domain import Actor, reasons
from console.domain.errors import Refused
from console.engine import print_jobs
from console.engine.slips import build_slip
from console.printing import LEASE_S, PrintWorker, ServiceJobs, process_pending
from console.printing_local import LocalJobs
from console.store import connect
from printers import ReceiptSlip, TicketSlip
from printers.testing import FakePrinter
from tests.tui.conftest import demo_template, desk_hall  # noqa: F401  (fixtures)
from tests.waiting import scaled, wait_until

ADMIN = Actor(staff_no="cli", role="admin", station="test-shell", name="test admin")
DESK = Actor(staff_no="cli", role="admin", station="reception-1", name="reception")
CLERK = Actor(staff_no="1001", role="clerk", station="station-1001")


@pytest.fixture
def fake():
    with FakePrinter("online") as printer:
        yield printer


@pytest.fixture
def hall(small_hall, fake):
    small_hall.set_setting(ADMIN, "hall_name", "朝阳区出入境接待大厅")
    small_hall.set_setting(ADMIN, "qr_url_template", "https://hall.example.gov.cn/t/{id}")
    small_hall.add_printer(
        ADMIN, name="desk", connection="network", address=fake.address, station="reception-1"
    )
    small_hall.add_printer(
        ADMIN,
        name="counter-1",
        connection="network",
        address=fake.address,
        counter_number=1,
        purpose="receipt",
    )
    return small_hall


@pytest.fixture
def conn(hall):
    c = connect(hall.path)
    yield c
    c.close()


@pytest.fixture(params=["service", "file"])
def jobs(request, hall):
    """The station's worker through the service (a screen's), or on the hall file's own
    connection (the CLI's over --db): the same guarantees either way."""
    if request.param == "service":
        worker = ServiceJobs(hall, "reception-1")
    else:
        worker = LocalJobs(hall.path, hall.clock, "reception-1")
    yield worker
    worker.close()


def events(conn, kind):
    rows = conn.execute("SELECT * FROM events WHERE kind = ? ORDER BY id", (kind,)).fetchall()
    return [dict(r) | {"changes": json.loads(r["changes"])} for r in rows]


def test_issue_with_print_prints_the_ticket(hall, conn, jobs, fake):
    hall.issue(DESK, "ID")
    issued = hall.issue(DESK, "ID", green_reason="elderly", print_ticket=True)
    [job] = hall.list_print_jobs()
    assert job.status == "queued" and job.printer == "desk"  # stored with the ticket

    [outcome] = process_pending(jobs)

    assert outcome.status == "done"
    assert hall.list_print_jobs()[0].status == "done"
    printed = fake.parsed()
    assert issued.ticket.number in printed.lines
    assert "朝阳区出入境接待大厅" in printed.lines
    assert "前面 Ahead: 1 人" in printed.lines or "前面 Ahead: 0 人" in printed.lines
    assert printed.qr == [f"https://hall.example.gov.cn/t/{issued.ticket.id}"]
    [done] = events(conn, "print.done")
    assert done["station"] == "reception-1" and done["ticket_id"] == issued.ticket.id


def test_ticket_slip_counts_the_queue_as_of_now(hall, conn):
    for _ in range(3):
        hall.issue(DESK, "ID")
    last = hall.issue(DESK, "ID").ticket
    slip = build_slip(conn, hall.clock, last.id, "ticket")
    assert isinstance(slip, TicketSlip)
    assert slip.ahead == 3 and slip.estimated_wait_min > 0
    assert slip.service_zh == "身份证" and slip.number == last.number


@pytest.mark.parametrize(
    ("mode", "words", "may_have_printed", "status"),
    [
        ("paper_out", "out of paper", False, "failed"),
        ("cover_open", "cover open", False, "failed"),
        ("offline", "offline", False, "failed"),
        ("refused", "refused the connection", False, "failed"),
        ("drop", "dropped the connection", True, "unconfirmed"),
        # the bytes went out: the printer may print the slip once the paper is in
        ("runs_out", "out of paper (during the job", True, "unconfirmed"),
    ],
)
def test_printer_faults_fail_the_job_with_the_reason_and_keep_the_ticket(
    hall, conn, jobs, fake, mode, words, may_have_printed, status
):
    fake.mode = mode
    if mode == "refused":
        fake.stop()
        conn.execute("UPDATE printers SET address = '127.0.0.1:1'")  # nothing listens there
    issued = hall.issue(DESK, "ID", print_ticket=True).ticket

    [outcome] = process_pending(jobs)

    [job] = hall.list_print_jobs()
    assert job.status == outcome.status == status
    assert words in job.error and "offline: offline" not in job.error
    assert ("may not have printed" in job.error) == may_have_printed
    assert "check the printer" not in job.error  # the advice is said once, where it is shown
    assert hall.get_ticket(issued.number).status == "waiting"  # the ticket is still there
    [event] = events(conn, f"print.{status}")
    assert event["station"] == "reception-1"
    assert event["changes"]["may_have_printed"] is may_have_printed


def test_no_answer_after_the_bytes_is_unconfirmed_never_printed(hall, conn, jobs, fake):
    fake.mode = "no_answer"
    issued = hall.issue(DESK, "ID", print_ticket=True).ticket
    [outcome] = process_pending(jobs)
    assert outcome.status == "unconfirmed"
    assert "may not have printed" in outcome.message
    [job] = hall.list_print_jobs()
    assert job.status == "unconfirmed" and job.ticket_number == issued.number
    assert events(conn, "print.done") == []
    assert events(conn, "print.unconfirmed")[0]["changes"]["may_have_printed"] is True
    assert process_pending(jobs) == []  # never re-sent by itself


def test_a_warning_stays_with_the_done_job(hall, jobs, fake):
    fake.mode = "near_end"
    hall.issue(DESK, "ID", print_ticket=True)
    [outcome] = process_pending(jobs)
    [job] = hall.list_print_jobs()
    assert job.status == outcome.status == "done"
    assert "paper near end" in job.warning


def test_receipt_after_finish(hall, conn, jobs, fake):
    hall.open_counter(CLERK, 1)
    hall.issue(DESK, "ID")
    hall.call_next(CLERK, 1)
    hall.clock.advance(120)
    hall.serve(CLERK, 1)
    hall.clock.advance(300)
    done = hall.finish(
        CLERK, 1, outcome="incomplete", materials=["户口簿", "一寸照片"], print_receipt=True
    )
    [job] = hall.list_print_jobs()
    assert job.kind == "receipt" and job.printer == "counter-1"
    slip = build_slip(conn, hall.clock, done.id, "receipt")
    assert isinstance(slip, ReceiptSlip)
    assert slip.staff_no == "1001" and slip.counter == 1
    assert slip.handling_min == 5 and slip.materials == ("户口簿", "一寸照片")
    assert slip.feedback_url is None  # the ticket's address is no feedback address

    [outcome] = process_pending(jobs)
    assert outcome.status == "done"
    lines = fake.parsed().lines
    assert "工号 Staff no.: 1001" in lines
    assert "1. 户口簿" in lines and "2. 一寸照片" in lines
    assert not any("clerk 1001" in line for line in lines)  # the name is never printed


def test_no_printer_for_the_station(hall, jobs):
    issued = hall.issue(
        Actor(staff_no="cli", role="admin", station="elsewhere"), "ID", print_ticket=True
    )
    # no ticket printer for that station and none for every station: failed at once, shown there
    [job] = hall.list_print_jobs()
    assert job.status == "failed" and job.reason == reasons.NO_PRINTER  # a code, words where shown
    assert job.error is None and job.said("zh-CN") == "本工作台没有设置打印机"
    assert process_pending(jobs) == []
    assert hall.get_ticket(issued.ticket.number).status == "waiting"


def test_worker_thread_prints_in_the_background(hall, fake):
    outcomes = []
    worker = PrintWorker(
        lambda: ServiceJobs(hall, "reception-1"), on_outcome=outcomes.append
    ).start()
    try:
        hall.issue(DESK, "ID", print_ticket=True)
        worker.wake()
        fake.wait_for(500, timeout=scaled(3))
        wait_until(lambda: outcomes, timeout=2, what="the worker's outcome")
    finally:
        worker.stop()
    assert [o.status for o in outcomes] == ["done"]
    assert hall.list_print_jobs()[0].status == "done"


def test_a_dead_workers_job_becomes_unconfirmed_and_is_not_resent(hall, conn, jobs, fake):
    hall.issue(DESK, "ID", print_ticket=True)
    room = print_jobs.over(conn, hall.clock)
    assert room.claim(worker="gone") is not None  # then the worker died
    assert room.expire_leases() == 0  # its lease still runs
    hall.clock.advance(LEASE_S + 1)
    assert room.expire_leases() == 1
    [job] = hall.list_print_jobs()
    assert job.status == "unconfirmed" and "may not have printed" in job.error
    assert process_pending(jobs) == []
    assert fake.received == b""


def test_a_fault_after_the_bytes_is_unconfirmed_and_said_once(hall, conn, jobs, fake):
    from console.cli.print_outcome import from_outcome, line

    fake.mode = "runs_out"  # out of paper mid-job: the printer keeps what it was sent
    hall.issue(DESK, "ID", print_ticket=True)
    [outcome] = process_pending(jobs)
    assert outcome.status == "unconfirmed" and outcome.may_have_printed
    [job] = hall.list_print_jobs()
    assert job.status == "unconfirmed"  # a reprint is a person's decision, not automatic
    said = line(from_outcome(outcome))
    assert said.count("look at the printer") == 1 and "check the printer" not in said, said
    assert "may print once paper is loaded" in said


def test_a_worker_whose_lease_ran_out_never_sends(hall, conn, jobs, fake):
    from console.printing import print_claimed

    hall.issue(DESK, "ID", print_ticket=True)
    claimed = jobs.claim()
    hall.clock.advance(60)  # the worker stalled past its lease; the sweep gives the job up
    assert print_jobs.over(conn, hall.clock).expire_leases() == 1
    outcome = print_claimed(jobs, claimed)
    assert outcome.status == "failed" and "not sent" in outcome.message
    with fake._lock:
        assert fake.connections == []  # not a byte went to the printer
    [job] = hall.list_print_jobs()
    assert job.status == "unconfirmed"  # what the hall recorded stays


def test_a_matter_without_an_english_name_is_printed_once(desk_hall):  # noqa: F811
    from printers.render import text_lines

    matter = next(m for m in desk_hall.list_matters() if m.service == "ZH")
    desk_hall.edit_matter(ADMIN, matter.code, name_en=matter.name_zh)  # none of its own
    ticket = desk_hall.issue(ADMIN, matter=matter.code).ticket
    slip = build_slip(desk_hall.engine.conn, desk_hall.clock, ticket.id, "ticket")
    printed = "\n".join(text_lines(slip))
    assert printed.count(matter.name_zh[:4]) == 1, printed
    assert "One-stop window" in printed  # the English line names the queue


def test_a_station_claims_its_own_printers_and_those_of_no_station(hall, fake):
    """In-process there is no server to drive the printers of no station: the station's
    worker prints them, never another station's own."""
    hall.issue(DESK, "ID", print_ticket=True)  # on "desk", reception-1's own printer
    other = ServiceJobs(hall, "reception-2")
    assert other.claim() is None
    hall.add_printer(ADMIN, name="hall", connection="network", address=fake.address)
    hall.issue(Actor(staff_no="cli", role="admin", station="reception-2"), "ID",
               print_ticket=True)  # fmt: skip
    claimed = other.claim()
    assert claimed is not None and claimed.job.printer == "hall"
    assert claimed.data.startswith(b"\x1b@")  # rendered by the hall, ready to send


def test_only_the_station_holding_a_job_reports_it(hall):
    from console.domain.errors import AuthError

    hall.issue(DESK, "ID", print_ticket=True)
    claimed = ServiceJobs(hall, "reception-1").claim()
    assert claimed is not None
    with pytest.raises(AuthError):
        hall.report_print_job("reception-2", claimed.job.id, "done")
    with pytest.raises(Refused):
        hall.renew_print_lease("reception-2", claimed.job.id)
    assert hall.list_print_jobs()[0].status == "printing"
