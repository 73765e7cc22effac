"""Model permissions read in one query: Django's ``ModelBackend`` with a cheaper
``get_all_permissions``.

Django's backend reads a user's permissions with two ORM queries (direct, then through groups)
on the first ``has_perm`` of each request; building those queries costs more than running them,
on every page a coordinator opens. :class:`PermissionsBackend` reads the same set with one plain
SQL query (a ``UNION`` of the two). Everything else is Django's: inactive and anonymous users
have no permission, a superuser has them all, object permissions are not supported, and the
set is kept on the user for the rest of the request (``_perm_cache``, as Django does).
"""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection


@functools.cache
def _permissions_sql() -> str:
    user_model = get_user_model()
    user_perms = user_model._meta.get_field("user_permissions").remote_field.through._meta
    user_groups = user_model._meta.get_field("groups").remote_field.through._meta
    group_perms = Group._meta.get_field("permissions").remote_field.through._meta
    return f"""
        SELECT ct.app_label, p.codename
        FROM {Permission._meta.db_table} p
        JOIN {ContentType._meta.db_table} ct ON ct.id = p.content_type_id
        WHERE p.id IN (
            SELECT permission_id FROM {user_perms.db_table} WHERE user_id = %s
            UNION
            SELECT gp.permission_id FROM {group_perms.db_table} gp
            JOIN {user_groups.db_table} ug ON ug.group_id = gp.group_id
            WHERE ug.user_id = %s
        )"""


class PermissionsBackend(ModelBackend):
    """``ModelBackend`` whose ``get_all_permissions`` is one query (see the module)."""

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        """``{"app_label.codename", …}`` of ``user_obj``, directly or through groups (all for a
        superuser, none for an inactive or anonymous user or for an object)."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            with connection.cursor() as cursor:
                cursor.execute(_permissions_sql(), [user_obj.pk, user_obj.pk])
                user_obj._perm_cache = {f"{app}.{codename}" for app, codename in cursor}
        return user_obj._perm_cache
