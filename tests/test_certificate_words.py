"""The share in words on the certificate, by num2words, read as the hand-written words read it."""

from decimal import Decimal

import pytest

from certification.certificate.words import percentage_in_words

# The hand-written words that num2words replaced, copied as they were: the reference.
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
    if n == 100:
        return "honderd"
    if n < 20:
        return _NL_UNITS[n]
    tens, unit = divmod(n, 10)
    if unit == 0:
        return _NL_TENS[tens]
    unit_word = _NL_UNITS[unit]
    joiner = "ën" if unit_word.endswith("e") else "en"
    return f"{unit_word}{joiner}{_NL_TENS[tens]}"


def english_number(n: int) -> str:
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


def reference_dutch(share: Decimal) -> str:
    whole, decimals = _split(share)
    after = f" komma {' '.join(_NL_UNITS[d] for d in decimals)}" if decimals else ""
    return f"{dutch_number(whole)}{after} procent"


def reference_english(share: Decimal) -> str:
    whole, decimals = _split(share)
    after = f" point {' '.join(_EN_UNITS[d] for d in decimals)}" if decimals else ""
    return f"{english_number(whole)}{after} per cent"


EVERY_SHARE = [Decimal(hundredths).scaleb(-2).quantize(Decimal("0.01")) for hundredths in range(10_001)]


def test_the_english_words_are_the_hand_written_ones_for_every_share_a_label_can_hold() -> None:
    assert [percentage_in_words(s, "en") for s in EVERY_SHARE] == [reference_english(s) for s in EVERY_SHARE]


def test_the_dutch_words_are_the_hand_written_ones_but_write_the_numeral_one_as_een_with_accents() -> None:
    # The one difference: the numeral one standing alone is "één", so that "komma één procent"
    # cannot be read as the article ("a per cent"), as Dutch spelling advises.
    expected = [" ".join("één" if w == "een" else w for w in reference_dutch(s).split()) for s in EVERY_SHARE]
    assert [percentage_in_words(s, "nl") for s in EVERY_SHARE] == expected


@pytest.mark.parametrize(
    ("share", "nl", "en", "fr"),
    [
        ("80.00", "tachtig procent", "eighty per cent", "quatre-vingts pour cent"),
        (
            "82.50",
            "tweeëntachtig komma vijf procent",
            "eighty-two point five per cent",
            "quatre-vingt-deux virgule cinq pour cent",
        ),
        (
            "33.05",
            "drieëndertig komma nul vijf procent",
            "thirty-three point zero five per cent",
            "trente-trois virgule zéro cinq pour cent",
        ),
        (
            "71.10",
            "eenenzeventig komma één procent",
            "seventy-one point one per cent",
            "soixante et onze virgule un pour cent",
        ),
        ("100.00", "honderd procent", "one hundred per cent", "cent pour cent"),
    ],
)
def test_a_share_in_words_in_each_language(share: str, nl: str, en: str, fr: str) -> None:
    assert [percentage_in_words(Decimal(share), language) for language in ("nl", "en", "fr")] == [nl, en, fr]
