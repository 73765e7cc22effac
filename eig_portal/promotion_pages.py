"""The public page of one promotion, which lists its published défis: it composes promotions
and challenges, so it lives in the top layer (``docs/DESIGN.md`` §4). Mounted by
``eig_portal.urls`` in the ``promotions:`` namespace as ``promotions:detail``."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from challenges.selectors import challenge_list_public_page
from promotions.selectors import promotion_list_public


@require_safe
def promotion_detail_view(request, slug):
    """Public page of one promotion and its published défis (404 for an unknown slug)."""
    promotion = get_object_or_404(promotion_list_public(), slug=slug)
    challenges = challenge_list_public_page().filter(promotion=promotion)
    return render(
        request,
        "promotions/promotion_detail.html",
        {"promotion": promotion, "challenges": challenges},
    )
