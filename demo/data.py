"""The demo world of DESIGN §8: who exists, what they make, and how far each application got."""

from decimal import Decimal

from certification.models import ApplicationState, ProductKind, RecognitionType, Role

S = ApplicationState

ENTERPRISES = {
    "groene-schakel": {
        "name": "De Groene Schakel",
        "enterprise_number": "0812345603",
        "recognition_type": RecognitionType.MAATWERKBEDRIJF,
        "recognition_number": "MWB-2019-0142",
        "street": "Kanaalstraat 12",
        "postal_code": "9000",
        "city": "Gent",
        "website": "https://groeneschakel.example",
    },
    "kempenland": {
        "name": "Werkplaats Kempenland",
        "enterprise_number": "0876543270",
        "recognition_type": RecognitionType.MAATWERKAFDELING,
        "recognition_number": "MWA-2021-0077",
        "street": "Industrieweg 4",
        "postal_code": "2440",
        "city": "Geel",
        "website": "https://kempenland.example",
    },
    # Its recognition ended yesterday (DESIGN §9): its label reads suspended, "recognition lapsed".
    "de-brug": {
        "name": "Atelier De Brug",
        "enterprise_number": "0456789133",
        "recognition_type": RecognitionType.LOKALE_DIENSTENECONOMIE,
        "recognition_number": "LDE-2020-0031",
        "street": "Brugstraat 3",
        "postal_code": "8000",
        "city": "Brugge",
        "website": "https://debrug.example",
    },
}
# Enterprises whose recognition has ended, and the applicant of each enterprise.
LAPSED = {"de-brug"}
APPLICANT_OF = {"groene-schakel": "applicant1", "kempenland": "applicant2", "de-brug": "applicant3"}

# username: (first name, last name, roles, enterprise or None)
ACCOUNTS = {
    "applicant1": ("An", "Peeters", [Role.APPLICANT], "groene-schakel"),
    "applicant2": ("Bart", "Claes", [Role.APPLICANT], "kempenland"),
    "applicant3": ("Lien", "Wuyts", [Role.APPLICANT], "de-brug"),
    "auditor1": ("Chloé", "Dubois", [Role.AUDITOR], None),
    "auditor2": ("Dirk", "Janssens", [Role.AUDITOR], None),
    "officer1": ("Eva", "Maes", [Role.OFFICER], None),
    "officer2": ("Frank", "Wouters", [Role.OFFICER], None),
}

# (enterprise, product name, kind, category, GTIN, declared share, how far, extra step on the label:
# suspend, revoke, a surveillance due within weeks or overdue past its grace period, or a
# surveillance audit recorded and reported, waiting for an officer's decision)
APPLICATIONS = [
    (
        "groene-schakel",
        "Biologische confituur",
        ProductKind.PRODUCT,
        "food",
        "5410013108009",
        "82",
        S.APPROVED,
        "surveillance_reported",
    ),
    (
        "groene-schakel",
        "Groenonderhoud voor gemeenten",
        ProductKind.SERVICE,
        "green-maintenance",
        "",
        "64",
        S.APPROVED,
        "suspend",
    ),
    ("groene-schakel", "Houten speelgoedtrein", ProductKind.PRODUCT, "wood-furniture", "", "55", S.APPROVED, "revoke"),
    (
        "groene-schakel",
        "Herbruikbare boodschappentas",
        ProductKind.PRODUCT,
        "textiles",
        "",
        "78",
        S.AUDIT_IN_PROGRESS,
        None,
    ),
    ("groene-schakel", "Kantoorschoonmaak", ProductKind.SERVICE, "cleaning", "", "90", S.CORRECTIVE_ACTION, None),
    (
        "groene-schakel",
        "Geschenkverpakking op maat",
        ProductKind.SERVICE,
        "packaging-logistics",
        "",
        "40",
        S.DRAFT,
        None,
    ),
    ("kempenland", "Fietsassemblage", ProductKind.SERVICE, "assembly", "", "71", S.APPROVED, "surveillance_due"),
    # Issued 34 months ago: in its renewal window (its enterprise can renew it now).
    ("kempenland", "Houten tuinbanken", ProductKind.PRODUCT, "wood-furniture", "", "77", S.APPROVED, "renewal_window"),
    (
        "kempenland",
        "Houten tuinbank",
        ProductKind.PRODUCT,
        "wood-furniture",
        "",
        "58",
        S.APPROVED,
        "surveillance_overdue",
    ),
    ("de-brug", "Fietsherstelling", ProductKind.SERVICE, "assembly", "", "76", S.APPROVED, None),
    ("kempenland", "Catering voor evenementen", ProductKind.SERVICE, "catering", "", "35", S.SUBMITTED, None),
    (
        "kempenland",
        "Kaarsen van gerecycleerde was",
        ProductKind.PRODUCT,
        "assembly",
        "96385074",
        "60",
        S.AUDIT_SCHEDULED,
        None,
    ),
    ("kempenland", "Palletherstelling", ProductKind.SERVICE, "packaging-logistics", "", "48", S.AUDIT_REPORTED, None),
    ("kempenland", "Streekbier", ProductKind.PRODUCT, "food", "", "20", S.REJECTED, None),
    ("kempenland", "Naaiatelier op bestelling", ProductKind.SERVICE, "textiles", "", "66", S.WITHDRAWN, None),
]

SCORES = {"score_0_4": Decimal(3), "yes_no": None}

# The hours the auditor recorded per production step over the reference period, from which each
# audited product's share is computed (never typed): (step, target-group hours, all hours,
# subcontracted hours, recognised subcontractor as (name, enterprise number) or None).
STEPS: dict[str, list[tuple[str, int, int, int, tuple[str, str] | None]]] = {
    "Biologische confituur": [
        ("Fruit sorteren en snijden", 1450, 1600, 0, None),
        ("Koken en afvullen", 1200, 1500, 0, None),
        ("Etiketteren en verpakken", 0, 0, 400, ("Werkplaats Kempenland", "0876543270")),
    ],
    "Groenonderhoud voor gemeenten": [
        ("Maaien en snoeien", 2100, 3000, 0, None),
        ("Planning en toezicht", 0, 400, 0, None),
    ],
    "Houten speelgoedtrein": [
        ("Zagen en schuren", 900, 1400, 0, None),
        ("Assembleren en lakken", 500, 700, 0, None),
        ("Verpakken (commerciële onderaannemer)", 0, 0, 100, None),
    ],
    "Herbruikbare boodschappentas": [
        ("Snijden", 700, 800, 0, None),
        ("Naaien", 1500, 1900, 0, None),
    ],
    "Kantoorschoonmaak": [
        ("Schoonmaak op locatie", 5200, 5600, 0, None),
        ("Coördinatie", 100, 300, 0, None),
    ],
    "Fietsassemblage": [
        ("Assemblage", 2600, 3400, 0, None),
        ("Eindcontrole", 300, 500, 0, None),
    ],
    "Houten tuinbanken": [
        ("Zagen en schaven", 1600, 2000, 0, None),
        ("Assembleren en oliën", 700, 1000, 0, None),
    ],
    "Houten tuinbank": [
        ("Zagen en schaven", 580, 1000, 0, None),
    ],
    "Fietsherstelling": [
        ("Herstellingen in het atelier", 760, 1000, 0, None),
    ],
    "Palletherstelling": [
        ("Demonteren en herstellen", 1300, 2600, 0, None),
        ("Transport", 0, 0, 200, ("De Groene Schakel", "0812345603")),
    ],
}
