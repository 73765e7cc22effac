"""Public views of défis: the searchable, filterable list and the détail page."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .filters import ChallengeFilter
from .followup.selectors import latest_outcome
from .selectors import challenge_detail_public, challenge_list_public_page

#: Défis per page of the public list.
PAGE_SIZE = 12


@require_safe
def challenge_list_view(request):
    """Public list of published défis: search, filters (promotion, theme, administration),
    sorting and DSFR pagination (``?page=``)."""
    filterset = ChallengeFilter(request.GET or None, queryset=challenge_list_public_page())
    paginator = Paginator(filterset.qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.pages_list = list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "challenges/challenge_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "challenges": page.object_list,
            "is_filtered": any(v for k, v in request.GET.items() if k not in ("page", "tri")),
            "query_without_page": query.urlencode(),
        },
    )


@require_safe
def challenge_detail_view(request, slug):
    """Public page of one published défi (404 when unpublished) with its latest outcome."""
    challenge = get_object_or_404(challenge_detail_public(), slug=slug)
    return render(
        request,
        "challenges/challenge_detail.html",
        {"challenge": challenge, "outcome": latest_outcome(challenge)},
    )
