"""Deadlines in working days: Monday to Friday."""

import datetime

SATURDAY = 5


def add_working_days(day: datetime.date, count: int) -> datetime.date:
    """The working day `count` working days after `day` (itself if count is 0 and it is one)."""
    while day.weekday() >= SATURDAY:
        day += datetime.timedelta(days=1)
    while count > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < SATURDAY:
            count -= 1
    return day
