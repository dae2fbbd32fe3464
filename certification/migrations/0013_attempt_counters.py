from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0012_api_tokens"),
    ]

    operations = [
        migrations.CreateModel(
            name="AttemptCounter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=100, unique=True)),
                ("count", models.PositiveIntegerField(default=0)),
                ("window_started_at", models.DateTimeField()),
                ("spent_until", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "verbose_name": "attempt counter",
                "verbose_name_plural": "attempt counters",
            },
        ),
    ]
