from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from certification.models import Application, ApplicationDocument, ApplicationState, Enterprise, HistoryEvent, Product


class ApplicationSerializer(serializers.ModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True, default=None, allow_null=True)
    category = serializers.CharField(source="product.category.code", read_only=True, default=None, allow_null=True)
    scheme = serializers.CharField(read_only=True, allow_null=True, help_text="Frozen at submission.")
    auditor = serializers.SerializerMethodField()
    label = serializers.SerializerMethodField()
    measured_social_share = serializers.SerializerMethodField(
        help_text="As reported: computed from the hours per production step; null before the report."
    )
    renews = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="The code of the label this application renews, if it is a renewal.",
    )

    class Meta:
        model = Application
        fields = [
            "id", "reference", "state", "enterprise", "enterprise_name", "product", "product_name", "category",
            "scheme", "declared_social_share", "measured_social_share", "production_description", "auditor", "label",
            "renews",
            "created_at", "submitted_at", "decided_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_auditor(self, application: Application) -> str | None:
        audit = getattr(application, "audit", None)
        return audit.auditor.get_username() if audit else None

    @extend_schema_field(serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True))
    def get_measured_social_share(self, application: Application) -> str | None:
        audit = getattr(application, "audit", None)
        share = audit.measured_social_share if audit else None
        return None if share is None else f"{share:.2f}"

    def get_label(self, application: Application) -> str | None:
        label = getattr(application, "label", None)
        return label.code if label else None


class ApplicationWriteSerializer(serializers.Serializer):
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.all(),
        required=False,
        help_text="On create; needed only when you belong to several.",
    )
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), allow_null=True, required=False)
    declared_social_share = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, allow_null=True, required=False
    )
    production_description = serializers.CharField(allow_blank=True, required=False)


class DocumentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationDocument
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, document: ApplicationDocument) -> str:
        return reverse("api:application-document-download", args=[document.application_id, document.pk])


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, PNG or JPEG.")


class HistoryEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = HistoryEvent
        fields = ["created_at", "action", "actor", "from_state", "to_state", "comment", "data"]
        read_only_fields = fields


class TransitionOptionSerializer(serializers.Serializer):
    name = serializers.CharField()
    target = serializers.ChoiceField(choices=ApplicationState.choices)
    fields = serializers.DictField(child=serializers.CharField(), help_text="Body fields and what each is.")


class RenewalSerializer(serializers.Serializer):
    opens_on = serializers.DateField(help_text="The first day the label can be renewed.")
    renewable = serializers.BooleanField(help_text="Whether a renewal can be started now.")
    detail = serializers.CharField(allow_null=True, help_text="Why not, when it cannot.")
    application = serializers.IntegerField(allow_null=True, help_text="The renewal under way, if any.")
