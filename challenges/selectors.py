"""Read-side queries of the défis catalogue."""

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from eig_portal.common.search import FrenchOrder
from promotions.models import Fellow

from .models import Challenge


def challenge_list_public() -> QuerySet[Challenge]:
    """Published défis with their promotion and administration, newest promotion first."""
    return (
        Challenge.objects.filter(is_public=True)
        .select_related("promotion", "administration")
        .order_by("-promotion__rank", FrenchOrder("title"), "pk")
    )


def challenge_list_public_page() -> QuerySet[Challenge]:
    """Published défis for the public list: ``challenge_list_public`` plus their themes."""
    return challenge_list_public().prefetch_related("themes")


def challenge_list_recent(*, limit: int = 6) -> list[Challenge]:
    """The « Défis récents » of the home page: up to ``limit`` published défis that have at least
    one EIG, newest promotion first (``Promotion.rank``), then newest publication date, then title.

    The promotion currently recruiting has no EIG yet, so its défis (still to be met) are left
    out rather than shown as if they had already been taken up. Two queries (défis, themes).
    """
    has_fellows = Challenge.fellows.through.objects.filter(challenge_id=OuterRef("pk"))
    return list(
        challenge_list_public_page()
        .filter(Exists(has_fellows))
        .order_by(
            F("promotion__rank").desc(nulls_last=True),
            F("published_at").desc(nulls_last=True),
            "title",
        )[:limit]
    )


def challenge_detail_public() -> QuerySet[Challenge]:
    """Published défis for their public page, annotated with counts of EIG (``n_fellows``, and
    ``n_developers``, ``n_designers``, ``n_data_scientists``) and ``n_mentors``; themes,
    expertises and key figures prefetched. No personal data is read."""

    def fellows(profile=None):
        condition = Q(fellows__profile=profile) if profile else None
        return Count("fellows", filter=condition, distinct=True)

    return (
        challenge_list_public()
        .annotate(
            n_fellows=fellows(),
            n_developers=fellows(Fellow.Profile.DEVELOPER),
            n_designers=fellows(Fellow.Profile.DESIGNER),
            n_data_scientists=fellows(Fellow.Profile.DATA_SCIENTIST),
            n_mentors=Count("mentors", distinct=True),
        )
        # The call for candidates' opening, for the « Candidater » link (no extra query).
        .select_related("opening__call")
        .prefetch_related("themes", "expertises", "key_figures")
    )
