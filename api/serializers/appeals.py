"""Appeals through the API: what an applicant sends, what the applicant and officers see."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.complaints import UploadedFilesField
from certification.models import HistoryEvent
from certification.policies import allowed_transitions
from complaints.appeal_selectors import appeal_history
from complaints.models import Appeal, AppealFile, AppealKind, AppealState, ReopenStep


class AppealLodgingSerializer(serializers.Serializer):
    application = serializers.IntegerField(
        help_text="The application whose rejection, or whose label's suspension or revocation, is appealed."
    )
    arguments = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    reopen_at = serializers.ChoiceField(
        choices=ReopenStep.choices,
        required=False,
        allow_blank=True,
        help_text="For a rejection: the step to reopen at.",
    )
    files = UploadedFilesField(required=False, help_text="PDF, PNG or JPEG (multipart only).")


class AppealFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = AppealFile
        fields = ["id", "original_name", "content_type", "size", "sha256"]
        read_only_fields = fields


class AppealEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = HistoryEvent
        fields = ["created_at", "action", "actor", "from_state", "to_state", "comment"]
        read_only_fields = fields


class AppealSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=AppealKind.choices)
    state = serializers.ChoiceField(choices=AppealState.choices)
    application_reference = serializers.CharField(source="application.reference")
    label = serializers.CharField(source="label.code", default=None, allow_null=True)
    enterprise_name = serializers.CharField(source="enterprise.name")
    decided_on = serializers.DateTimeField(
        source="decision.created_at", help_text="When the decision appealed was taken."
    )
    lodged_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    files = AppealFileSerializer(many=True)
    history = serializers.SerializerMethodField()
    transitions = serializers.SerializerMethodField()

    class Meta:
        model = Appeal
        fields = [
            "id", "kind", "state", "application", "application_reference", "label", "enterprise_name",
            "decided_on", "arguments", "reopen_at", "lodged_by", "lodged_at", "decided_at", "reasons",
            "files", "history", "transitions",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(AppealEventSerializer(many=True))
    def get_history(self, appeal: Appeal) -> Any:
        return AppealEventSerializer(appeal_history(appeal).select_related("actor"), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_transitions(self, appeal: Appeal) -> list[str]:
        """The steps the person asking may take now."""
        return allowed_transitions(appeal, user=self.context["user"])
