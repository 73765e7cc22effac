"""The one access rule of the coordinators' pages: the ``coordinators`` group or the precise
model permission — never ``is_staff`` alone.

``is_staff`` only opens Django's admin (whose pages check model permissions themselves); a staff
account without permissions must get nothing from the follow-up pages, exports, imports, the
results API or the dashboard. Every such view declares the model permission it needs:

- function views: ``@coordinator_required("surveys.view_response")``;
- DRF views: ``permission_classes = [IsCoordinator]`` and ``required_permission = "…"``;
- anything else: ``user_is_coordinator(user, "app.codename")``.

Anonymous visitors are sent to the login page; a logged-in person without the right gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission


def user_is_coordinator(user, permission: str) -> bool:
    """True when ``user`` is an active staff member holding ``permission`` (``"app.codename"``)
    directly, through a group (the ``coordinators`` group holds every permission of the
    portal's apps) or as a superuser; False for anonymous, inactive or permission-less users."""
    if not (
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "is_staff", False)
    ):
        return False
    return bool(user.has_perm(permission))


def coordinator_required(permission: str) -> Callable:
    """Decorator of a function view: login page for anonymous visitors, 403
    (``PermissionDenied``) unless ``user_is_coordinator(request.user, permission)``."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_is_coordinator(request.user, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.coordinator_permission = permission
        return wrapped

    return decorator


class IsCoordinator(BasePermission):
    """DRF permission: ``user_is_coordinator(request.user, view.required_permission)``
    (401/403 otherwise). A view without ``required_permission`` is refused to everybody."""

    def has_permission(self, request, view) -> bool:
        """See the class docstring."""
        permission = getattr(view, "required_permission", None)
        return bool(permission) and user_is_coordinator(request.user, permission)
