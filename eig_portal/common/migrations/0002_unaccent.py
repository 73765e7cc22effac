"""PostgreSQL extension ``unaccent`` for the French text search (a no-op on SQLite)."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("common", "0001_notification_log")]

    operations = [UnaccentExtension()]
