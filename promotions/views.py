"""Views of promotions: public list and detail, open data page, staff dashboard."""

from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import get_object_or_404, render

from challenges.selectors import challenge_list_public

from .models import Promotion
from .selectors import promotion_list


def promotion_list_view(request):
    """Public list of promotions with their counts of EIG and défis."""
    return render(request, "promotions/promotion_list.html", {"promotions": promotion_list()})


def promotion_detail_view(request, slug):
    """Public page of one promotion and its published défis."""
    promotion = get_object_or_404(Promotion, slug=slug)
    challenges = challenge_list_public().filter(promotion=promotion)
    return render(
        request,
        "promotions/promotion_detail.html",
        {"promotion": promotion, "challenges": challenges},
    )


def open_data_view(request):
    """Public page listing the open data downloads and the API."""
    return render(request, "promotions/open_data.html")


@staff_member_required
def dashboard_view(request):
    """Staff dashboard « Le programme en chiffres » (built in promotions.figures)."""
    return render(request, "promotions/dashboard.html", {})
