from django.db import migrations

# Frozen copy of the group's name and apps when this migration was written: a migration must
# not import live code (``promotions.permissions`` may change; the post_migrate hook of
# ``PromotionsConfig.ready`` keeps the group complete with the apps of the day).
GROUP = "coordinators"
APPS = ("promotions", "challenges", "surveys", "django_celery_beat")


def create_group(apps, schema_editor):
    """Create the coordinators group with every permission of APPS (historical models only)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; create them now so the group gets them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label__in=APPS))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("promotions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
