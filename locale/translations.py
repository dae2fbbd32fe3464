"""Dutch and French for the public pages and the words of DESIGN §7.

Fills the empty msgstr entries of locale/{nl,fr}/LC_MESSAGES/django.po from the table below;
run after `manage.py makemessages --no-wrap`, then `manage.py compilemessages`:

    .venv/bin/python locale/translations.py
"""

import re
from pathlib import Path

# msgid: (Dutch, French)
TABLE = {
    # DESIGN §7: the words the public sees, the same on every page, PDF and message.
    "valid": ("geldig", "valide"),
    "suspended": ("geschorst", "suspendu"),
    "revoked": ("ingetrokken", "retiré"),
    "expired": ("vervallen", "expiré"),
    "superseded": ("vervangen", "remplacé"),
    "label code": ("labelcode", "code du label"),
    "level": ("niveau", "niveau"),
    "social-economy share": ("aandeel sociale economie", "part d'économie sociale"),
    "applicant": ("aanvrager", "demandeur"),
    "auditor": ("auditor", "auditeur"),
    "certification officer": ("certificeringsverantwoordelijke", "responsable de la certification"),
    # Reasons the public is shown
    "surveillance audit overdue": ("opvolgingsaudit niet op tijd", "audit de surveillance en retard"),
    "non-conformity found": ("non-conformiteit vastgesteld", "non-conformité constatée"),
    "recognition of the enterprise lapsed": (
        "erkenning van de onderneming vervallen",
        "agrément de l'entreprise expiré",
    ),
    "at the request of the enterprise": ("op vraag van de onderneming", "à la demande de l'entreprise"),
    "product or service discontinued": ("product of dienst stopgezet", "produit ou service arrêté"),
    "misuse of the label": ("misbruik van het label", "usage abusif du label"),
    "the cause was remedied": ("de oorzaak is verholpen", "la cause a été corrigée"),
    "replaced by a renewed label": ("vervangen door een vernieuwd label", "remplacé par un label renouvelé"),
    "other": ("andere", "autre"),
    "product": ("product", "produit"),
    "service": ("dienst", "service"),
    "kind": ("soort", "type"),
    "status": ("status", "statut"),
    "category": ("categorie", "catégorie"),
    "enterprise number": ("ondernemingsnummer", "numéro d'entreprise"),
    "product, enterprise or label code": ("product, onderneming of labelcode", "produit, entreprise ou code du label"),
    "certificate (PDF)": ("certificaat (PDF)", "certificat (PDF)"),
    # Pages
    "A renewed label replaces this one.": (
        "Een vernieuwd label vervangt dit label.",
        "Un label renouvelé remplace celui-ci.",
    ),
    "API for developers": ("API voor ontwikkelaars", "API pour les développeurs"),
    "Case, spaces and dashes do not matter.": (
        "Hoofdletters, spaties en streepjes maken niet uit.",
        "Majuscules, espaces et tirets n'ont pas d'importance.",
    ),
    "Certificate (PDF)": ("Certificaat (PDF)", "Certificat (PDF)"),
    "Check": ("Controleer", "Vérifier"),
    "Check a certificate": ("Een certificaat controleren", "Vérifier un certificat"),
    "Check a label": ("Een label controleren", "Vérifier un label"),
    "Check the code for a typing error: it looks like SE-7K3M-9QX2-4H6.": (
        "Controleer de code op een tikfout: ze ziet eruit als SE-7K3M-9QX2-4H6.",
        "Vérifiez le code : il ressemble à SE-7K3M-9QX2-4H6.",
    ),
    "Download as CSV (open data)": ("Downloaden als CSV (open data)", "Télécharger en CSV (données ouvertes)"),
    "Enterprise": ("Onderneming", "Entreprise"),
    "Go": ("Kies", "OK"),
    "Is this label real, and still valid?": (
        "Is dit label echt, en nog geldig?",
        "Ce label est-il authentique et encore valide ?",
    ),
    "Issued by us": ("Door ons uitgereikt", "Délivré par nous"),
    "Issued on": ("Uitgereikt op", "Délivré le"),
    "Labels are issued by %(issuer)s after an audit on site.": (
        "Labels worden uitgereikt door %(issuer)s na een audit ter plaatse.",
        "Les labels sont délivrés par %(issuer)s après un audit sur place.",
    ),
    "Labels found": ("Gevonden labels", "Labels trouvés"),
    "Language": ("Taal", "Langue"),
    "Main": ("Hoofdmenu", "Menu principal"),
    "Next": ("Volgende", "Suivant"),
    "No label matches this search.": (
        "Geen label voldoet aan deze zoekopdracht.",
        "Aucun label ne correspond à cette recherche.",
    ),
    "No label with this code": ("Geen label met deze code", "Aucun label avec ce code"),
    "Not a certificate we issued": ("Geen certificaat van ons", "Pas un certificat délivré par nous"),
    "Page %(number)s of %(total)s": ("Pagina %(number)s van %(total)s", "Page %(number)s sur %(total)s"),
    "Pages": ("Pagina's", "Pages"),
    "Previous": ("Vorige", "Précédent"),
    "Product or service": ("Product of dienst", "Produit ou service"),
    "Reason": ("Reden", "Motif"),
    "Registry": ("Register", "Registre"),
    "Registry of labelled products and services": (
        "Register van gelabelde producten en diensten",
        "Registre des produits et services labellisés",
    ),
    "Scheme": ("Schema", "Schéma"),
    "Search": ("Zoeken", "Rechercher"),
    "Search the registry": ("Zoek in het register", "Rechercher dans le registre"),
    "Search the registry of labelled products and services": (
        "Zoek in het register van gelabelde producten en diensten",
        "Rechercher dans le registre des produits et services labellisés",
    ),
    "Skip to the content": ("Naar de inhoud", "Aller au contenu"),
    "Social economy label": ("Label sociale economie", "Label économie sociale"),
    "Social-economy enterprises employ people who find work hard to get elsewhere. The label says how much of the work on a product or service is theirs, measured by an auditor on site, and that the product meets quality criteria.": (
        "Ondernemingen uit de sociale economie bieden werk aan mensen die elders moeilijk werk vinden. Het label zegt hoeveel van het werk aan een product of dienst door hen gebeurt, gemeten door een auditor ter plaatse, en dat het product aan kwaliteitscriteria voldoet.",
        "Les entreprises d'économie sociale emploient des personnes qui trouvent difficilement du travail ailleurs. Le label indique quelle part du travail sur un produit ou un service est la leur, mesurée sur place par un auditeur, et que le produit répond à des critères de qualité.",
    ),
    "Status": ("Status", "Statut"),
    "This code was never issued. Beware of a false claim: a product showing it does not carry the social economy label.": (
        "Deze code werd nooit uitgereikt. Let op voor een vals label: een product met deze code draagt het label sociale economie niet.",
        "Ce code n'a jamais été délivré. Attention à une fausse mention : un produit qui l'affiche ne porte pas le label économie sociale.",
    ),
    "This is not a valid label code": ("Dit is geen geldige labelcode", "Ce n'est pas un code de label valide"),
    "This label expired after %(until)s.": (
        "Dit label is vervallen na %(until)s.",
        "Ce label a expiré après le %(until)s.",
    ),
    "This label is valid until %(until)s.": (
        "Dit label is geldig tot %(until)s.",
        "Ce label est valide jusqu'au %(until)s.",
    ),
    "Type the code again": ("Typ de code opnieuw", "Retapez le code"),
    "Type the label code from the product, the offer or the certificate. You will see at once whether the label is valid, and to what degree the product or service is made by the social economy.": (
        "Typ de labelcode van het product, de offerte of het certificaat. U ziet meteen of het label geldig is, en in welke mate het product of de dienst door de sociale economie gemaakt wordt.",
        "Tapez le code du label figurant sur le produit, l'offre ou le certificat. Vous voyez aussitôt si le label est valide, et dans quelle mesure le produit ou le service est réalisé par l'économie sociale.",
    ),
    "Valid until": ("Geldig tot", "Valide jusqu'au"),
    "We cannot tell": ("Dat kunnen we niet zeggen", "Nous ne pouvons pas le dire"),
    "Were you sent a certificate PDF? Upload it: we tell you whether it is exactly a certificate we issued, and the status of its label today.": (
        "Kreeg u een certificaat als PDF? Laad het op: we zeggen of het precies een certificaat is dat wij uitreikten, en wat de status van het label vandaag is.",
        "Vous avez reçu un certificat en PDF ? Chargez-le : nous vous disons s'il s'agit exactement d'un certificat que nous avons délivré, et le statut de son label aujourd'hui.",
    ),
    "What the label says": ("Wat het label zegt", "Ce que dit le label"),
    "at least %(share)s %% of the work by target-group employees": (
        "minstens %(share)s %% van het werk door doelgroepwerknemers",
        "au moins %(share)s %% du travail par des travailleurs des groupes cibles",
    ),
    "since": ("sinds", "depuis"),
    "No label with this code: it was never issued. Beware of a false claim.": (
        "Geen label met deze code: ze werd nooit uitgereikt. Let op voor een vals label.",
        "Aucun label avec ce code : il n'a jamais été délivré. Attention à une fausse mention.",
    ),
    "Page not found": ("Pagina niet gevonden", "Page introuvable"),
    "There is no page at this address. Were you checking a label? Type its code:": (
        "Op dit adres staat geen pagina. Wilde u een label controleren? Typ de code:",
        "Il n'y a pas de page à cette adresse. Vous vouliez vérifier un label ? Tapez son code :",
    ),
    "Not allowed": ("Niet toegestaan", "Non autorisé"),
    "Your account may not open this page.": (
        "Uw account mag deze pagina niet openen.",
        "Votre compte ne peut pas ouvrir cette page.",
    ),
    "Back to the home page": ("Terug naar de startpagina", "Retour à la page d'accueil"),
    "There is nothing at this address.": ("Op dit adres staat niets.", "Il n'y a rien à cette adresse."),
    # Answers of the verification and the code parser
    "This is not a valid label code (check character): check it for a typing error.": (
        "Dit is geen geldige labelcode (controleteken): kijk ze na op een tikfout.",
        "Ce n'est pas un code de label valide (caractère de contrôle) : vérifiez-le.",
    ),
    "This is not a valid label code: a label code has 11 characters after SE, like SE-7K3M-9QX2-4H6.": (
        "Dit is geen geldige labelcode: een labelcode heeft 11 tekens na SE, zoals SE-7K3M-9QX2-4H6.",
        "Ce n'est pas un code de label valide : un code compte 11 caractères après SE, comme SE-7K3M-9QX2-4H6.",
    ),
    "This is not a valid label code: it contains characters that label codes never use.": (
        "Dit is geen geldige labelcode: ze bevat tekens die labelcodes nooit gebruiken.",
        "Ce n'est pas un code de label valide : il contient des caractères que les codes n'utilisent jamais.",
    ),
    "This is a certificate issued by us, exactly as issued.": (
        "Dit is een certificaat dat wij uitreikten, precies zoals uitgereikt.",
        "C'est un certificat délivré par nous, exactement tel que délivré.",
    ),
    "This certificate was issued by us, and later replaced by a newer certificate of the same label.": (
        "Dit certificaat werd door ons uitgereikt en later vervangen door een nieuwer certificaat van hetzelfde label.",
        "Ce certificat a été délivré par nous, puis remplacé par un certificat plus récent du même label.",
    ),
    "Its status today: %(status)s.": ("De status vandaag: %(status)s.", "Son statut aujourd'hui : %(status)s."),
    "This PDF names label %(code)s but is not the certificate we issued: it was changed.": (
        "Deze PDF vermeldt label %(code)s maar is niet het certificaat dat wij uitreikten: ze werd gewijzigd.",
        "Ce PDF mentionne le label %(code)s mais n'est pas le certificat que nous avons délivré : il a été modifié.",
    ),
    "We never issued this PDF.": ("Wij hebben deze PDF nooit uitgereikt.", "Nous n'avons jamais délivré ce PDF."),
    "The file is empty: send the certificate PDF as you received it.": (
        "Het bestand is leeg: stuur de certificaat-PDF zoals u die ontving.",
        "Le fichier est vide : envoyez le PDF du certificat tel que vous l'avez reçu.",
    ),
    "This is not a PDF: send the certificate PDF as you received it.": (
        "Dit is geen PDF: stuur de certificaat-PDF zoals u die ontving.",
        "Ce n'est pas un PDF : envoyez le PDF du certificat tel que vous l'avez reçu.",
    ),
    "The upload is larger than %(limit)s; a certificate is far smaller. Send the certificate PDF.": (
        "Het bestand is groter dan %(limit)s; een certificaat is veel kleiner. Stuur de certificaat-PDF.",
        "Le fichier dépasse %(limit)s ; un certificat est bien plus petit. Envoyez le PDF du certificat.",
    ),
}
PLURALS: dict[tuple[str, str], tuple[tuple[str, str], tuple[str, str]]] = {
    ("%(counter)s label", "%(counter)s labels"): (
        ("%(counter)s label", "%(counter)s labels"),
        ("%(counter)s label", "%(counter)s labels"),
    ),
}


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


