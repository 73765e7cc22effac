"""Django admin of the call for projects, by topic (registered on import)."""

from . import agents, calls, jury, proposals  # noqa: F401
