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


def proposals_submitted_by_promotion() -> dict[int, int]:
    """Défi proposals received per promotion, from the portal's records: ``{promotion_id: count}``.

    Feeds the « Défis proposés » row of « Le programme en chiffres » (``promotions.figures``).
    Contract: one database query at most, whatever the data size; a promotion whose call for
    projects did not run in the portal must be ABSENT (its cell then shows « — » and the declared
    figure alone), while a call that received nothing gives 0. Placeholder until the call for
    projects (issue 3, h4) counts submitted proposals here: no records yet.
    """
    return {}
