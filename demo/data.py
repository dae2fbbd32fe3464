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
}

# username: (first name, last name, roles, enterprise or None)
ACCOUNTS = {
    "applicant1": ("An", "Peeters", [Role.APPLICANT], "groene-schakel"),
    "applicant2": ("Bart", "Claes", [Role.APPLICANT], "kempenland"),
    "auditor1": ("Chloé", "Dubois", [Role.AUDITOR], None),
    "auditor2": ("Dirk", "Janssens", [Role.AUDITOR], None),
    "officer1": ("Eva", "Maes", [Role.OFFICER], None),
    "officer2": ("Frank", "Wouters", [Role.OFFICER], None),
}

# (enterprise, product name, kind, category, GTIN, declared share, how far, extra step on the label)
APPLICATIONS = [
    ("groene-schakel", "Biologische confituur", ProductKind.PRODUCT, "food", "5410013108009", "82", S.APPROVED, None),
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
    ("kempenland", "Fietsassemblage", ProductKind.SERVICE, "assembly", "", "71", S.APPROVED, None),
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
