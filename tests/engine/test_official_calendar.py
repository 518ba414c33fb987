"""The official calendar: the hall closes on statutory holidays, opens on make-up working
days, and never guesses a year the installed calendar does not know."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from console.domain.errors import BadInput, Refused
from console.engine.calendar import KNOWN_YEARS, official_day, unknown_year
from console.local import LocalHall
from tests.conftest import ADMIN, TZ, SharedClock


@pytest.fixture
def weekday_hall(small_hall: LocalHall) -> LocalHall:
    small_hall.add_session(ADMIN, name="日间", opens="09:00", closes="17:00", weekdays="12345")
    return small_hall


def at(clock: SharedClock, day: date, hour: int = 10) -> None:
    clock.t = datetime(day.year, day.month, day.day, hour, tzinfo=TZ).timestamp()


def test_national_day_is_closed_and_says_so(weekday_hall: LocalHall, clock) -> None:
    at(clock, date(2026, 10, 1))  # a Thursday
    view = weekday_hall.hall_view()
    assert not view.session_open
    assert view.closed_for == ["国庆节", "National Day, 国庆节"]
    assert view.next_session_opens == "2026-10-08 09:00 日间"  # after the seven days off
    with pytest.raises(Refused) as refused:
        weekday_hall.issue(ADMIN, "ID")
    assert refused.value.reason == "issue.hall_closed_holiday"
    assert "closed today (National Day, 国庆节)" in str(refused.value)


def test_a_make_up_working_day_opens_as_a_monday(weekday_hall: LocalHall, clock) -> None:
    sunday = date(2026, 9, 20)  # worked in lieu of a National Day day
    assert sunday.isoweekday() == 7 and official_day(sunday).kind == "workday"
    at(clock, sunday)
    assert weekday_hall.hall_view().session_open
    assert weekday_hall.issue(ADMIN, "ID").ticket.number == "A001"
    at(clock, sunday - timedelta(days=1))  # the Saturday before stays a weekend
    assert not weekday_hall.hall_view().session_open
    assert weekday_hall.hall_view().closed_for is None


def test_the_halls_own_session_on_a_holiday_opens_it(weekday_hall: LocalHall, clock) -> None:
    weekday_hall.add_session(ADMIN, name="国庆专场", opens="09:00", closes="12:00",
                             date="2026-10-02")  # fmt: skip
    at(clock, date(2026, 10, 2))
    view = weekday_hall.hall_view()
    assert view.session_open and view.closed_for is None
    at(clock, date(2026, 10, 2), hour=14)
    assert not weekday_hall.hall_view().session_open
    assert weekday_hall.hall_view().closed_for is None  # it opened today: not a closed day


def test_a_year_the_package_does_not_know_keeps_the_weekday_rule_and_warns(
    weekday_hall: LocalHall, clock
) -> None:
    year = KNOWN_YEARS.stop  # the first year this install does not carry
    new_year = date(year, 1, 1)
    assert official_day(new_year).kind == "unknown"
    first_monday = new_year + timedelta(days=(8 - new_year.isoweekday()) % 7)
    at(clock, new_year)  # a statutory holiday every year, but not guessed
    assert weekday_hall.hall_view().session_open is (new_year.isoweekday() <= 5)
    at(clock, first_monday)
    view = weekday_hall.hall_view()
    assert view.session_open and view.calendar_unknown == year
    at(clock, first_monday + timedelta(days=5))  # its Saturday
    assert not weekday_hall.hall_view().session_open


def test_the_warning_starts_on_the_first_of_december() -> None:
    last = KNOWN_YEARS.stop - 1
    assert unknown_year(date(last, 11, 30)) is None
    assert unknown_year(date(last, 12, 1)) == last + 1
    assert unknown_year(date(last + 1, 6, 1)) == last + 1
    assert unknown_year(date(2026, 12, 7)) == (2027 if 2027 not in KNOWN_YEARS else None)


def test_a_hall_without_hours_stays_open_on_a_holiday(small_hall: LocalHall, clock) -> None:
    at(clock, date(2026, 10, 1))
    assert small_hall.hall_view().session_open and small_hall.hall_view().closed_for is None


def test_a_closed_day_added_by_hand_shuts_the_hall_all_day(weekday_hall: LocalHall, clock) -> None:
    """How an admin adds a holiday the installed calendar does not know yet."""
    year = KNOWN_YEARS.stop
    new_year = date(year, 1, 1)
    working = new_year + timedelta(days=(8 - new_year.isoweekday()) % 7)  # its first Monday
    closed = weekday_hall.add_session(ADMIN, name="元旦补休", date=working.isoformat(),
                                      closed=True)  # fmt: skip
    assert closed.closed and (closed.opens, closed.closes) == ("00:00", "23:59")
    at(clock, working)
    view = weekday_hall.hall_view()
    assert not view.session_open and view.closed_for == ["元旦补休", "元旦补休"]
    assert view.next_session_opens == f"{working + timedelta(days=1)} 09:00 日间"
    with pytest.raises(Refused, match="closed today"):
        weekday_hall.issue(ADMIN, "ID")
    at(clock, working - timedelta(days=3), hour=18)  # the Friday evening before
    assert (
        weekday_hall.hall_view().next_session_opens == f"{working + timedelta(days=1)} 09:00 日间"
    )
    at(clock, date(year - 1, 12, 7))
    assert weekday_hall.hall_view().calendar_unknown is None  # the admin gave the year's days
    with pytest.raises(BadInput):
        weekday_hall.add_session(ADMIN, name="休息", closed=True)  # a closed day needs a date


def test_a_ticket_page_looked_at_on_a_holiday_says_why(weekday_hall: LocalHall, clock) -> None:
    """The citizen opens yesterday's ticket from its QR on 1 October: expired, and why the
    hall is shut today."""
    from console.server.public_text import ticket_texts

    at(clock, date(2026, 9, 30))
    number = weekday_hall.issue(ADMIN, "ID").ticket.number
    engine = weekday_hall.engine
    (code,) = engine.conn.execute(
        "SELECT public_code FROM tickets WHERE number = ?", (number,)
    ).fetchone()
    at(clock, date(2026, 10, 1))
    _, view = engine.public_ticket(code)
    texts = ticket_texts(view, "en", code)
    assert (texts["state"], texts["detail"]) == ("expired", "Closed today (National Day, 国庆节)")
    assert ticket_texts(view, "zh", code)["detail"] == "今日休息（国庆节）"
