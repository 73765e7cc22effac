"""Site-wide pages: the home page."""

from django.shortcuts import render

from challenges.selectors import challenge_list_recent
from promotions.selectors import promotion_list_public


def home(request):
    """Home page: what the programme is, the promotions and the newest défis taken up by EIG."""
    context = {
        "promotions": promotion_list_public(),
        "recent_challenges": challenge_list_recent(),
    }
    return render(request, "home.html", context)
