"""The province of an enterprise, from its postal code by bpost's ranges (DESIGN §13): the one
rule, kept where the models can use it without importing the statistics that count by it."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Belgian postal codes by province (bpost's ranges); a code outside them has no province.
PROVINCES: list[tuple[str, Promise, list[tuple[int, int]]]] = [
    ("brussels", _("Brussels-Capital Region"), [(1000, 1299)]),
    ("walloon_brabant", _("Walloon Brabant"), [(1300, 1499)]),
    ("flemish_brabant", _("Flemish Brabant"), [(1500, 1999), (3000, 3499)]),
    ("antwerp", _("Antwerp"), [(2000, 2999)]),
    ("limburg", _("Limburg"), [(3500, 3999)]),
    ("liege", _("Liège"), [(4000, 4999)]),
    ("namur", _("Namur"), [(5000, 5999)]),
    ("hainaut", _("Hainaut"), [(6000, 6599), (7000, 7999)]),
    ("luxembourg", _("Luxembourg"), [(6600, 6999)]),
    ("west_flanders", _("West Flanders"), [(8000, 8999)]),
    ("east_flanders", _("East Flanders"), [(9000, 9999)]),
]
PROVINCE_NAMES = {code: name for code, name, _ranges in PROVINCES}
UNKNOWN = "unknown"
# What an enterprise's stored province may be: a province, or unknown (no Belgian postal code).
PROVINCE_CHOICES: list[tuple[str, Promise]] = [*((code, name) for code, name, _r in PROVINCES), (UNKNOWN, _("unknown"))]
PROVINCE_LENGTH = 16


def province_of(postal_code: str) -> str:
    """The province of a Belgian postal code (four digits), or "unknown"."""
    code = postal_code.strip()
    if len(code) != 4 or not code.isdigit():
        return UNKNOWN
    number = int(code)
    return next(
        (province for province, _name, ranges in PROVINCES for low, high in ranges if low <= number <= high), UNKNOWN
    )
