"""Validation and canonical forms of the official identifiers the system stores."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import ean
from stdnum.be import vat
from stdnum.exceptions import ValidationError as StdnumError


def canonical_enterprise_number(value: str) -> str:
    """The ten digits of a Belgian enterprise number (KBO/BCE), check digits verified."""
    try:
        return str(vat.validate(value))
    except StdnumError as error:
        raise ValidationError(
            _("%(value)s is not a valid Belgian enterprise number (KBO/BCE)."),
            code="invalid_enterprise_number",
            params={"value": value},
        ) from error


def format_enterprise_number(value: str) -> str:
    """The usual written form, 0403.170.701."""
    return f"{value[:4]}.{value[4:7]}.{value[7:]}" if len(value) == 10 else value


def canonical_gtin(value: str) -> str:
    """The digits of a GTIN-8, -12, -13 or -14, check digit verified."""
    try:
        return str(ean.validate(value))
    except StdnumError as error:
        raise ValidationError(
            _("%(value)s is not a valid GTIN (barcode number): check the digits."),
            code="invalid_gtin",
            params={"value": value},
        ) from error


def validate_enterprise_number(value: str) -> None:
    canonical_enterprise_number(value)


def validate_gtin(value: str) -> None:
    canonical_gtin(value)