HEADER_TEMPLATE = """# SOME DESCRIPTIVE TITLE.
# Copyright (C) YEAR THE PACKAGE'S COPYRIGHT HOLDER
# This file is distributed under the same license as the PACKAGE package.
# FIRST AUTHOR <EMAIL@ADDRESS>, YEAR.
#
#, fuzzy
"""


def fill(path: Path, column: int) -> int:
    po = path.read_text()
    language = path.parent.parent.name
    # A fuzzy header would be dropped by msgfmt, and with it the charset and plural forms.
    po = po.replace(HEADER_TEMPLATE, f"# {language} messages of SE-label.\n#\n", 1)
    po = po.replace('"Language: \\n"', f'"Language: {language}\\n"', 1)
    po = po.replace('"Project-Id-Version: PACKAGE VERSION\\n"', '"Project-Id-Version: SE-label\\n"', 1)
    filled = 0
    for msgid, translations in TABLE.items():
        pattern = re.compile(r'(^msgid "' + re.escape(_quote(msgid)) + r'"\nmsgstr )""$', re.M)
        text = _quote(translations[column]).replace("\\", "\\\\")  # a replacement template
        po, count = pattern.subn(r"\g<1>" + '"' + text + '"', po)
        filled += count
    for (single, plural), plural_forms in PLURALS.items():
        one, many = plural_forms[column]
        pattern = re.compile(
            r'(^msgid "'
            + re.escape(single)
            + r'"\nmsgid_plural "'
            + re.escape(plural)
            + r'"\n)msgstr\[0\] ""\nmsgstr\[1\] ""$',
            re.M,
        )
        po, count = pattern.subn(r"\g<1>" + f'msgstr[0] "{one}"\nmsgstr[1] "{many}"', po)
        filled += count
    path.write_text(po)
    return filled


if __name__ == "__main__":
    root = Path(__file__).resolve().parent
    for language, column in (("nl", 0), ("fr", 1)):
        print(language, fill(root / language / "LC_MESSAGES" / "django.po", column), "entries filled")
