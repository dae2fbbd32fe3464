"""Working days: Monday to Friday, except the Belgian public holidays. The one place that counts
them, for every deadline set in working days (the complaints' acknowledgement and decision)."""

import datetime
from functools import cache

from dateutil.easter import easter

SATURDAY = 5


@cache
def belgian_public_holidays(year: int) -> frozenset[datetime.date]:
    """The ten legal public holidays of Belgium in `year`; three follow Easter (Gregorian)."""
    easter_sunday = easter(year)
    return frozenset(
        {
            datetime.date(year, 1, 1),  # New Year
            easter_sunday + datetime.timedelta(days=1),  # Easter Monday
            datetime.date(year, 5, 1),  # Labour Day
            easter_sunday + datetime.timedelta(days=39),  # Ascension
            easter_sunday + datetime.timedelta(days=50),  # Whit Monday
            datetime.date(year, 7, 21),  # National Day
            datetime.date(year, 8, 15),  # Assumption
            datetime.date(year, 11, 1),  # All Saints
            datetime.date(year, 11, 11),  # Armistice
            datetime.date(year, 12, 25),  # Christmas
        }
    )


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < SATURDAY and day not in belgian_public_holidays(day.year)


def add_working_days(day: datetime.date, count: int) -> datetime.date:
    """The working day `count` working days after `day`; with 0, `day` itself if it is a working
    day, else the next one (a complaint filed on a Sunday or a holiday runs from the next)."""
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    while count > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day
