"""Django admin of the challenges app, by topic: the défis catalogue here, the call for
projects in ``challenges.calls.admin`` (both registered on import)."""

from challenges.calls import admin as calls_admin  # noqa: F401

from . import catalogue  # noqa: F401
