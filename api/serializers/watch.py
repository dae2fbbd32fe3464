"""Following a label or an enterprise by e-mail (the status watch)."""

from rest_framework import serializers


class SubscribeSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    label = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text="A label code to follow (forgiving, as the lookup)."
    )
    enterprise_number = serializers.CharField(
        required=False, allow_blank=True, max_length=20, help_text="Or the enterprise number (KBO/BCE) to follow."
    )
    language = serializers.ChoiceField(
        choices=["nl", "en", "fr"], required=False, help_text="Of the mails; the request's language by default."
    )
    website = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Leave empty: a trap for robots."
    )


class SubscriptionKeySerializer(serializers.Serializer):
    token = serializers.CharField(max_length=64, help_text="The last part of the link in the mail.")


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What happened, in a sentence.")


class FollowedSerializer(serializers.Serializer):
    label = serializers.CharField(allow_null=True, help_text="The label code followed, if a label.")
    enterprise_number = serializers.CharField(allow_null=True, help_text="The enterprise followed, if an enterprise.")


class ConfirmedSerializer(DetailSerializer):
    following = FollowedSerializer()
