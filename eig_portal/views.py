"""Site-wide pages: the home page."""

from django.shortcuts import render

from challenges.selectors import challenge_list_public_page
from promotions.selectors import promotion_list_public


def home(request):
    """Home page: what the programme is, the promotions and a few recent défis."""
    context = {
        "promotions": promotion_list_public(),
        "recent_challenges": challenge_list_public_page()[:6],
    }
    return render(request, "home.html", context)
