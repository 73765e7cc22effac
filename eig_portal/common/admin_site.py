"""The portal's admin site: Django's, except that a filter value the database cannot compare
(a year of 20 digits or below 1, an integer beyond 64 bits) answers 400 instead of 500.

Django's changelist turns unknown lookups into « ?e=1 », but values that only fail when the
query runs (``OverflowError``, ``DataError``) escape it, and so does a form re-displayed with a
non-numeric id in an autocomplete field (``ValueError``); every admin view is wrapped here,
reads inside a savepoint so that the failed query leaves the connection usable (writes are in
the admin's own transactions).
"""

from __future__ import annotations

from functools import wraps

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import BadRequest
from django.db import DataError, transaction

#: Errors of a query built from a value the database cannot hold (a year of 20 digits or
#: below 1 gives ``OverflowError`` / ``ValueError`` while the query is compiled).
UNCOMPARABLE_VALUE_ERRORS = (OverflowError, ValueError, DataError)


def _rendered(response):
    """The response, rendered now if it is a template response (so errors surface here)."""
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    return response


class PortalAdminSite(AdminSite):
    """``AdminSite`` whose views answer 400 to values the database cannot compare."""

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


class PortalAdminConfig(AdminConfig):
    """``django.contrib.admin`` with ``PortalAdminSite`` as the default site."""

    default_site = "eig_portal.common.admin_site.PortalAdminSite"
