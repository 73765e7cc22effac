"""Public views of défis."""

from django.shortcuts import get_object_or_404, render

from .selectors import challenge_list_public


def challenge_list_view(request):
    """Public list of published défis."""
    return render(request, "challenges/challenge_list.html", {"challenges": challenge_list_public()})


def challenge_detail_view(request, slug):
    """Public page of one published défi."""
    challenge = get_object_or_404(challenge_list_public(), slug=slug)
    return render(request, "challenges/challenge_detail.html", {"challenge": challenge})
