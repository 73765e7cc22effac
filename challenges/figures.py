"""The défis' share of « Le programme en chiffres » (``promotions.figures``), registered at start-up
by ``ChallengesConfig.ready`` so that promotions imports nothing of this app: défis and mentors
per promotion (annotations of the one promotions query) and new administrations per promotion."""

from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery

from promotions.figures import count_subquery
from promotions.models import Administration, Mentor

from .models import Challenge


def promotion_record_annotations() -> dict[str, Any]:
    """Annotations of the promotions query (correlated with ``OuterRef("pk")``, no extra query).

    ``r_challenges``: défis of the promotion; ``r_mentors``: mentors attached to the promotion
    or to one of its défis (each counted once).
    """
    mentor_links = Challenge.mentors.through.objects.filter(
        challenge__promotion=OuterRef(OuterRef("pk"))
    ).values("mentor_id")
    mentors = Mentor.objects.filter(Q(promotion=OuterRef("pk")) | Q(pk__in=mentor_links))
    return {
        "r_mentors": count_subquery(mentors),
        "r_challenges": count_subquery(Challenge.objects.filter(promotion=OuterRef("pk"))),
    }


def new_administrations_by_promotion() -> dict[int, int]:
    """``{promotion_id: n}``: administrations whose first défi is in that promotion (one query).

    « First » orders the administration's défis by promotion ``rank``, then year, code and id, so
    that an administration present in two promotions of the same rank (EIG 3 and DIG) is new in
    one of them only; défis without a promotion are ignored; a promotion absent counts 0.
    """
    first = (
        Challenge.objects.filter(administration=OuterRef("pk"), promotion__isnull=False)
        .order_by("promotion__rank", "promotion__year", "promotion__code", "promotion_id")
        .values("promotion_id")[:1]
    )
    rows = (
        # No filter on the annotation: PostgreSQL would evaluate the subquery twice per row;
        # administrations without défi form one group, keyed None, left out below.
        Administration.objects.annotate(first_promotion=Subquery(first))
        .values("first_promotion")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["first_promotion"]: row["n"] for row in rows if row["first_promotion"] is not None}


def new_host_organisation_counts() -> dict[str, dict[int, int]]:
    """``{"new_host_organisations": {promotion_id: n}}`` for ``register_record_group_hook``."""
    return {"new_host_organisations": new_administrations_by_promotion()}
