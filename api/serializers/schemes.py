from rest_framework import serializers

HOURS = {"max_digits": 12, "decimal_places": 2}
PERCENT = {"max_digits": 5, "decimal_places": 2}


class PublishedCriterionSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    guidance = serializers.CharField()
    kind = serializers.CharField()
    mandatory = serializers.BooleanField()
    weight = serializers.IntegerField()
    pass_mark = serializers.IntegerField(allow_null=True, help_text="Score criteria: a pass from this score of 4.")
    product_quality = serializers.BooleanField(help_text="Controls the quality of the product or service.")


class PublishedCategorySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    criteria = PublishedCriterionSerializer(many=True)


class LevelSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    min_share = serializers.DecimalField(**PERCENT)


class ExampleStepSerializer(serializers.Serializer):
    name = serializers.CharField()
    target_group_hours = serializers.DecimalField(**HOURS)
    all_hours = serializers.DecimalField(**HOURS)
    subcontracted_hours = serializers.DecimalField(**HOURS)
    subcontractor_recognised = serializers.BooleanField()
    counted_hours = serializers.DecimalField(**HOURS)
    total_hours = serializers.DecimalField(**HOURS)


class WorkedExampleSerializer(serializers.Serializer):
    steps = ExampleStepSerializer(many=True)
    counted_hours = serializers.DecimalField(**HOURS)
    total_hours = serializers.DecimalField(**HOURS)
    share = serializers.DecimalField(**PERCENT)
    level = serializers.IntegerField(allow_null=True)


class SchemeSummarySerializer(serializers.Serializer):
    name = serializers.CharField()
    version = serializers.CharField()
    status = serializers.CharField()
    applies_from = serializers.DateTimeField(allow_null=True)
    applies_until = serializers.DateTimeField(allow_null=True, help_text="Null while the version is in force.")
    url = serializers.CharField(help_text="This version's page.")


class SchemeSerializer(serializers.Serializer):
    name = serializers.CharField()
    version = serializers.CharField()
    status = serializers.CharField()
    applies_from = serializers.DateTimeField(allow_null=True)
    applies_until = serializers.DateTimeField(allow_null=True)
    validity_months = serializers.IntegerField()
    surveillance_months = serializers.IntegerField()
    reference_period_months = serializers.IntegerField(help_text="The share is measured over these months.")
    levels = LevelSerializer(many=True)
    max_share_gap = serializers.DecimalField(**PERCENT)
    min_quality_score = serializers.DecimalField(**PERCENT)
    share_formula = serializers.CharField()
    quality_formula = serializers.CharField()
    worked_example = WorkedExampleSerializer()
    categories = PublishedCategorySerializer(many=True)
