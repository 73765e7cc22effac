"""The portal's admin site: Django's, except that a filter value the database cannot compare
(a year of 20 digits or below 1, an integer beyond 64 bits) answers 400 instead of 500.

Django's changelist turns unknown lookups into « ?e=1 », but values that only fail when the
query runs (``OverflowError``, ``DataError``) escape it, and so does a form re-displayed with a
non-numeric id in an autocomplete field (``ValueError``); every admin view is wrapped here,
reads inside a savepoint so that the failed query leaves the connection usable (writes are in
the admin's own transactions).
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import BadRequest
from django.db import DataError, transaction
from django.urls import get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

#: Errors of a query built from a value the database cannot hold (a year of 20 digits or
#: below 1 gives ``OverflowError`` / ``ValueError`` while the query is compiled).
UNCOMPARABLE_VALUE_ERRORS = (OverflowError, ValueError, DataError)


def _rendered(response):
    """The response, rendered now if it is a template response (so errors surface here)."""
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    return response


class PortalAdminSite(AdminSite):
    """``AdminSite`` whose views answer 400 to values the database cannot compare, and whose
    navigation sidebar is kept rendered (see ``each_context``)."""

    def get_app_list(self, request, app_label=None):
        """Django's list of apps and models the user may see, built only when first used: the
        sidebar kept rendered does not need it (about 50 models, each with its permission
        checks and URLs, on every admin page)."""
        build = super().get_app_list
        return SimpleLazyObject(lambda: build(request, app_label))

    def each_context(self, request):
        """Django's context, plus ``nav_sidebar_key``: what the navigation sidebar depends on —
        the language, the user's permissions (which models and links it lists) and the section
        of the admin being read (which entry it marks as current). The sidebar is kept rendered
        under that key in each process (``templates/admin/nav_sidebar.html``, ``fragments``
        cache)."""
        context = super().each_context(request)
        context["nav_sidebar_key"] = nav_sidebar_key(request, self.name)
        return context

    def admin_view(self, view, cacheable=False):
        """Django's ``admin_view`` around a view that turns ``UNCOMPARABLE_VALUE_ERRORS`` raised
        while answering or rendering into ``BadRequest`` (the 400 page), nothing written."""

        @wraps(view)
        def guarded(request, *args, **kwargs):
            try:
                if request.method not in ("GET", "HEAD"):
                    # No savepoint around writes: their jobs must be handed over when the
                    # view's own transaction commits (``common.jobs``), inside the view.
                    return _rendered(view(request, *args, **kwargs))
                with transaction.atomic():
                    return _rendered(view(request, *args, **kwargs))
            except UNCOMPARABLE_VALUE_ERRORS as error:
                raise BadRequest(f"Invalid filter value: {error}") from None

        return super().admin_view(guarded, cacheable=cacheable)


def nav_sidebar_key(request, site_name: str = "admin") -> str:
    """``"<language>|<script prefix>|<section>|<digest of the permissions>"`` of the request:
    two requests with the same key get the same sidebar. The section is the first two path
    segments under the admin's root (app and model), which decide the entry marked current;
    the digest covers every permission of the user (superuser included, inactive users have
    none)."""
    user = request.user
    perms = sorted(user.get_all_permissions()) if user.is_active else []
    root = reverse(f"{site_name}:index")
    rest = request.path[len(root) :] if request.path.startswith(root) else ""
    section = "/".join(rest.split("/")[:2])
    digest = hashlib.sha256("\n".join(perms).encode()).hexdigest()
    return "|".join([get_language() or "", get_script_prefix(), section, digest])


class PortalAdminConfig(AdminConfig):
    """``django.contrib.admin`` with ``PortalAdminSite`` as the default site."""

    default_site = "eig_portal.common.admin_site.PortalAdminSite"
