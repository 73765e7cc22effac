"""Limits of user input shared by every form, import and request of the portal.

- ``TEXT_MAX_LENGTH``: the most characters a free-text field accepts (about ten pages);
  ``BoundedTextField`` applies it to model text fields (form field and ``full_clean``) without
  changing the database column; plain form fields take ``max_length=TEXT_MAX_LENGTH``.
- Requests holding a NUL character (``\\x00``) in their path, query string or form values are
  refused with 400 by ``RejectNulCharacterMiddleware``: no text of the portal may contain one
  and PostgreSQL refuses them.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.functional import cached_property

#: Maximum length of a free-text field, in characters (a proposal's longest answer is ~5,000).
TEXT_MAX_LENGTH = 20_000


class BoundedTextField(models.TextField):
    """A ``TextField`` limited to ``max_length`` characters (default ``TEXT_MAX_LENGTH``) in its
    form field and by ``full_clean``; the column stays ``text`` and migrations see a plain
    ``TextField`` (the limit is a rule of input, not of storage)."""

    def __init__(self, *args, max_length: int = TEXT_MAX_LENGTH, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)

    @cached_property
    def validators(self):
        """The field's validators plus the maximum length."""
        return [*super().validators, MaxLengthValidator(self.max_length)]

    def deconstruct(self):
        """Deconstructed as ``django.db.models.TextField`` (no migration for the limit)."""
        name, _path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == TEXT_MAX_LENGTH:
            del kwargs["max_length"]
        return name, "django.db.models.TextField", args, kwargs


def _has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values.getlist(key)) for key in values)


class RejectNulCharacterMiddleware:
    """400 for a request whose path, query string or form fields hold a NUL character."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        """Refuse (``BadRequest`` → the 400 page) or pass the request on."""
        if "\x00" in request.path or _has_nul(request.GET):
            raise BadRequest("NUL character in the URL")
        if request.method == "POST" and _has_nul(request.POST):
            raise BadRequest("NUL character in the form")
        return self.get_response(request)
