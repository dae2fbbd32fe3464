"""Tracking numbers of complaints: `SK-` + the label codes' alphabet and check character.

Shown as SK-7K3M-9QX2-4H6, read as forgivingly as a label code (certification.codes), and
random: a number cannot be guessed from another, so it is the key to the public status page.
"""

from django.utils.translation import gettext as _

from certification.codes import CodeProblem, format_code, make_compact_code, read_compact_code

PREFIX = "SK"


class InvalidTrackingNumber(ValueError):
    """Text that cannot be a tracking number; the message says why, in the person's terms."""


def make_tracking_number() -> str:
    return format_code(PREFIX, make_compact_code())


def parse_tracking_number(text: str) -> str:
    """The canonical form of a tracking number typed by a person, or InvalidTrackingNumber saying why."""
    compact, problem = read_compact_code(text, PREFIX)
    if problem == CodeProblem.LENGTH:
        raise InvalidTrackingNumber(
            _("This is not a valid tracking number: it has 11 characters after SK, like SK-7K3M-9QX2-4H6.")
        )
    if problem == CodeProblem.CHARACTERS:
        raise InvalidTrackingNumber(
            _("This is not a valid tracking number: it contains characters that tracking numbers never use.")
        )
    if problem == CodeProblem.CHECK or compact is None:
        raise InvalidTrackingNumber(
            _("This is not a valid tracking number (check character): check it for a typing error.")
        )
    return format_code(PREFIX, compact)
