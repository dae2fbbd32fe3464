"""Label codes: `SE-` + 10 random Crockford base32 characters + a Luhn mod 32 check character.

Shown as SE-7K3M-9QX2-4H6. Input is forgiving: case, spaces and dashes are ignored, O reads
as 0 and I/L as 1. Luhn mod 32 catches every single-character substitution, and every
adjacent transposition except that of the first and last symbol of the alphabet (0 and Z);
codes are therefore issued without 0 next to Z, so no transposition of an issued code goes
unnoticed.
"""

import functools
import re
import secrets
from enum import StrEnum

from django.utils.translation import gettext as _
from stdnum import luhn

from certification.exceptions import InvalidLabelCode

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "SE"
PAYLOAD_LENGTH = 10
_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_INDISTINCT_UNDER_TRANSPOSITION = {ALPHABET[0] + ALPHABET[-1], ALPHABET[-1] + ALPHABET[0]}
_CANONICAL = re.compile(rf"{PREFIX}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{3}}")


def check_character(payload: str) -> str:
    """The Luhn mod 32 check character over `payload` (symbols of ALPHABET)."""
    return luhn.calc_check_digit(payload, alphabet=ALPHABET)


def _transposition_safe(compact: str) -> bool:
    return not any(compact[i : i + 2] in _INDISTINCT_UNDER_TRANSPOSITION for i in range(len(compact) - 1))


def make_compact_code() -> str:
    """11 random characters of payload and check, no transposition of which goes unnoticed:
    the body of a label code, and of any other code that shares its alphabet (a complaint's
    tracking number)."""
    while True:
        payload = "".join(secrets.choice(ALPHABET) for _ in range(PAYLOAD_LENGTH))
        compact = payload + check_character(payload)
        if _transposition_safe(compact):
            return compact


def make_label_code() -> str:
    """A new random label code in canonical form."""
    return format_label_code(make_compact_code())


def format_code(prefix: str, compact: str) -> str:
    """PREFIX-XXXX-XXXX-XXX from the 11 characters of payload and check."""
    return f"{prefix}-{compact[0:4]}-{compact[4:8]}-{compact[8:]}"


def format_label_code(compact: str) -> str:
    """SE-XXXX-XXXX-XXX from the 11 characters of payload and check."""
    return format_code(PREFIX, compact)


class CodeProblem(StrEnum):
    """Why typed text is not a code of this alphabet: each code says it in its own words."""

    LENGTH = "length"
    CHARACTERS = "characters"
    CHECK = "check"


def read_compact_code(text: str, prefix: str) -> tuple[str | None, CodeProblem | None]:
    """The 11 characters of payload and check in `text` typed by a person, read forgivingly
    (case, spaces and dashes ignored, the prefix optional, O read as 0 and I/L as 1), or the
    problem that makes it no code of this alphabet."""
    compact = "".join(text.split()).replace("-", "").upper()
    if len(compact) == PAYLOAD_LENGTH + 1 + len(prefix) and compact.startswith(prefix):
        compact = compact[len(prefix) :]
    compact = compact.translate(_READ_AS)
    if len(compact) != PAYLOAD_LENGTH + 1:
        return None, CodeProblem.LENGTH
    if any(symbol not in _VALUES for symbol in compact):
        return None, CodeProblem.CHARACTERS
    if check_character(compact[:-1]) != compact[-1]:
        return None, CodeProblem.CHECK
    return compact, None


def is_canonical_label_code(text: str) -> bool:
    """Whether `text` is a valid label code written exactly as issued (SE-XXXX-XXXX-XXX)."""
    if _CANONICAL.fullmatch(text) is None:
        return False
    compact = text[3:7] + text[8:12] + text[13:]
    return check_character(compact[:-1]) == compact[-1]


# Longer than any code typed with spaces between its groups: not a code (and not worth keeping).
LONGEST_TYPED = 40


def parse_label_code(text: str) -> str:
    """The canonical form of a label code typed by a person, or InvalidLabelCode saying why."""
    typed = text.strip()
    return _parse_label_code(typed if len(typed) <= LONGEST_TYPED else "")


@functools.lru_cache(maxsize=10_000)  # a code scanned again and again is read once per process
def _parse_label_code(text: str) -> str:
    compact, problem = read_compact_code(text, PREFIX)
    if problem == CodeProblem.LENGTH:
        raise InvalidLabelCode(
            _("This is not a valid label code: a label code has 11 characters after SE, like SE-7K3M-9QX2-4H6.")
        )
    if problem == CodeProblem.CHARACTERS:
        raise InvalidLabelCode(_("This is not a valid label code: it contains characters that label codes never use."))
    if problem == CodeProblem.CHECK or compact is None:
        raise InvalidLabelCode(_("This is not a valid label code (check character): check it for a typing error."))
    return format_label_code(compact)
