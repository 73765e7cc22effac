"""Read-side queries of promotions."""

from django.db.models import Count, QuerySet

from .models import Promotion


def promotion_list() -> QuerySet[Promotion]:
    """All promotions in chronological order, annotated with ``n_fellows`` and ``n_challenges``."""
    return Promotion.objects.annotate(
        n_fellows=Count("fellows", distinct=True),
        n_challenges=Count("challenges", distinct=True),
    ).order_by("rank", "code")
