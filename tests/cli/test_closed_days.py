"""``qconsole sessions add NAME --date D --closed``: a day the hall shuts, by hand."""

from __future__ import annotations


def test_a_closed_day_refuses_tickets_and_is_listed(qc_hall, clock, monkeypatch) -> None:
    qc = qc_hall
    assert qc("sessions", "add", "日间", "--opens", "09:00", "--closes", "17:00").exit_code == 0
    assert qc("tickets", "issue", "ID").exit_code == 0  # Thursday 2026-11-26 09:30
    added = qc("sessions", "add", "全员培训", "--date", clock.day(), "--closed")
    assert added.exit_code == 0 and added.stdout == f"added closed day 全员培训 on {clock.day()}\n"
    refused = qc("tickets", "issue", "ID")
    assert refused.exit_code == 1
    assert refused.stderr == "qconsole: closed today (全员培训); next opens 2026-11-27 09:00 日间\n"
    monkeypatch.setenv("QCONSOLE_LANG", "zh-CN")
    said = qc("tickets", "issue", "ID").stderr
    assert said == "qconsole: 今日休息（全员培训）；下一时段 2026-11-27 09:00 日间 开始\n"
    listed = {s["name"]: s for s in qc("sessions", "list", "--json").json}
    assert listed["全员培训"]["closed"] is True and listed["日间"]["closed"] is False
    assert f"{clock.day()} closed" in qc("sessions", "list").stdout
    needs = qc("sessions", "add", "休息", "--closed")
    assert needs.exit_code == 2 and "--date" in needs.stderr


def test_a_closed_day_in_the_hall_file_applies_twice(qc_hall, tmp_path) -> None:
    path = tmp_path / "hall.toml"
    path.write_text('[[sessions]]\nname = "元旦"\ndate = "2027-01-01"\nclosed = true\n',
                    encoding="utf-8")  # fmt: skip
    assert qc_hall("config", "apply", path).exit_code == 0
    again = qc_hall("config", "apply", path)
    assert again.exit_code == 0, again.stderr
    (day,) = qc_hall("sessions", "list", "--json").json
    assert (day["date"], day["closed"]) == ("2027-01-01", True)
