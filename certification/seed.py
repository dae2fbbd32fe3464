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
    pass_mark: int = 2
    product_quality: bool = False


# Recognition and traceability are what can change after issue (ISO/IEC 17065 7.9); the share is
# measured again at every surveillance audit.
CHECKED_AT_SURVEILLANCE = {"C1", "C6"}
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
        CriterionKind.SOCIAL_SHARE,
        True,
        3,
        "Aandeel sociale economie",
        "Social-economy share",
        "Neem per productiestap over de referentieperiode de uren van doelgroepwerknemers, alle gewerkte uren en"
        " de uitbestede uren op, uit loonlijsten en uurregistratie. Uitbestede uren tellen als doelgroepuren"
        " alleen bij een erkende sociale-economieonderneming, met naam en ondernemingsnummer.",
        "Record per production step, over the reference period, the hours of target-group employees, all hours"
        " worked and the hours subcontracted, from payroll and time records. Subcontracted hours count as"
        " target-group hours only with a recognised social-economy enterprise, named with its enterprise number.",
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
        product_quality=True,
    ),
    CriterionSpec(
        "S1",
        CriterionKind.SCORE_0_4,
        True,
        2,
        "Meting van klanttevredenheid",
        "Client satisfaction measurement",
        "Periodieke meting van de tevredenheid van klanten en opvolging van de resultaten, met de"
        " kwaliteitscontroles op het geleverde werk. 4: minstens jaarlijks gemeten, controles geregistreerd,"
        " elke klacht opgevolgd; 2: gemeten, enkele controles; 0: niet gemeten.",
        "Periodic measurement of client satisfaction and follow-up of the results, with the quality checks"
        " on the work delivered. 4: measured at least yearly, checks recorded, every complaint followed up;"
        " 2: measured, some checks; 0: not measured.",
        ["cleaning", "green-maintenance"],
        product_quality=True,
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
    CriterionSpec(
        "T2",
        CriterionKind.YES_NO,
        True,
        2,
        "Producttests: naadsterkte en kleurechtheid",
        "Product tests: seam strength and colour fastness",
        "Testverslagen van de afgelopen 12 maanden: naadsterkte (ISO 13935-2) en kleurechtheid bij wassen"
        " (ISO 105-C06) per productreeks, en de opvolging van afgekeurde partijen.",
        "Test reports of the last 12 months: seam strength (ISO 13935-2) and colour fastness to washing"
        " (ISO 105-C06) per product line, and the follow-up of rejected batches.",
        ["textiles"],
        product_quality=True,
    ),
    CriterionSpec(
        "W1",
        CriterionKind.YES_NO,
        True,
        2,
        "Sterkte en duurzaamheid van meubelen (EN 581 / EN 12520) of gedocumenteerde duurzaamheidstest",
        "Strength and durability of furniture (EN 581 / EN 12520) or a documented durability test",
        "Een conformiteitsverklaring of testverslag volgens EN 581 (buitenmeubelen) of EN 12520 (zitmeubelen),"
        " of een gedocumenteerde eigen duurzaamheidstest (belasting, cycli, resultaat) per model; bij speelgoed"
        " de EN 71-1-conformiteit.",
        "A declaration of conformity or test report to EN 581 (outdoor furniture) or EN 12520 (seating), or a"
        " documented in-house durability test (load, cycles, result) per model; for toys, EN 71-1 conformity.",
        ["wood-furniture"],
        product_quality=True,
    ),
    CriterionSpec(
        "A1",
        CriterionKind.YES_NO,
        True,
        2,
        "Aanvaardingskeuring door de klant",
        "Client acceptance inspection",
        "De registraties van de aanvaardingskeuring door de klant van de laatste 12 maanden: aantal keuringen,"
        " afgekeurde stuks en hun opvolging; afkeur boven de contractuele grens is opgevolgd met een correctie.",
        "The records of the client's acceptance inspection of the last 12 months: inspections, rejected pieces"
        " and their follow-up; rejects above the contractual limit were followed by a correction.",
        ["assembly"],
        product_quality=True,
    ),
    CriterionSpec(
        "P1",
        CriterionKind.SCORE_0_4,
        True,
        2,
        "Leveringsnauwkeurigheid en schadegraad",
        "Delivery accuracy and damage rate",
        "Uit de leveringsregistratie van de laatste 12 maanden. 4: minstens 99,5 % juist en tijdig geleverd en"
        " hoogstens 0,5 % beschadigd; 3: 98 % en 1 %; 2: 95 % en 2 %; 1: 90 % en 5 %; 0: slechter of niet gemeten.",
        "From the delivery records of the last 12 months. 4: at least 99.5 % delivered right and on time and at"
        " most 0.5 % damaged; 3: 98 % and 1 %; 2: 95 % and 2 %; 1: 90 % and 5 %; 0: worse, or not measured.",
        ["packaging-logistics"],
        pass_mark=3,
        product_quality=True,
    ),
]

