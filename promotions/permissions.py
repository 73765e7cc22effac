"""The ``coordinators`` group: the programme team's permissions.

The group is created by migration ``promotions.0002`` (with a frozen copy of these apps); after every ``migrate`` its permissions
are brought up to date so that models added later by any app of the portal are covered.
"""

COORDINATORS_GROUP = "coordinators"
#: Apps whose every model coordinators may view, add, change and delete.
COORDINATOR_APPS = ("promotions", "challenges", "surveys")
#: Technical screens kept for superusers (periodic tasks of django-celery-beat): a coordinator
#: changing a schedule could stop the reminders; the group loses any permission it had on them.
SUPERUSER_ONLY_APPS = ("django_celery_beat",)


def coordinators_group_sync(apps=None, **kwargs) -> None:
    """Create the ``coordinators`` group if needed, give it every permission of COORDINATOR_APPS
    and take away those of SUPERUSER_ONLY_APPS.

    ``apps`` is a migration app registry or None (the live registry). Idempotent.
    """
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    perms = Permission.objects.filter(content_type__app_label__in=COORDINATOR_APPS)
    group.permissions.add(*perms)
    group.permissions.remove(
        *Permission.objects.filter(content_type__app_label__in=SUPERUSER_ONLY_APPS)
    )
