"""Files people upload (an application's documents, a complaint's or an appeal's files, audit
evidence): what every one of them records, once it passed the checks of certification.uploads."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    PDF = "application/pdf", "PDF"
    PNG = "image/png", "PNG"
    JPEG = "image/jpeg", "JPEG"


class StoredFile(models.Model):
    """The facts of a checked upload. Each concrete model adds its `file` field (its own folder,
    under a name the service generates, never the person's) and what the file belongs to."""

    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=40, choices=DocumentType.choices)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    file: models.FileField

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
