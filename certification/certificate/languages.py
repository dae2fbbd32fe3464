"""The languages a certificate is issued in: Dutch first (the default), then French and English
(DESIGN §7). Each issue of a certificate exists in all three, each its own PDF."""

from typing import Literal, cast

from django.utils.translation import gettext as _

from certification.exceptions import UnknownCertificateLanguage

Language = Literal["nl", "fr", "en"]
CERTIFICATE_LANGUAGES: tuple[Language, ...] = ("nl", "fr", "en")
DEFAULT_LANGUAGE: Language = "nl"
# Each language named in itself, as a link to the certificate in it reads.
LANGUAGE_NAMES: dict[Language, str] = {"nl": "Nederlands", "fr": "Français", "en": "English"}


def certificate_language(asked: str | None) -> Language:
    """The language a request asks the certificate in (`?lang=`): Dutch when it asks none."""
    if not asked:
        return DEFAULT_LANGUAGE
    if asked.strip().lower() in CERTIFICATE_LANGUAGES:
        return cast(Language, asked.strip().lower())
    raise UnknownCertificateLanguage(
        _("The certificate exists in Dutch (nl), French (fr) and English (en); “%(language)s” is none of these.")
        % {"language": asked[:20]}
    )
