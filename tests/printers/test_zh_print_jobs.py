"""A print job keeps a reason code beside the printer's own words: the command line lists it
in the shell's language (``--json`` too), and jobs stored before codes were kept get theirs
from the migration or still show their words."""

from __future__ import annotations

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from console.cli.main import app
from console.domain import Actor
from console.printing import process_pending
from console.printing_local import LocalJobs, local_printers
from console.store import migrate
from printers.testing import FakePrinter

ADMIN = Actor(staff_no="admin", role="admin", station="reception-1")


def qc(hall, *args: str, lang: str = "zh-CN"):
    env = {"QCONSOLE_DB": hall.path, "QCONSOLE_LANG": lang, "COLUMNS": "200"}
    return CliRunner().invoke(app, list(args), env=env)


@pytest.fixture
def out_of_paper(small_hall, clock):
    """A hall whose only ticket printer was out of paper for one ticket's slip."""
    with FakePrinter("paper_out") as fake:
        small_hall.add_printer(ADMIN, name="p1", connection="network", address=fake.address)
        jobs = LocalJobs(small_hall.path, clock, "reception-1", local_printers("reception-1"))
        try:
            small_hall.issue(ADMIN, "ID", print_ticket=True)
            process_pending(jobs)
        finally:
            jobs.close()
    return small_hall


def test_the_job_list_says_the_failure_in_chinese_and_keeps_the_printers_words(out_of_paper):
    listed = qc(out_of_paper, "printers", "jobs")
    assert listed.exit_code == 0, listed.output
    assert "打印机 p1 缺纸：装纸后重印" in listed.stdout
    assert "out of paper" not in listed.stdout
    [job] = json.loads(qc(out_of_paper, "printers", "jobs", "--json").stdout)
    assert job["reason"] == "printer.paper_out"
    assert job["message"] == "打印机 p1 缺纸：装纸后重印"
    assert "out of paper" in job["error"]  # the printer's own words, for the admin
    [english] = json.loads(qc(out_of_paper, "printers", "jobs", "--json", lang="en").stdout)
    assert english == {**job, "message": "printer p1 is out of paper: load paper, then reprint"}


def test_a_failed_reprint_is_one_chinese_line(out_of_paper):
    with FakePrinter("cover_open") as fake:
        out_of_paper.remove_printer(ADMIN, "p1")
        out_of_paper.add_printer(ADMIN, name="p1", connection="network", address=fake.address)
        said = qc(out_of_paper, "tickets", "reprint", "A001")
        as_json = qc(out_of_paper, "tickets", "reprint", "A001", "--json")
    assert said.exit_code == 1
    assert said.stderr.strip().startswith("qconsole: 打印任务 2（号票 A001，打印机 p1）失败：")
    assert "打印机 p1 的盖子开着：合上后重印" in said.stderr and "cover" not in said.stderr
    error = json.loads(as_json.stderr)
    assert error["reason"] == "print.outcome_failed"
    assert error["params"]["cause"] == "printer.cover_open"


def test_jobs_stored_as_words_get_their_code_or_still_show_their_words(out_of_paper):
    conn = sqlite3.connect(out_of_paper.path)
    ticket = conn.execute("SELECT id FROM tickets").fetchone()[0]
    now = 1.0e9
    conn.executemany(
        "INSERT INTO print_jobs (ticket_id, kind, printer, status, error, created_at, updated_at)"
        " VALUES (?, 'ticket', ?, 'failed', ?, ?, ?)",
        [(ticket, None, "printer.none_here", now, now),
         (ticket, "p1", "printer p1 jammed at the cutter", now, now)],
    )  # fmt: skip
    # as the schema stood before: no reason column, the code or the printer's words in error
    conn.execute("UPDATE print_jobs SET error = 'printer p1 is out of paper' WHERE id = 1")
    conn.execute("ALTER TABLE print_jobs DROP COLUMN reason")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0023_print_job_reasons'")
    conn.commit()
    migrate(conn)
    rows = conn.execute("SELECT id, reason, error FROM print_jobs ORDER BY id").fetchall()
    conn.close()
    assert rows == [
        (1, "printer.paper_out", "printer p1 is out of paper"),  # from its event's kind
        (2, "printer.none_here", None),
        (3, None, "printer p1 jammed at the cutter"),  # nothing says more than its words
    ]
    listed = qc(out_of_paper, "printers", "jobs", "--json")
    said = {job["id"]: job["message"] for job in json.loads(listed.stdout)}
    assert said == {1: "打印机 p1 缺纸：装纸后重印", 2: "本工作台没有设置打印机",
                    3: "printer p1 jammed at the cutter"}  # fmt: skip


def test_asking_a_printer_says_its_trouble_in_chinese(small_hall):
    with FakePrinter("paper_out") as fake:
        small_hall.add_printer(ADMIN, name="p1", connection="network", address=fake.address)
        tested = qc(small_hall, "printers", "test", "p1")
        listed = qc(small_hall, "printers", "list", "--status")
        as_json = qc(small_hall, "printers", "list", "--status", "--json")
    assert tested.exit_code == 1
    assert tested.stderr.startswith("qconsole: 打印机 p1 缺纸：装纸后重印（打印机的回答：")
    assert "缺纸" in listed.stdout and "paper" not in listed.stdout
    [row] = json.loads(as_json.stdout)
    assert (row["status"], row["message"]) == ("paper out", "缺纸")  # scripts keep the English
    small_hall.add_printer(ADMIN, name="p2", connection="network", address="127.0.0.1:1")
    unreachable = qc(small_hall, "printers", "list", "--status", "--json")
    p2 = next(row for row in json.loads(unreachable.stdout) if row["name"] == "p2")
    assert p2["reason"] == "printer.unreachable" and p2["status"].startswith("refused: ")
    assert p2["message"] == "连不上打印机 p2（未开机，或地址、端口有误）"
