"""Read-side queries of promotions."""

from django.db.models import Count, Q, QuerySet

from .models import Promotion


def promotion_list_public() -> QuerySet[Promotion]:
    """Promotions in chronological order for the public pages, annotated with ``n_fellows``,
    ``n_mentors`` and ``n_challenges`` (published défis only). Three subquery-free counts."""
    return Promotion.objects.annotate(
        n_fellows=Count("fellows", distinct=True),
        n_mentors=Count("mentors", distinct=True),
        n_challenges=Count("challenges", filter=Q(challenges__is_public=True), distinct=True),
    ).order_by("rank", "code")
