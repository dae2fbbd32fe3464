"""Percentages in words, as a certificate writes them: "tweeëntachtig komma vijf procent"."""

from decimal import Decimal

from num2words import num2words

from certification.certificate.languages import Language

_PER_CENT: dict[Language, str] = {"nl": "procent", "en": "per cent", "fr": "pour cent"}


def percentage_in_words(share: Decimal, language: Language) -> str:
    """The share in words, its decimals read digit by digit: "tweeëntachtig komma nul vijf procent"."""
    return f"{num2words(share, lang=language)} {_PER_CENT[language]}"
