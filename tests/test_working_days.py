"""Working days skip the weekend and the Belgian public holidays; every deadline counted in
working days (a complaint's acknowledgement and decision) counts them so, under time travel."""

import datetime
import zoneinfo

import pytest
import time_machine

from certification.working_days import add_working_days, belgian_public_holidays, is_working_day
from complaints.services.filing import ComplaintInput, file_complaint
from complaints.services.handling import acknowledge_complaint

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
D = datetime.date


def test_the_ten_belgian_public_holidays_of_2027_easter_computed() -> None:
    assert sorted(belgian_public_holidays(2027)) == [
        D(2027, 1, 1),  # New Year
        D(2027, 3, 29),  # Easter Monday (Easter: 28 March)
        D(2027, 5, 1),
        D(2027, 5, 6),  # Ascension: Easter + 39 days
        D(2027, 5, 17),  # Whit Monday: Easter + 50 days
        D(2027, 7, 21),
        D(2027, 8, 15),
        D(2027, 11, 1),
        D(2027, 11, 11),
        D(2027, 12, 25),
    ]


@pytest.mark.parametrize(
    ("year", "easter_monday", "ascension", "whit_monday"),
    [
        (2026, D(2026, 4, 6), D(2026, 5, 14), D(2026, 5, 25)),
        (2028, D(2028, 4, 17), D(2028, 5, 25), D(2028, 6, 5)),
        (2038, D(2038, 4, 26), D(2038, 6, 3), D(2038, 6, 14)),  # the latest Easter of the century
    ],
)
def test_the_holidays_that_follow_easter_move_with_it(year, easter_monday, ascension, whit_monday) -> None:  # type: ignore[no-untyped-def]
    assert {easter_monday, ascension, whit_monday} <= belgian_public_holidays(year)
    assert len(belgian_public_holidays(year)) == 10


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2027, 3, 26), True),  # Friday before Easter
        (D(2027, 3, 29), False),  # Easter Monday
        (D(2027, 3, 30), True),
        (D(2027, 11, 10), True),
        (D(2027, 11, 11), False),  # a Thursday
        (D(2027, 11, 13), False),  # a Saturday
    ],
)
def test_a_working_day_is_a_weekday_that_is_no_holiday(day, working) -> None:  # type: ignore[no-untyped-def]
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (D(2027, 3, 26), 1, D(2027, 3, 30)),  # Friday + 1: past the weekend and Easter Monday
        (D(2027, 3, 25), 5, D(2027, 4, 2)),  # the weekend and Easter Monday within
        (D(2027, 3, 29), 0, D(2027, 3, 30)),  # counted from a holiday: from the next working day
        (D(2027, 3, 27), 1, D(2027, 3, 31)),  # from a Saturday before Easter Monday
        (D(2027, 11, 10), 1, D(2027, 11, 12)),  # Wednesday + 1: past 11 November
        (D(2027, 10, 29), 1, D(2027, 11, 2)),  # Friday + 1: past the weekend and 1 November
        (D(2027, 10, 27), 20, D(2027, 11, 26)),  # 1 and 11 November within
        (D(2027, 3, 24), 40, D(2027, 5, 24)),  # Easter Monday, 1 May (a Saturday), Ascension, Whit Monday
        (D(2026, 12, 24), 1, D(2026, 12, 28)),  # Christmas on a Friday
        (D(2026, 12, 14), 20, D(2027, 1, 13)),  # Christmas and New Year, both Fridays
        (D(2026, 12, 4), 5, D(2026, 12, 11)),  # no holiday within: weekends only
    ],
)
def test_working_days_skip_weekends_and_public_holidays(start, count, expected) -> None:  # type: ignore[no-untyped-def]
    assert add_working_days(start, count) == expected


def complaint_about(code: str) -> ComplaintInput:
    return ComplaintInput(
        label=code,
        category="not_as_claimed",
        description="Het product is niet zoals het label zegt.",
        email="",
        language="nl",
    )


@pytest.fixture
def label(issue_label):  # type: ignore[no-untyped-def]
    return issue_label()


def test_a_complaint_filed_before_easter_is_to_be_acknowledged_a_day_later(label) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2027, 3, 25, 10, 0, tzinfo=BRUSSELS), tick=False):
        complaint = file_complaint(data=complaint_about(label.code))
    assert complaint.acknowledge_by == D(2027, 4, 2)  # five working days, Easter Monday not one of them
    with time_machine.travel(datetime.datetime(2027, 4, 2, 23, 0, tzinfo=BRUSSELS), tick=False):
        assert not complaint.overdue()
    with time_machine.travel(datetime.datetime(2027, 4, 3, 0, 1, tzinfo=BRUSSELS), tick=False):
        assert complaint.overdue()


def test_a_complaint_acknowledged_before_november_is_to_be_decided_two_days_later(label, oscar) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2027, 10, 25, 10, 0, tzinfo=BRUSSELS), tick=False):
        complaint = file_complaint(data=complaint_about(label.code))
    with time_machine.travel(datetime.datetime(2027, 10, 27, 9, 0, tzinfo=BRUSSELS), tick=False):
        complaint = acknowledge_complaint(complaint=complaint, by=oscar)
    assert complaint.decide_by == D(2027, 11, 26)  # twenty working days: 1 and 11 November are not
    with time_machine.travel(datetime.datetime(2027, 11, 26, 23, 0, tzinfo=BRUSSELS), tick=False):
        assert not complaint.overdue()
    with time_machine.travel(datetime.datetime(2027, 11, 27, 0, 1, tzinfo=BRUSSELS), tick=False):
        assert complaint.overdue()
