from rest_framework import serializers

from certification.models import Enterprise, Product, ProductCategory, ProductKind


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductCategory
        fields = ["code", "name_nl", "name_en", "name_fr"]


class ProductSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    enterprise = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Product
        fields = ["id", "enterprise", "kind", "name", "description", "category", "gtin", "created_at"]


class ProductWriteSerializer(serializers.Serializer):
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.all(), required=False, help_text="Needed only when you belong to several."
    )
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=ProductKind.choices, default=ProductKind.PRODUCT)
    category = serializers.SlugRelatedField(slug_field="code", queryset=ProductCategory.objects.all())
    description = serializers.CharField(allow_blank=True, default="")
    gtin = serializers.CharField(allow_blank=True, default="", max_length=20)
