"""Pages reached by a personal link (a token in the URL, no account needed).

``personal_link_page(lookup)`` resolves the ``token`` URL argument with ``lookup(token)``
(404 when unknown) and adds privacy headers: no caching (the back button reloads the server's
state), ``Referrer-Policy: same-origin`` (the token stays out of other sites' logs while CSRF
checks keep working) and ``noindex``.
"""

import functools
from collections.abc import Callable

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache


def personal_link_page(lookup: Callable[[str], object | None]):
    """Decorator: the view gets ``(request, obj, token, *args)``; 404 if ``lookup`` finds none."""

    def decorator(view):
        @functools.wraps(view)
        @never_cache
        def wrapper(request, token, *args, **kwargs):
            obj = lookup(token)
            if obj is None:
                raise Http404(_("Lien inconnu ou invalidé."))
            response = view(request, obj, token, *args, **kwargs)
            response["Referrer-Policy"] = "same-origin"
            response["X-Robots-Tag"] = "noindex, nofollow"
            return response

        return wrapper

    return decorator
