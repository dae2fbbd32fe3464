"""The seed scheme and categories of DESIGN §3, for demo data and tests. Idempotent."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from certification.models import Criterion, CriterionKind, ProductCategory, Scheme, SchemeStatus
from certification.services.history import record_event

CATEGORIES = [
    ("food", "Voeding", "Food", "Alimentation"),
    ("catering", "Catering", "Catering", "Traiteur"),
    ("textiles", "Textiel", "Textiles", "Textile"),
    ("cleaning", "Schoonmaak", "Cleaning services", "Nettoyage"),
    ("green-maintenance", "Groenonderhoud", "Green maintenance", "Entretien des espaces verts"),
    ("packaging-logistics", "Verpakking en logistiek", "Packaging and logistics", "Conditionnement et logistique"),
    ("wood-furniture", "Hout en meubelen", "Wood and furniture", "Bois et meubles"),
    ("assembly", "Assemblage", "Assembly", "Assemblage"),
]


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    kind: CriterionKind
    mandatory: bool
    weight: int
    title_nl: str
    title_en: str
    guidance_nl: str
    guidance_en: str
    categories: list[str] = field(default_factory=list)


CRITERIA = [
    CriterionSpec(
        "C1",
        CriterionKind.YES_NO,
        True,
        1,
        "Geldige erkenning van de onderneming",
        "Valid recognition of the enterprise",
        "Controleer de erkenning als maatwerkbedrijf, maatwerkafdeling of lokale diensteneconomie en de einddatum.",
        "Check the recognition as maatwerkbedrijf, maatwerkafdeling or local service economy, and its end date.",
    ),
    CriterionSpec(
        "C2",
        CriterionKind.PERCENTAGE,
        True,
        3,
        "Aandeel sociale economie",
        "Social-economy share",
        "Gemeten aandeel van de arbeid in dit product of deze dienst dat door doelgroepwerknemers wordt verricht.",
        "Measured share of the labour in this product or service done by target-group employees.",
    ),
    CriterionSpec(
        "C3",
        CriterionKind.SCORE_0_4,
        False,
        2,
        "Kwaliteitsbeheer van het product of de dienst",
        "Quality management of the product or service",
        "Procedures, controles, klachtenbehandeling en opvolging.",
        "Procedures, checks, complaint handling and follow-up.",
    ),
    CriterionSpec(
        "C4",
        CriterionKind.SCORE_0_4,
        False,
        2,
        "Begeleiding en arbeidsomstandigheden van doelgroepwerknemers",
        "Guidance and working conditions of target-group employees",
        "Begeleidingsplan, opleiding, ergonomie en veiligheid op de werkvloer.",
        "Guidance plan, training, ergonomics and safety on the shop floor.",
    ),
    CriterionSpec(
        "C5",
        CriterionKind.SCORE_0_4,
        False,
        1,
        "Betrokkenheid van belanghebbenden",
        "Stakeholder involvement",
        "Kwaliteitsbeleid volgens het decreet: inspraak van werknemers, klanten en partners.",
        "Quality policy per the decree: say of employees, clients and partners.",
    ),
    CriterionSpec(
        "C6",
        CriterionKind.YES_NO,
        False,
        1,
        "Traceerbaarheid van productiestappen en onderaanneming",
        "Traceability of production steps and subcontracting",
        "Elke productiestap en elke onderaannemer is gedocumenteerd.",
        "Every production step and every subcontractor is documented.",
    ),
    CriterionSpec(
        "F1",
        CriterionKind.YES_NO,
        True,
        1,
        "Registratie voedselveiligheid (FAVV)",
        "Food-safety registration (FASFC)",
        "Geldige FAVV-registratie of -toelating voor de betrokken activiteiten.",
        "Valid FASFC registration or authorisation for the activities concerned.",
        ["food", "catering"],
    ),
    CriterionSpec(
        "S1",
        CriterionKind.SCORE_0_4,
        False,
        2,
        "Meting van klanttevredenheid",
        "Client satisfaction measurement",
        "Periodieke meting van de tevredenheid van klanten en opvolging van de resultaten.",
        "Periodic measurement of client satisfaction and follow-up of the results.",
        ["cleaning", "green-maintenance"],
    ),
    CriterionSpec(
        "T1",
        CriterionKind.YES_NO,
        False,
        1,
        "Herkomst van vezels en gebruikte chemicaliën",
        "Origin of fibres and chemicals used",
        "De herkomst van de vezels en de gebruikte chemicaliën zijn gekend en gedocumenteerd.",
        "The origin of the fibres and the chemicals used are known and documented.",
        ["textiles"],
    ),
]

SEED_SCHEME = ("SE-LABEL", "2026.1")


@transaction.atomic
def ensure_categories() -> dict[str, ProductCategory]:
    categories = {}
    for code, name_nl, name_en, name_fr in CATEGORIES:
        categories[code], _ = ProductCategory.objects.update_or_create(
            code=code, defaults={"name_nl": name_nl, "name_en": name_en, "name_fr": name_fr}
        )
    return categories


@transaction.atomic
def ensure_seed_scheme() -> Scheme:
    """The active seed scheme with its criteria; left as it is when it exists already."""
    name, version = SEED_SCHEME
    existing = Scheme.objects.filter(name=name, version=version).first()
    if existing is not None:
        return existing
    categories = ensure_categories()
    scheme = Scheme.objects.create(name=name, version=version)
    for position, spec in enumerate(CRITERIA, start=1):
        criterion = Criterion.objects.create(
            scheme=scheme,
            code=spec.code,
            position=position,
            kind=spec.kind,
            mandatory=spec.mandatory,
            weight=spec.weight,
            title_nl=spec.title_nl,
            title_en=spec.title_en,
            guidance_nl=spec.guidance_nl,
            guidance_en=spec.guidance_en,
        )
        criterion.categories.set([categories[code] for code in spec.categories])
    # Loaded as the scheme owner published it (no person activates it): active unless another is.
    if not Scheme.objects.filter(status=SchemeStatus.ACTIVE).exists():
        scheme.status, scheme.activated_at = SchemeStatus.ACTIVE, timezone.now()
        scheme.save(update_fields=["status", "activated_at"])
        record_event(action="scheme.activated", by=None, target=scheme, from_state="draft", to_state="active")
    return scheme
