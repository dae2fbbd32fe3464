import pytest
from django.core.exceptions import ValidationError

from certification.identifiers import canonical_enterprise_number, canonical_gtin, format_enterprise_number
from certification.models import Enterprise
from tests.factories import ProductFactory


@pytest.mark.parametrize(
    "typed", ["0403.170.701", "0403170701", "BE 0403.170.701", "BE0403170701", "403170701", " 0403 170 701 "]
)
def test_a_valid_enterprise_number_has_one_canonical_form(typed: str) -> None:
    assert canonical_enterprise_number(typed) == "0403170701"
    assert format_enterprise_number("0403170701") == "0403.170.701"


@pytest.mark.parametrize("typed", ["0403.170.702", "1234.567.890", "04031707", "KBO", ""])
def test_an_invalid_enterprise_number_is_refused(typed: str) -> None:
    with pytest.raises(ValidationError, match="not a valid Belgian enterprise number"):
        canonical_enterprise_number(typed)


def test_the_enterprise_number_is_stored_canonical_and_found_in_any_form(enterprise) -> None:  # type: ignore[no-untyped-def]
    assert Enterprise.objects.values_list("enterprise_number", flat=True).get(pk=enterprise.pk) == "0403170701"
    assert Enterprise.objects.get(enterprise_number="BE 0403.170.701") == enterprise


def test_an_enterprise_with_an_invalid_number_does_not_validate(db) -> None:  # type: ignore[no-untyped-def]
    enterprise = Enterprise(name="X", enterprise_number="0403.170.702", recognition_type="other")
    with pytest.raises(ValidationError) as error:
        enterprise.full_clean()
    assert "enterprise_number" in error.value.message_dict


@pytest.mark.parametrize(
    ("typed", "digits"),
    [("5410013108009", "5410013108009"), ("96385074", "96385074"), ("5 410013 108009", "5410013108009")],
)
def test_a_valid_gtin_is_accepted(typed: str, digits: str) -> None:
    assert canonical_gtin(typed) == digits


@pytest.mark.parametrize("typed", ["5410013108008", "96385075", "123", "ABCDEFGHIJKLM"])
def test_an_invalid_gtin_is_refused(typed: str) -> None:
    with pytest.raises(ValidationError, match="not a valid GTIN"):
        canonical_gtin(typed)


def test_a_product_with_an_invalid_gtin_does_not_validate(db) -> None:  # type: ignore[no-untyped-def]
    product = ProductFactory.build(gtin="5410013108008")
    with pytest.raises(ValidationError) as error:
        product.full_clean(exclude=["enterprise", "category"])
    assert "gtin" in error.value.message_dict
