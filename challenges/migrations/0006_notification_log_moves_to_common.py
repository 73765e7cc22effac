"""The email log now belongs to the common ground (app ``common``): the table stays, only the
model state leaves the challenges app."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("challenges", "0005_withdrawn_draft_has_no_date"),
        ("common", "0001_notification_log"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="NotificationLog")],
            database_operations=[],
        ),
    ]
