"""Read-side queries of the défis catalogue."""

from django.db.models import Count, Q, QuerySet

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
        .prefetch_related("themes", "expertises", "key_figures")
    )
