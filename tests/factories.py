import datetime
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from audits.models import Assessment, AssessmentResult, Audit, Evidence, Finding, FindingSeverity
from certification.models import (
    Application,
    ApplicationDocument,
    ApplicationState,
    Criterion,
    CriterionKind,
    Enterprise,
    Label,
    Product,
    ProductCategory,
    RecognitionType,
    Role,
    Scheme,
    SchemeStatus,
    User,
)
from complaints.models import Complaint, ComplaintFile
from complaints.tracking import make_tracking_number

# Real, check-digit-valid Belgian enterprise numbers.
ENTERPRISE_NUMBERS = ["0403170701", "0203201340", "0428759497", "0403019261", "0202239951", "0207500123"]
# The smallest PDF a real parser opens: a catalog and one empty page.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.be")
    password = factory.PostGenerationMethodCall("set_password", "secret")

    @factory.post_generation
    def roles(self, create: bool, extracted: list[Role] | None, **kwargs: object) -> None:
        from django.contrib.auth.models import Group

        for role in extracted or []:
            self.groups.add(Group.objects.get_or_create(name=role)[0])
        self.save()
        self.__dict__.pop("roles", None)  # the cached property must see the new groups


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"Maatwerkbedrijf {n}")
    enterprise_number = factory.Sequence(lambda n: ENTERPRISE_NUMBERS[n % len(ENTERPRISE_NUMBERS)])
    recognition_type = RecognitionType.MAATWERKBEDRIJF
    recognition_number = factory.Sequence(lambda n: f"MWB-{n:04d}")
    recognition_valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductCategory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"category-{n}")
    name_nl = factory.LazyAttribute(lambda c: f"Categorie {c.code}")
    name_en = factory.LazyAttribute(lambda c: f"Category {c.code}")
    name_fr = factory.LazyAttribute(lambda c: f"Catégorie {c.code}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"Product {n}")
    category = factory.SubFactory(CategoryFactory)


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme
        django_get_or_create = ("name", "version")

    name = "SE-LABEL"
    version = factory.Sequence(lambda n: f"2026.{n + 1}")
    status = SchemeStatus.DRAFT


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    scheme = factory.SubFactory(SchemeFactory)
    code = factory.Sequence(lambda n: f"X{n}")
    title_nl = factory.LazyAttribute(lambda c: f"Criterium {c.code}")
    title_en = factory.LazyAttribute(lambda c: f"Criterion {c.code}")
    kind = CriterionKind.YES_NO


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    enterprise = factory.SubFactory(EnterpriseFactory)
    product = factory.SubFactory(ProductFactory, enterprise=factory.SelfAttribute("..enterprise"))
    declared_social_share = Decimal("80")
    production_description = "Assemblage en verpakking in eigen atelier."
    state = ApplicationState.DRAFT
    created_by = factory.SubFactory(UserFactory)
    reference = factory.Sequence(lambda n: f"APP-TEST-{n + 1:05d}")


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationDocument

    application = factory.SubFactory(ApplicationFactory)
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="recognition.pdf"))
    original_name = "erkenning.pdf"
    size = len(PDF_BYTES)
    content_type = "application/pdf"
    sha256 = "0" * 64
    uploaded_by = factory.SubFactory(UserFactory)


class AuditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audit

    application = factory.SubFactory(ApplicationFactory)
    auditor = factory.SubFactory(UserFactory)
    scheduled_for = factory.LazyFunction(timezone.localdate)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    audit = factory.SubFactory(AuditFactory)
    criterion = factory.SubFactory(CriterionFactory)
    result = AssessmentResult.PASS
    assessed_by = factory.SelfAttribute("audit.auditor")


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    audit = factory.SubFactory(AuditFactory)
    severity = FindingSeverity.MINOR
    description = "Klachtenregister niet bijgehouden."
    created_by = factory.SelfAttribute("audit.auditor")


class EvidenceFactory(factory.django.DjangoModelFactory):
    """A photo attached to an assessment by its auditor."""

    class Meta:
        model = Evidence

    assessment = factory.SubFactory(AssessmentFactory)
    uploaded_by = factory.SelfAttribute("assessment.audit.auditor")
    file = factory.LazyFunction(lambda: ContentFile(PNG_BYTES, name="foto.png"))
    original_name = "foto.png"
    size = factory.LazyFunction(lambda: len(PNG_BYTES))
    content_type = "image/png"
    sha256 = "0" * 64


class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complaint

    tracking_number = factory.LazyFunction(make_tracking_number)
    enterprise = factory.SubFactory(EnterpriseFactory)
    category = "not_as_claimed"
    description = "De verpakking zegt niveau 3, maar het werk gebeurt in het buitenland."
    email = "klager@example.be"
    language = "nl"
    acknowledge_by = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


class ComplaintFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplaintFile

    complaint = factory.SubFactory(ComplaintFactory)
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="foto.pdf"))
    original_name = "foto.pdf"
    size = len(PDF_BYTES)
    content_type = "application/pdf"
    sha256 = "0" * 64


def keep_current_until_its_last_day(label: Label) -> None:
    """Its surveillance kept up and its enterprise recognised up to the label's last day, so
    that only the end of its validity ends it (a test of expiry, not of surveillance)."""
    Label.objects.filter(pk=label.pk).update(surveillance_due_on=label.valid_until)
    Enterprise.objects.filter(products__labels=label).update(recognition_valid_until=label.valid_until)
