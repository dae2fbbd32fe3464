from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.evidence import EvidenceSerializer
from audits.models import Assessment, AssessmentResult, Audit, Finding, FindingSeverity
from audits.selectors import share_summary
from certification.models import CriterionKind


class AuditSerializer(serializers.ModelSerializer):
    application = serializers.PrimaryKeyRelatedField(read_only=True)
    reference = serializers.CharField(source="application.reference", read_only=True)
    state = serializers.CharField(source="application.state", read_only=True)
    enterprise_name = serializers.CharField(source="application.enterprise.name", read_only=True)
    product_name = serializers.CharField(source="application.product.name", read_only=True, allow_null=True)
    auditor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Audit
        fields = [
            "id", "application", "reference", "state", "enterprise_name", "product_name", "auditor",
            "scheduled_for", "started_at", "reported_at", "summary", "measured_social_share",
        ]  # fmt: skip
        read_only_fields = fields


class ProductionStepSerializer(serializers.Serializer):
    """One production step's hours over the scheme's reference period (the share criterion only)."""

    name = serializers.CharField(max_length=200, allow_blank=True)
    target_group_hours = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    all_hours = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    subcontracted_hours = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    subcontractor_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    subcontractor_enterprise_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    subcontractor_recognised = serializers.BooleanField(required=False, default=False)


class AssessmentSerializer(serializers.ModelSerializer):
    criterion = serializers.SlugRelatedField(slug_field="code", read_only=True)
    steps = ProductionStepSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = ["criterion", "result", "value", "comment", "assessed_at", "steps", "evidence"]
        read_only_fields = fields


class ChecklistItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    guidance = serializers.CharField()
    kind = serializers.ChoiceField(choices=CriterionKind.choices)
    mandatory = serializers.BooleanField()
    weight = serializers.IntegerField()
    pass_mark = serializers.IntegerField(allow_null=True, help_text="Score criteria: a pass from this score.")
    assessment = AssessmentSerializer(allow_null=True)


class FindingSerializer(serializers.ModelSerializer):
    criterion = serializers.SlugRelatedField(slug_field="code", read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id", "criterion", "severity", "description", "status", "due_date", "response", "responded_at",
            "closed_at", "created_at", "evidence",
        ]  # fmt: skip
        read_only_fields = fields


class ShareSummarySerializer(serializers.Serializer):
    formula = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    share = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    level = serializers.IntegerField(allow_null=True)
    declared = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    gap = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    thresholds = serializers.ListField(child=serializers.DecimalField(max_digits=5, decimal_places=2))


class AuditDetailSerializer(AuditSerializer):
    checklist = serializers.SerializerMethodField()
    share = serializers.SerializerMethodField()
    findings = FindingSerializer(many=True, read_only=True)

    class Meta(AuditSerializer.Meta):
        fields = [*AuditSerializer.Meta.fields, "checklist", "findings", "share"]
        read_only_fields = fields

    def get_checklist(self, audit: Audit) -> list[dict[str, Any]]:
        return ChecklistItemSerializer(self.context["checklist"], many=True).data  # type: ignore[return-value]

    @extend_schema_field(ShareSummarySerializer)
    def get_share(self, audit: Audit) -> dict[str, Any]:
        """The share computed from the recorded hours, its formula, period and level, beside the declared one."""
        return ShareSummarySerializer(share_summary(audit=audit)).data  # type: ignore[return-value]


class AssessmentWriteSerializer(serializers.Serializer):
    result = serializers.ChoiceField(
        choices=AssessmentResult.choices,
        required=False,
        allow_null=True,
        help_text="Required, except for the share criterion, whose result follows from its hours.",
    )
    value = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="A score or a percentage; the share criterion takes steps instead.",
    )
    comment = serializers.CharField(allow_blank=True, default="")
    steps = ProductionStepSerializer(
        many=True, required=False, help_text="The share criterion only: hours per production step."
    )


class FindingCreateSerializer(serializers.Serializer):
    criterion = serializers.CharField(required=False, allow_blank=True, help_text="Criterion code, e.g. C3.")
    severity = serializers.ChoiceField(choices=FindingSeverity.choices)
    description = serializers.CharField()


class FindingAnswerSerializer(serializers.Serializer):
    response = serializers.CharField()


class FindingCloseSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True, default="")
