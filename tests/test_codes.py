import io
import random
import re

import pytest
from django.core.management import call_command

from certification.codes import (
    ALPHABET,
    check_character,
    format_label_code,
    is_canonical_label_code,
    make_label_code,
    parse_label_code,
)
from certification.exceptions import InvalidLabelCode
from certification.models import Label

CODE_FORM = re.compile(r"^SE-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{3}$")


def compact(code: str) -> str:
    return code[3:].replace("-", "")


def test_codes_use_only_the_alphabet_and_never_i_l_o_u() -> None:
    for _ in range(2000):
        code = make_label_code()
        assert CODE_FORM.match(code), code
        assert not set(compact(code)) & set("ILOU")


def test_codes_are_random_not_sequential() -> None:
    codes = {make_label_code() for _ in range(5000)}
    assert len(codes) == 5000


def test_a_code_parses_to_itself() -> None:
    code = make_label_code()
    assert parse_label_code(code) == code


# DESIGN §5 illustrates codes with SE-7K3M-9QX2-4HP; under Luhn mod 32 its check character is 6.
@pytest.mark.parametrize("typed", ["se7k3m9qx24h6", " SE 7K3M 9QX2 4H6 ", "SE-7K3M-9QX2-4H6", "7k3m-9qx2-4h6"])
def test_the_parser_forgives_case_spaces_dashes_and_the_prefix(typed: str) -> None:
    assert parse_label_code(typed) == "SE-7K3M-9QX2-4H6"


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("SE-7K3M-9QX2-4H6", True),
        ("SE-7K3M-9QX2-4HP", False),  # wrong check character
        ("se-7k3m-9qx2-4h6", False),  # valid, but as typed, not as issued
        ("SE7K3M9QX24H6", False),
        ("SE-7K3M-9QX2-4H6 ", False),
        ("SE-7K3O-9QX2-4H6", False),
    ],
)
def test_only_a_code_written_as_issued_is_canonical(text: str, canonical: bool) -> None:
    assert is_canonical_label_code(text) is canonical
    if canonical:
        assert parse_label_code(text) == text


def test_issued_codes_are_canonical() -> None:
    assert all(is_canonical_label_code(make_label_code()) for _ in range(500))


def test_the_illustration_of_the_design_is_caught_by_its_check_character() -> None:
    with pytest.raises(InvalidLabelCode, match="check character"):
        parse_label_code("SE-7K3M-9QX2-4HP")


def test_the_parser_reads_o_as_zero_and_i_and_l_as_one() -> None:
    payload = "10A0B1C1D0"
    code = format_label_code(payload + check_character(payload))
    assert parse_label_code(code.replace("0", "O").replace("1", "I", 1).replace("1", "l")) == code


def test_the_check_character_catches_every_single_substitution() -> None:
    for _ in range(5):
        code = compact(make_label_code())
        for position in range(len(code)):
            for symbol in ALPHABET:
                if symbol != code[position]:
                    typo = code[:position] + symbol + code[position + 1 :]
                    with pytest.raises(InvalidLabelCode, match="check character"):
                        parse_label_code(typo)


def test_the_check_character_catches_every_adjacent_transposition() -> None:
    for _ in range(200):
        code = compact(make_label_code())
        for position in range(len(code) - 1):
            if code[position] != code[position + 1]:
                swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
                with pytest.raises(InvalidLabelCode, match="check character"):
                    parse_label_code(swapped)


def test_the_one_transposition_luhn_mod_32_misses_never_occurs_in_an_issued_code() -> None:
    # Luhn mod N cannot tell "0Z" from "Z0"; issued codes never hold that pair.
    assert check_character("000000000Z") == check_character("00000000Z0")
    assert not any("0Z" in compact(c) or "Z0" in compact(c) for c in (make_label_code() for _ in range(5000)))


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("SE-7K3M-9QX2-4H", "11 characters"),
        ("SE-7K3M-9QX2-4H66", "11 characters"),
        ("SE-7K3M-9QX2-4U6", "never use"),
        ("SE-7K3M-9QX2-4H*", "never use"),
        ("", "11 characters"),
    ],
)
def test_malformed_codes_say_why(typed: str, says: str) -> None:
    with pytest.raises(InvalidLabelCode, match=says):
        parse_label_code(typed)


# The hand-written Luhn mod 32 that python-stdnum replaced, copied as it was: the reference it must equal.
_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
# Luhn: from the right, every other symbol's value is doubled, and its base-32 digits summed.
_REFERENCE_ADDENDS = tuple(
    {symbol: (value * factor) // len(ALPHABET) + (value * factor) % len(ALPHABET) for symbol, value in _VALUES.items()}
    for factor in (2, 1)
)


def reference_check_character(payload: str) -> str:
    total = sum(_REFERENCE_ADDENDS[position % 2][symbol] for position, symbol in enumerate(reversed(payload)))
    return ALPHABET[-total % len(ALPHABET)]


def test_the_reference_is_the_luhn_of_the_design() -> None:
    assert reference_check_character("7K3M9QX24H") == "6"


def test_the_library_check_character_equals_the_hand_written_one_on_10000_random_payloads() -> None:
    chooser = random.Random(17)
    payloads = ["".join(chooser.choice(ALPHABET) for _ in range(10)) for _ in range(10_000)]
    payloads += ["0" * 10, "Z" * 10, "000000000Z", "Z000000000"]
    assert [check_character(p) for p in payloads] == [reference_check_character(p) for p in payloads]


def test_the_library_check_character_equals_the_hand_written_one_on_every_demo_code(db, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    call_command("seed_demo", "--password", "demo-pw-1", stdout=io.StringIO())
    codes = [compact(code) for code in Label.objects.values_list("code", flat=True)]
    assert len(codes) >= 3
    assert all(check_character(code[:-1]) == reference_check_character(code[:-1]) == code[-1] for code in codes)
