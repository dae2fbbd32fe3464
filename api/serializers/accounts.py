from rest_framework import serializers


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    name = serializers.CharField(
        max_length=100, required=False, default="API", help_text="What the token is for, as your token list shows it."
    )


class TokenSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="token.pk", help_text="Revoke it with DELETE /api/v1/me/tokens/{id}/.")
    token = serializers.CharField(source="key", help_text="The key: shown this once, never again.")
    expires_at = serializers.DateTimeField(
        source="token.expires_at", help_text="When the token stops working: sign in again for a new one."
    )


class ApiTokenSerializer(serializers.Serializer):
    """A token as its owner's list shows it: never the key, which is not kept."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True, help_text="To the minute; null if never used.")
    expires_at = serializers.DateTimeField()


class ApiTokenRequestSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, help_text="What the token is for (a script, a machine).")


class NewApiTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(help_text="The key: shown this once, never again.")


class EnterpriseBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    enterprise_number = serializers.CharField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField(source="get_full_name")
    email = serializers.EmailField()
    roles = serializers.SerializerMethodField()
    enterprises = EnterpriseBriefSerializer(many=True)

    def get_roles(self, user: object) -> list[str]:
        return sorted(getattr(user, "roles", []))


class AuditorSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField(source="get_full_name")
