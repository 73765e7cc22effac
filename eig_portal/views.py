"""Site-wide pages: the home page."""

from django.shortcuts import render

from challenges.selectors import challenge_list_public
from promotions.selectors import promotion_list


def home(request):
    """Home page: what the programme is, the promotions and a few recent défis."""
    context = {
        "promotions": promotion_list(),
        "recent_challenges": challenge_list_public()[:6],
    }
    return render(request, "home.html", context)
