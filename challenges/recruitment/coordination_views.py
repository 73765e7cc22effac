"""Coordinators' pages of the call for candidates: interview slots and invitations per défi,
and the proposed teams (stable matching, adjustments, confirmation). Coordinators only (403)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from challenges.models import Challenge

from . import access, interviews, placements, selectors
from .forms import SlotForm
from .models import Application, CallForApplications


def _coordinator(request) -> None:
    if not access.is_coordinator(request.user):
        raise PermissionDenied


def _slot_post(request, challenge) -> None:
    if "invite" in request.POST:
        application = get_object_or_404(Application, pk=request.POST.get("invite") or 0)
        interviews.interview_invite(application=application, challenge=challenge, by=request.user)
        messages.success(request, _("Invitation envoyée à %(name)s.") % {"name": application})
    elif "held" in request.POST:
        interview = get_object_or_404(challenge.interviews.all(), pk=request.POST.get("held") or 0)
        interviews.interview_mark_held(interview=interview, by=request.user)
        messages.success(request, _("Entretien noté comme tenu."))


@login_required
@require_http_methods(["GET", "POST"])
def slots_view(request, challenge_id):
    """A défi's interview slots: open a slot, invite screened candidates, mark interviews held."""
    _coordinator(request)
    challenge = get_object_or_404(
        Challenge.objects.select_related("opening__call"), pk=challenge_id
    )
    form = SlotForm(request.POST if "open_slot" in request.POST else None)
    if request.method == "POST":
        try:
            if "open_slot" in request.POST:
                if form.is_valid():
                    interviews.slot_open(challenge=challenge, by=request.user, **form.cleaned_data)
                    messages.success(request, _("Créneau ouvert."))
                    return redirect("recruitment:slots", challenge_id)
            else:
                _slot_post(request, challenge)
                return redirect("recruitment:slots", challenge_id)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return render(
        request,
        "recruitment/slots.html",
        {"challenge": challenge, "form": form, **selectors.interview_board(challenge=challenge)},
    )


def _matching_post(request, call) -> None:
    if "propose" in request.POST:
        made = placements.matching_propose(call=call, scores=selectors.choice_scores(call=call))
        messages.success(request, _("%(n)s placements proposés.") % {"n": len(made)})
    elif "place" in request.POST:
        application = get_object_or_404(
            Application, pk=request.POST.get("application") or 0, call=call
        )
        challenge = get_object_or_404(
            Challenge, pk=request.POST.get("place") or 0, opening__call=call
        )
        placements.placement_set(application=application, challenge=challenge, by=request.user)
    elif "remove" in request.POST:
        application = get_object_or_404(Application, pk=request.POST.get("remove") or 0, call=call)
        placements.placement_remove(application=application, by=request.user)
    elif "confirm" in request.POST:
        challenge = get_object_or_404(
            Challenge, pk=request.POST.get("confirm") or 0, opening__call=call
        )
        fellows = placements.team_confirm(challenge=challenge, by=request.user)
        messages.success(request, _("Équipe confirmée : %(n)s EIG.") % {"n": len(fellows)})


@login_required
@require_http_methods(["GET", "POST"])
def matching_view(request, slug):
    """Proposed teams per défi: each person's preference rank and jury score; adjust, confirm."""
    _coordinator(request)
    call = get_object_or_404(CallForApplications.objects.select_related("promotion"), slug=slug)
    if request.method == "POST":
        try:
            _matching_post(request, call)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("recruitment:matching", slug)
    return render(
        request, "recruitment/matching.html", {"call": call, **selectors.matching_board(call=call)}
    )
