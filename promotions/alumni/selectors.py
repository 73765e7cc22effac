"""Reads of the alumni directory."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from eig_portal.common.tokens import hash_token

from .models import AlumniProfile, AlumniSituation


def alumni_profile_by_token(token: str) -> AlumniProfile | None:
    """The entry of a personal link, with its fellow and promotion; ``None`` if unknown."""
    return (
        AlumniProfile.objects.select_related("fellow__promotion")
        .filter(token_hash=hash_token(token))
        .first()
    )


def current_situation(profile: AlumniProfile) -> AlumniSituation | None:
    """The latest situation by ``as_of``."""
    return profile.situations.order_by("-as_of", "-pk").first()


def alumni_directory() -> QuerySet[AlumniProfile]:
    """Listed entries with ``situation`` (current situation key) and the fellow's défis."""
    latest = AlumniSituation.objects.filter(profile=OuterRef("pk")).order_by("-as_of", "-pk")
    return (
        AlumniProfile.objects.filter(is_listed=True)
        .select_related("fellow__promotion")
        .annotate(situation=Subquery(latest.values("situation")[:1]))
        .prefetch_related("fellow__challenges")
        .order_by("fellow__promotion__rank", "fellow__name")
    )
