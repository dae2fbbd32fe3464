"""Changes affecting certification: what the API shows of one, and what notifying one takes."""

from rest_framework import serializers

from certification.models import Change, ChangeKind


class ChangeSerializer(serializers.ModelSerializer):
    label = serializers.SlugRelatedField(slug_field="code", read_only=True)
    notified_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Change
        fields = ["id", "label", "kind", "description", "effective_on", "state", "decision", "notified_by",
                  "notified_at", "decided_at"]  # fmt: skip
        read_only_fields = fields


class NotifyChangeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ChangeKind.choices)
    description = serializers.CharField()
    effective_on = serializers.DateField()
