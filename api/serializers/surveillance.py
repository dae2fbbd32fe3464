"""Surveillance of labels (DESIGN §9): the labels due, the audits and their checklist."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.audits import ChecklistItemSerializer, ProductionStepSerializer
from api.serializers.evidence import EvidenceSerializer
from audits.surveillance import Surveillance, SurveillanceAssessment
from audits.surveillance_selectors import surveillance_share_summary


class DueLabelSerializer(serializers.Serializer):
    code = serializers.CharField()
    product = serializers.CharField(source="product.name")
    enterprise = serializers.CharField(source="product.enterprise.name")
    level = serializers.IntegerField()
    surveillance_due_on = serializers.DateField()
    overdue = serializers.SerializerMethodField()
    open_surveillance = serializers.IntegerField(allow_null=True, help_text="The surveillance audit under way, if any.")

    def get_overdue(self, label: Any) -> bool:
        return bool(label.surveillance_due_on < self.context["today"])


class SurveillanceSerializer(serializers.ModelSerializer):
    label = serializers.SlugRelatedField(slug_field="code", read_only=True)
    enterprise_name = serializers.CharField(source="label.product.enterprise.name", read_only=True)
    product_name = serializers.CharField(source="label.product.name", read_only=True)
    auditor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Surveillance
        fields = [
            "id", "label", "enterprise_name", "product_name", "auditor", "scheduled_for", "state", "started_at",
            "reported_at", "summary", "measured_social_share", "corrective_actions", "corrective_actions_due",
            "response", "decided_at",
        ]  # fmt: skip
        read_only_fields = fields


class SurveillanceShareSerializer(serializers.Serializer):
    formula = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    share = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    level = serializers.IntegerField(allow_null=True)
    label_share = serializers.DecimalField(
        max_digits=5, decimal_places=2, help_text="The label's share, to which a drop is compared."
    )
    label_level = serializers.IntegerField()
    gap = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    limit = serializers.DecimalField(
        max_digits=5, decimal_places=2, help_text="A drop of more points needs the auditor's explanation."
    )
    thresholds = serializers.ListField(child=serializers.DecimalField(max_digits=5, decimal_places=2))


class ExtraSurveillanceOrderSerializer(serializers.Serializer):
    ordered_at = serializers.DateTimeField()
    by = serializers.ChoiceField(choices=["complaint", "change"], help_text="What the decision that ordered it was on.")
    complaint = serializers.CharField(allow_null=True, help_text="Its tracking number (shown to officers only).")
    change = serializers.IntegerField(allow_null=True, help_text="The change affecting certification, if that.")


class SurveillanceDetailSerializer(SurveillanceSerializer):
    checklist = serializers.SerializerMethodField()
    share = serializers.SerializerMethodField()
    ordered_by = serializers.SerializerMethodField(
        help_text="When it is an extra surveillance audit: the decisions that ordered it, oldest first."
    )

    class Meta(SurveillanceSerializer.Meta):
        fields = [*SurveillanceSerializer.Meta.fields, "checklist", "share", "ordered_by"]
        read_only_fields = fields

    @extend_schema_field(ExtraSurveillanceOrderSerializer(many=True))
    def get_ordered_by(self, surveillance: Surveillance) -> list[dict[str, Any]]:
        return ExtraSurveillanceOrderSerializer(self.context["ordered_by"], many=True).data  # type: ignore[return-value]

    def get_checklist(self, surveillance: Surveillance) -> list[dict[str, Any]]:
        return ChecklistItemSerializer(self.context["checklist"], many=True).data  # type: ignore[return-value]

    @extend_schema_field(SurveillanceShareSerializer)
    def get_share(self, surveillance: Surveillance) -> dict[str, Any]:
        """The share computed from the hours recorded at this surveillance, its formula, period and
        level, beside the label's."""
        return SurveillanceShareSerializer(surveillance_share_summary(surveillance=surveillance)).data  # type: ignore[return-value]


class SurveillanceAssessmentSerializer(serializers.ModelSerializer):
    criterion = serializers.SlugRelatedField(slug_field="code", read_only=True)
    steps = ProductionStepSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = SurveillanceAssessment
        fields = ["criterion", "result", "value", "comment", "assessed_at", "steps", "evidence"]
        read_only_fields = fields


class ScheduleSurveillanceSerializer(serializers.Serializer):
    auditor = serializers.CharField(help_text="The auditor's username.")
    scheduled_for = serializers.DateField()
