"""The shapes of error answers, for the OpenAPI description."""

from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in a sentence.")


class ConflictSerializer(ErrorSerializer):
    state = serializers.CharField(help_text="The current state.")
    allowed = serializers.ListField(child=serializers.CharField(), help_text="The transitions you may take now.")


class InvalidInputSerializer(ErrorSerializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False, help_text="Errors per field."
    )
    unmet = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Each unmet requirement, as a sentence."
    )
