"""Who may read the register and act on people's data: coordinators (group ``coordinators``)
or staff holding ``privacy.view_register``."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

COORDINATORS_GROUP = "coordinators"


def is_privacy_officer(user) -> bool:
    """True for an active staff user in the coordinators' group or with the permission."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return (
        user.has_perm("privacy.view_register")
        or user.groups.filter(name=COORDINATORS_GROUP).exists()
    )


def privacy_officer_required(view):
    """Anonymous → login page; signed in without the right → 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_privacy_officer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
