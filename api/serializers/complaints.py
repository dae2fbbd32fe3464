"""Complaints through the API: what a complainant sends, what the public and officers see."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from certification.models import HistoryEvent
from complaints.models import ComplaintCategory, ComplaintFile, ComplaintState


class UploadedFilesField(serializers.ListField):
    """Files sent in a multipart form under one name: one sentence when any is not a file (never
    an error per position, which the error shape does not have)."""

    child = serializers.FileField()

    def to_internal_value(self, data: Any) -> list[Any]:
        try:
            return list(super().to_internal_value(data))
        except serializers.ValidationError as error:
            raise serializers.ValidationError([_("Send the files in a multipart form, each as a file.")]) from error


class ComplaintFilingSerializer(serializers.Serializer):
    """Every field is optional here: the service says, a sentence each, what is missing."""

    label = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text="The label code complained about."
    )
    enterprise_number = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text="Or the enterprise complained about (Belgian enterprise number).",
    )
    category = serializers.ChoiceField(choices=ComplaintCategory.choices, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    email = serializers.CharField(
        required=False, allow_blank=True, max_length=254, help_text="Optional: where to mail each stage."
    )
    website = serializers.CharField(required=False, allow_blank=True, help_text="Leave empty (a trap for machines).")
    files = UploadedFilesField(required=False, help_text="PDF, PNG or JPEG (multipart only).")


class ComplaintStageSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ComplaintState.choices)
    at = serializers.DateTimeField()


class PublicComplaintSerializer(serializers.Serializer):
    """What anyone holding the tracking number sees (complaints.selectors.public_complaint)."""

    tracking_number = serializers.CharField()
    status = serializers.ChoiceField(choices=ComplaintState.choices)
    overdue = serializers.BooleanField(help_text="Past its deadline to be acknowledged or decided.")
    category = serializers.ChoiceField(choices=ComplaintCategory.choices)
    label = serializers.CharField(allow_null=True)
    enterprise = serializers.CharField()
    received_at = serializers.DateTimeField()
    acknowledge_by = serializers.DateField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    decide_by = serializers.DateField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    led_to_suspension = serializers.BooleanField()
    stages = ComplaintStageSerializer(many=True)


class ComplaintFileSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ComplaintFile
        fields = ["id", "original_name", "content_type", "size", "sha256", "download_url"]
        read_only_fields = fields

    def get_download_url(self, file: ComplaintFile) -> str:
        return reverse("api:officer-complaint-file", args=[file.complaint.tracking_number, file.pk])


class ComplaintEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = HistoryEvent
        fields = ["created_at", "action", "actor", "from_state", "to_state", "comment"]
        read_only_fields = fields


class OrderedSurveillanceSerializer(serializers.Serializer):
    ordered_at = serializers.DateTimeField()
    due_on = serializers.DateField(help_text="The label's surveillance falls due on this day: at once.")
    surveillance = serializers.IntegerField(
        allow_null=True,
        help_text="The surveillance audit that answers it, once scheduled (/api/v1/surveillances/{id}/).",
    )


class OfficerComplaintSerializer(PublicComplaintSerializer):
    """What the certification officers see: also what it says, who sent it, its files and notes."""

    description = serializers.CharField()
    email = serializers.CharField(allow_blank=True)
    language = serializers.CharField()
    handled_by = serializers.CharField(allow_null=True)
    files = ComplaintFileSerializer(many=True)
    history = ComplaintEventSerializer(many=True)
    extra_surveillance = OrderedSurveillanceSerializer(
        allow_null=True, help_text="The extra surveillance audit of the label its upholding ordered, if any."
    )
    transitions = serializers.ListField(child=serializers.CharField(), help_text="Those you may take now.")
