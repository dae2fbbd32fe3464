"""A label's validity ends the same day `validity_months` later, or at the end of a shorter month."""

import calendar
import datetime

import pytest

from certification.services.labels import add_months


def reference_add_months(day: datetime.date, months: int) -> datetime.date:
    """The hand-written month arithmetic that dateutil replaced, copied as it was."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 3, 15), 36, datetime.date(2029, 3, 15)),
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2027, 1, 31), 1, datetime.date(2027, 2, 28)),
        (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),  # a leap year
        (datetime.date(2028, 2, 29), 12, datetime.date(2029, 2, 28)),
        (datetime.date(2028, 2, 29), 48, datetime.date(2032, 2, 29)),
        (datetime.date(2026, 8, 31), 1, datetime.date(2026, 9, 30)),
        (datetime.date(2026, 12, 31), 1, datetime.date(2027, 1, 31)),
        (datetime.date(2026, 10, 31), 4, datetime.date(2027, 2, 28)),
        (datetime.date(2026, 2, 28), 1, datetime.date(2026, 3, 28)),  # the 28th stays the 28th
        (datetime.date(2026, 5, 31), 0, datetime.date(2026, 5, 31)),
    ],
)
def test_it_keeps_the_day_or_takes_the_last_day_of_a_shorter_month(day, months, expected) -> None:  # type: ignore[no-untyped-def]
    assert add_months(day, months) == expected


def test_it_agrees_with_the_hand_written_arithmetic_on_every_day_of_eight_years() -> None:
    start = datetime.date(2024, 1, 1)
    days = [start + datetime.timedelta(days=n) for n in range(8 * 366)]
    for months in (1, 6, 12, 13, 24, 36, 60):
        assert [add_months(day, months) for day in days] == [reference_add_months(day, months) for day in days]
