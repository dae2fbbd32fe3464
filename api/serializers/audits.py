from typing import Any

from rest_framework import serializers

from audits.models import Assessment, AssessmentResult, Audit, Finding, FindingSeverity
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


class AssessmentSerializer(serializers.ModelSerializer):
    criterion = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Assessment
        fields = ["criterion", "result", "value", "comment", "assessed_at"]
        read_only_fields = fields


class ChecklistItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    guidance = serializers.CharField()
    kind = serializers.ChoiceField(choices=CriterionKind.choices)
    mandatory = serializers.BooleanField()
    weight = serializers.IntegerField()
    assessment = AssessmentSerializer(allow_null=True)


class FindingSerializer(serializers.ModelSerializer):
    criterion = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id", "criterion", "severity", "description", "status", "due_date", "response", "responded_at",
            "closed_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class AuditDetailSerializer(AuditSerializer):
    checklist = serializers.SerializerMethodField()
    findings = FindingSerializer(many=True, read_only=True)

    class Meta(AuditSerializer.Meta):
        fields = [*AuditSerializer.Meta.fields, "checklist", "findings"]
        read_only_fields = fields

    def get_checklist(self, audit: Audit) -> list[dict[str, Any]]:
        return ChecklistItemSerializer(self.context["checklist"], many=True).data  # type: ignore[return-value]


class AssessmentWriteSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=AssessmentResult.choices)
    value = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, allow_null=True)
    comment = serializers.CharField(allow_blank=True, default="")


class FindingCreateSerializer(serializers.Serializer):
    criterion = serializers.CharField(required=False, allow_blank=True, help_text="Criterion code, e.g. C3.")
    severity = serializers.ChoiceField(choices=FindingSeverity.choices)
    description = serializers.CharField()


class FindingAnswerSerializer(serializers.Serializer):
    response = serializers.CharField()


class FindingCloseSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True, default="")
