"""Percentages in words, as a certificate writes them: "tweeëntachtig komma vijf procent"."""

from decimal import Decimal

_NL_UNITS = [
    "nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen",
    "tien", "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien", "negentien",
]  # fmt: skip
_NL_TENS = ["", "", "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig"]
_EN_UNITS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
]  # fmt: skip
_EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def dutch_number(n: int) -> str:
    if not 0 <= n <= 100:
        raise ValueError(n)
    if n == 100:
        return "honderd"
    if n < 20:
        return _NL_UNITS[n]
    tens, unit = divmod(n, 10)
    if unit == 0:
        return _NL_TENS[tens]
    unit_word = _NL_UNITS[unit]
    # "tweeëntachtig", "drieëndertig": a diaeresis where two e's would meet.
    joiner = "ën" if unit_word.endswith("e") else "en"
    return f"{unit_word}{joiner}{_NL_TENS[tens]}"


def english_number(n: int) -> str:
    if not 0 <= n <= 100:
        raise ValueError(n)
    if n == 100:
        return "one hundred"
    if n < 20:
        return _EN_UNITS[n]
    tens, unit = divmod(n, 10)
    return _EN_TENS[tens] if unit == 0 else f"{_EN_TENS[tens]}-{_EN_UNITS[unit]}"


def _split(share: Decimal) -> tuple[int, list[int]]:
    whole = int(share)
    decimals = format(share.normalize() - whole, "f").partition(".")[2].rstrip("0") if share != whole else ""
    return whole, [int(d) for d in decimals]


def percentage_in_dutch(share: Decimal) -> str:
    whole, decimals = _split(share)
    after = f" komma {' '.join(_NL_UNITS[d] for d in decimals)}" if decimals else ""
    return f"{dutch_number(whole)}{after} procent"


def percentage_in_english(share: Decimal) -> str:
    whole, decimals = _split(share)
    after = f" point {' '.join(_EN_UNITS[d] for d in decimals)}" if decimals else ""
    return f"{english_number(whole)}{after} per cent"
