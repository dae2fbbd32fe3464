from django.urls import reverse
from rest_framework import serializers

from audits.models import Evidence


class EvidenceSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at", "uploaded_by", "download_url"]
        read_only_fields = fields

    def get_download_url(self, evidence: Evidence) -> str:
        return reverse("api:evidence", args=[evidence.pk])


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, PNG or JPEG: a photo, a payroll extract, an inspection record.")
