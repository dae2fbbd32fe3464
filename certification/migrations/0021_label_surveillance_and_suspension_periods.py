"""Each label's next surveillance due date (issue date plus its scheme's interval, for the labels
issued before), and the scheme's periods the public status depends on: the grace after a missed
surveillance and the longest suspension."""

from dateutil.relativedelta import relativedelta
from django.db import migrations, models


def first_surveillance_due(apps, schema_editor):  # type: ignore[no-untyped-def]
    Label = apps.get_model("certification", "Label")
    labels = Label.objects.filter(surveillance_due_on__isnull=True).select_related("scheme")
    for label in labels.iterator(chunk_size=1000):
        due = label.issued_on + relativedelta(months=label.scheme.surveillance_months)
        Label.objects.filter(pk=label.pk).update(surveillance_due_on=due)


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0020_label_renewal"),
    ]

    operations = [
        migrations.AddField(
            model_name="scheme",
            name="surveillance_grace_days",
            field=models.PositiveSmallIntegerField(
                default=30,
                help_text="A label whose surveillance is overdue by more than this reads suspended.",
                verbose_name="surveillance grace period (days)",
            ),
        ),
        migrations.AddField(
            model_name="scheme",
            name="max_suspension_months",
            field=models.PositiveSmallIntegerField(
                default=6,
                help_text="A label suspended for longer, and not reinstated, reads revoked.",
                verbose_name="maximum suspension (months)",
            ),
        ),
        migrations.AddField(
            model_name="label",
            name="surveillance_due_on",
            field=models.DateField(blank=True, null=True, verbose_name="next surveillance due on"),
        ),
        migrations.AddIndex(
            model_name="label",
            index=models.Index(fields=["scheme", "surveillance_due_on"], name="label_scheme_surveillance_due"),
        ),
        migrations.AlterField(
            model_name="label",
            name="status_reason_category",
            field=models.CharField(
                blank=True,
                choices=[
                    ("surveillance_overdue", "surveillance audit overdue"),
                    ("non_conformity", "non-conformity found"),
                    ("recognition_lapsed", "recognition of the enterprise lapsed"),
                    ("enterprise_request", "at the request of the enterprise"),
                    ("product_discontinued", "product or service discontinued"),
                    ("misuse", "misuse of the label"),
                    ("complaint_upheld", "a complaint was upheld"),
                    ("appeal_granted", "appeal granted"),
                    ("corrected", "the cause was remedied"),
                    ("renewed", "replaced by a renewed label"),
                    ("suspension_not_lifted", "suspension not lifted in time"),
                    ("change_under_review", "a change to the product is being assessed"),
                    ("other", "other"),
                ],
                max_length=24,
                verbose_name="reason for the status (public)",
            ),
        ),
        migrations.AddField(
            model_name="criterion",
            name="checked_at_surveillance",
            field=models.BooleanField(
                default=False,
                help_text="Assessed again at every surveillance audit (the measured share always is).",
                verbose_name="checked at surveillance",
            ),
        ),
        migrations.RunPython(first_surveillance_due, migrations.RunPython.noop),
    ]
