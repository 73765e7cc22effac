"""Follow-up pages.

Personal links (no account): a team member posts progress updates, asks for expertise and
manages the weekly digest; a mentor files the défi's outcome. Coordinators (staff): the board of
every défi's latest update, late or blocked ones. Public: « Réalisations ».
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from challenges.models import Theme
from eig_portal.common.access import coordinator_required
from promotions.links import personal_link_page
from promotions.models import Promotion

from . import selectors, services
from .forms import ExpertiseRequestForm, OutcomeForm, ProgressUpdateForm
from .models import Outcome


def _team_page(request, link, token, update_form, expertise_form):
    return render(
        request,
        "challenges/followup_team.html",
        {
            "link": link,
            "challenge": link.challenge,
            "token": token,
            "form": update_form,
            "expertise_form": expertise_form,
            "updates": link.challenge.progress_updates.order_by("-posted_at")[:5],
            "requests": link.challenge.expertise_requests.order_by("-created_at")[:5],
        },
    )


@require_http_methods(["GET", "POST"])
@personal_link_page(selectors.followup_link_by_token)
def team_update_view(request, link, token):
    """Post a progress update of the défi from a team member's link."""
    form = ProgressUpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_update_post(link=link, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Votre point d'étape est publié."))
            return redirect("followup:team", token=token)
    return _team_page(request, link, token, form, ExpertiseRequestForm())


@require_POST
@personal_link_page(selectors.followup_link_by_token)
def team_expertise_view(request, link, token):
    """Ask the programme's experts for help from a team member's link."""
    form = ExpertiseRequestForm(request.POST)
    if form.is_valid():
        try:
            services.expertise_request_create(
                challenge=link.challenge, person=link.fellow or link.mentor, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Votre demande d'expertise est transmise à la coordination.")
            )
            return redirect("followup:team", token=token)
    return _team_page(request, link, token, ProgressUpdateForm(), form)


@require_POST
@personal_link_page(selectors.followup_link_by_token)
def team_digest_view(request, link, token):
    """Subscribe to or unsubscribe from the weekly digest."""
    subscribed = request.POST.get("subscribed") == "1"
    services.followup_link_set_digest(link=link, subscribed=subscribed)
    if subscribed:
        messages.success(request, _("Vous recevrez la lettre hebdomadaire."))
    else:
        messages.success(request, _("Vous ne recevrez plus la lettre hebdomadaire."))
    return redirect("followup:team", token=token)


@require_http_methods(["GET", "POST"])
@personal_link_page(selectors.outcome_request_by_token)
def outcome_file_view(request, outcome_request, token):
    """A mentor files (or corrects) the défi's outcome at the request's milestone."""
    previous = outcome_request.outcome or selectors.latest_outcome(outcome_request.challenge)
    form = OutcomeForm(request.POST or None, initial=OutcomeForm.initial_from(previous))
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_file(request=outcome_request, **form.outcome_values())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("La réalisation est enregistrée. Merci !"))
            return redirect("followup:outcome", token=token)
    return render(
        request,
        "challenges/outcome_form.html",
        {
            "outcome_request": outcome_request,
            "challenge": outcome_request.challenge,
            "form": form,
            "token": token,
        },
    )


@require_safe
@coordinator_required("challenges.view_progressupdate")
def board_view(request):
    """Coordinators: every défi's latest update in a promotion; ``?etat=late|blocked``."""
    promotions = list(Promotion.objects.order_by("-rank", "-year"))
    slug = request.GET.get("promotion") or (promotions[0].slug if promotions else "")
    shown = [p for p in promotions if p.slug == slug]
    only = request.GET.get("etat", "")
    only = only if only in ("late", "blocked") else ""
    board = list(selectors.followup_board(promotions=shown, now=timezone.now(), only=only))
    return render(
        request,
        "challenges/followup_board.html",
        {"promotions": promotions, "selected": slug, "only": only, "board": board},
    )


@require_safe
def realisations_view(request):
    """Public « Réalisations »: défis with an outcome; filters promotion, status, theme."""
    filters = {key: request.GET.get(key, "") for key in ("promotion", "status", "theme")}
    if filters["status"] not in Outcome.ProductionStatus.values:
        filters["status"] = ""
    challenges = selectors.realisations(**filters)
    return render(
        request,
        "challenges/realisations.html",
        {
            "challenges": challenges,
            "filters": filters,
            "promotions": Promotion.objects.order_by("rank", "year"),
            "statuses": Outcome.ProductionStatus.choices,
            "themes": Theme.objects.order_by("name"),
        },
    )
