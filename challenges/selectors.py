"""Read-side queries of défis."""

from django.db.models import QuerySet

from .models import Challenge


def challenge_list_public() -> QuerySet[Challenge]:
    """Published défis with their promotion and administration, newest promotion first."""
    return (
        Challenge.objects.filter(is_public=True)
        .select_related("promotion", "administration")
        .order_by("-promotion__rank", "title")
    )