# French title and guidance of each criterion.
FRENCH = {
    "C1": (
        "Agrément valide de l'entreprise",
        "Vérifiez l'agrément comme entreprise de travail adapté (maatwerkbedrijf), section de travail adapté"
        " (maatwerkafdeling) ou économie locale de services, et sa date de fin.",
    ),
    "C2": (
        "Part de l'économie sociale",
        "Relevez pour chaque étape de production, sur la période de référence, les heures des travailleurs du"
        " groupe cible, toutes les heures prestées et les heures sous-traitées, d'après les fiches de paie et"
        " l'enregistrement du temps. Les heures sous-traitées ne comptent comme heures du groupe cible qu'auprès"
        " d'une entreprise d'économie sociale agréée, nommée avec son numéro d'entreprise.",
    ),
    "C3": (
        "Gestion de la qualité du produit ou du service",
        "Procédures, contrôles, traitement des plaintes et suivi.",
    ),
    "C4": (
        "Accompagnement et conditions de travail des travailleurs du groupe cible",
        "Plan d'accompagnement, formation, ergonomie et sécurité sur le lieu de travail.",
    ),
    "C5": (
        "Implication des parties prenantes",
        "Politique de qualité selon le décret : voix des travailleurs, des clients et des partenaires.",
    ),
    "C6": (
        "Traçabilité des étapes de production et de la sous-traitance",
        "Chaque étape de production et chaque sous-traitant sont documentés.",
    ),
    "F1": (
        "Enregistrement de sécurité alimentaire (AFSCA)",
        "Enregistrement ou autorisation AFSCA valide pour les activités concernées.",
    ),
    "S1": (
        "Mesure de la satisfaction des clients",
        "Mesure périodique de la satisfaction des clients et suivi des résultats, avec les contrôles de qualité"
        " du travail fourni. 4 : mesurée au moins chaque année, contrôles enregistrés, chaque plainte suivie ;"
        " 2 : mesurée, quelques contrôles ; 0 : pas mesurée.",
    ),
    "T1": (
        "Origine des fibres et produits chimiques utilisés",
        "L'origine des fibres et des produits chimiques utilisés est connue et documentée.",
    ),
    "T2": (
        "Essais des produits : résistance des coutures et solidité des couleurs",
        "Rapports d'essai des 12 derniers mois : résistance des coutures (ISO 13935-2) et solidité des couleurs"
        " au lavage (ISO 105-C06) par gamme de produits, et le suivi des lots refusés.",
    ),
    "W1": (
        "Résistance et durabilité des meubles (EN 581 / EN 12520) ou essai de durabilité documenté",
        "Une déclaration de conformité ou un rapport d'essai selon EN 581 (mobilier d'extérieur) ou EN 12520"
        " (sièges), ou un essai de durabilité interne documenté (charge, cycles, résultat) par modèle ; pour les"
        " jouets, la conformité à EN 71-1.",
    ),
    "A1": (
        "Contrôle de réception par le client",
        "Les enregistrements du contrôle de réception par le client des 12 derniers mois : contrôles, pièces"
        " refusées et leur suivi ; un refus au-delà de la limite contractuelle a donné lieu à une correction.",
    ),
    "P1": (
        "Exactitude des livraisons et taux de dommages",
        "D'après l'enregistrement des livraisons des 12 derniers mois. 4 : au moins 99,5 % livrés correctement"
        " et à temps et au plus 0,5 % endommagés ; 3 : 98 % et 1 % ; 2 : 95 % et 2 % ; 1 : 90 % et 5 % ;"
        " 0 : moins bien, ou pas mesuré.",
    ),
}

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
            pass_mark=spec.pass_mark,
            product_quality=spec.product_quality,
            checked_at_surveillance=spec.code in CHECKED_AT_SURVEILLANCE,
            title_nl=spec.title_nl,
            title_en=spec.title_en,
            guidance_nl=spec.guidance_nl,
            guidance_en=spec.guidance_en,
            title_fr=FRENCH[spec.code][0],
            guidance_fr=FRENCH[spec.code][1],
        )
        criterion.categories.set([categories[code] for code in spec.categories])
    # Loaded as the scheme owner published it (no person activates it): active unless another is.
    if not Scheme.objects.filter(status=SchemeStatus.ACTIVE).exists():
        scheme.status, scheme.activated_at = SchemeStatus.ACTIVE, timezone.now()
        scheme.save(update_fields=["status", "activated_at"])
        record_event(action="scheme.activated", by=None, target=scheme, from_state="draft", to_state="active")
    return scheme
