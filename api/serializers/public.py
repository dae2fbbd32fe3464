"""The public representation of a label (DESIGN §6), as the lookup, registry and verify return it."""

from rest_framework import serializers

from certification.models import KeyStatus, ProductKind, PublicStatus, RecognitionType, StatusReason


class PublicProductSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=ProductKind.choices)
    category = serializers.CharField(help_text="Category code.")


class PublicEnterpriseSerializer(serializers.Serializer):
    name = serializers.CharField()
    enterprise_number = serializers.CharField(help_text="Ten digits, KBO/BCE.")
    recognition_type = serializers.ChoiceField(choices=RecognitionType.choices)


class PublicLabelSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Canonical form, e.g. SE-7K3M-9QX2-4H6.")
    status = serializers.ChoiceField(choices=PublicStatus.choices)
    valid = serializers.BooleanField()
    level = serializers.IntegerField(min_value=1, max_value=3)
    social_share_percent = serializers.FloatField()
    product = PublicProductSerializer()
    enterprise = PublicEnterpriseSerializer()
    scheme = serializers.CharField()
    issued_on = serializers.DateField()
    valid_until = serializers.DateField()
    status_reason = serializers.ChoiceField(choices=StatusReason.choices, allow_null=True)
    status_since = serializers.DateTimeField(allow_null=True)
    verify_url = serializers.URLField()
    certificate_url = serializers.URLField(
        help_text="The certificate PDF in Dutch; with ?lang=fr or ?lang=en, wholly in French or in English."
    )
    superseded_by = serializers.CharField(allow_null=True)
    replaces = serializers.CharField(allow_null=True, help_text="The code of the label this one replaced, if any.")


class VerdictSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["authentic", "not_authentic", "cannot_tell"])
    reason = serializers.CharField(
        help_text="A stable code: issued, modified_pdf, bad_signature, not_issued, key_compromised, not_pdf..."
    )
    detail = serializers.CharField()
    label = PublicLabelSerializer(allow_null=True)
    certificate = serializers.ChoiceField(choices=["current", "superseded"], required=False)
    claims = serializers.DictField(required=False, help_text="The credential's claims, when one was sent.")


class VerifyRequestSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, help_text="A certificate PDF.")
    credential = serializers.CharField(required=False, help_text="A credential (compact JWS).")


class KeySerializer(serializers.Serializer):
    kty = serializers.CharField()
    crv = serializers.CharField()
    x = serializers.CharField()
    kid = serializers.CharField()
    use = serializers.CharField()
    alg = serializers.CharField()
    status = serializers.ChoiceField(choices=KeyStatus.values)


class KeySetSerializer(serializers.Serializer):
    keys = KeySerializer(many=True)
