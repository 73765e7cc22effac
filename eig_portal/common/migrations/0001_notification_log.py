"""The email log moves to the common ground: same table (``challenges_notificationlog``), same
rows; only Django's model state changes (the table was created by challenges 0003)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("challenges", "0003_notification_log"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="NotificationLog",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("key", models.CharField(max_length=200, unique=True, verbose_name="clé")),
                        ("recipients", models.TextField(blank=True, verbose_name="destinataires")),
                        ("sent_at", models.DateTimeField(auto_now_add=True, verbose_name="envoyé le")),
                    ],
                    options={
                        "verbose_name": "notification envoyée",
                        "verbose_name_plural": "notifications envoyées",
                        "ordering": ["-sent_at"],
                        "db_table": "challenges_notificationlog",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
