"""Pages of the recruitment jury (members of a défi's jury) and the candidate's interview
booking page (reached from a personal link, no password).

A member sees only the candidates who chose their défi and passed screening, never those they
declared a conflict with (404); scores of other members appear only in the per-défi ranking.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import access, interviews, jury, selectors
from .forms import ReviewForm
from .models import ApplicationReview, Interview, InterviewSlot


@login_required
@require_GET
def jury_home_view(request):
    """The défis whose recruitment jury the user sits on."""
    return render(
        request,
        "recruitment/jury_home.html",
        {"memberships": selectors.jury_memberships_of(user=request.user)},
    )


@login_required
@require_GET
def jury_challenge_view(request, challenge_id):
    """The member's candidates for the défi (screened in, no conflict), with their own review."""
    member = access.membership_or_404(request.user, challenge_id)
    return render(
        request,
        "recruitment/jury_challenge.html",
        {"member": member, "choices": selectors.jury_candidates(member=member)},
    )


@login_required
@require_GET
def jury_ranking_view(request, challenge_id):
    """The défi's ranking: weighted score of each candidate and the spread between members."""
    member = access.membership_or_404(request.user, challenge_id)
    return render(
        request,
        "recruitment/jury_ranking.html",
        {"member": member, "ranking": selectors.choice_ranking(challenge=member.challenge)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def jury_review_view(request, challenge_id, choice_id):
    """One candidate for the member's défi: application, motivation, and the scoring form."""
    member = access.membership_or_404(request.user, challenge_id)
    choice = access.choice_for_member_or_404(member, choice_id)
    review = ApplicationReview.objects.filter(member=member, choice=choice).first()
    criteria = choice.application.call.criteria.all()
    form = ReviewForm(request.POST or None, criteria=criteria, review=review)
    if request.method == "POST" and form.is_valid():
        try:
            jury.jury_review_save(
                member=member,
                choice=choice,
                by=request.user,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                submit="submit" in request.POST,
            )
        except ValidationError as error:
            for field, errors in getattr(error, "message_dict", {None: error.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Évaluation enregistrée."))
            return redirect("recruitment:jury_challenge", challenge_id)
    return render(
        request,
        "recruitment/jury_review.html",
        {"member": member, "choice": choice, "form": form, "review": review},
    )


@login_required
@require_POST
def jury_conflict_view(request, challenge_id, choice_id):
    """Declare a conflict of interest with the candidate: hidden from the member afterwards."""
    member = access.membership_or_404(request.user, challenge_id)
    choice = access.choice_for_member_or_404(member, choice_id)
    jury.jury_declare_conflict(member=member, choice=choice, by=request.user)
    messages.success(
        request, _("Conflit d'intérêts déclaré : ce·tte candidat·e vous est masqué·e.")
    )
    return redirect("recruitment:jury_challenge", challenge_id)


@login_required
@require_GET
def jury_cv_view(request, challenge_id, choice_id):
    """The CV of a screened candidate of the member's défi."""
    member = access.membership_or_404(request.user, challenge_id)
    application = access.choice_for_member_or_404(member, choice_id).application
    if not application.cv:
        raise Http404
    return FileResponse(application.cv.open("rb"), filename="cv.pdf", as_attachment=True)


@require_http_methods(["GET", "POST"])
def interview_book_view(request, token):
    """The candidate's personal booking page: free slots of the défi, book, cancel, rebook."""
    interview = get_object_or_404(
        Interview.objects.select_related("challenge", "slot", "application"),
        token=token,
        application__erased_at__isnull=True,
    )
    if request.method == "POST":
        try:
            if "cancel" in request.POST:
                interviews.interview_cancel(interview=interview)
                messages.success(request, _("Votre créneau est annulé : choisissez-en un autre."))
            else:
                slot = get_object_or_404(
                    InterviewSlot, pk=request.POST.get("slot") or 0, challenge=interview.challenge
                )
                interviews.interview_book(interview=interview, slot=slot)
                messages.success(
                    request, _("Votre entretien est réservé : un courriel le confirme.")
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(interview.get_absolute_url())
    free = InterviewSlot.objects.filter(
        challenge=interview.challenge, interview__isnull=True, starts_at__gt=timezone.now()
    ).order_by("starts_at")
    return render(
        request, "recruitment/interview_book.html", {"interview": interview, "free_slots": free}
    )


@login_required
@require_GET
def jury_export_view(request, challenge_id):
    """CSV of the member's défi ranking: only this défi's screened candidates (names, profile,
    preference rank, weighted score, reviews, spread), never another défi's."""
    from eig_portal.common.cells import csv_response, csv_separator_from_request

    member = access.membership_or_404(request.user, challenge_id)
    rows = [
        [
            str(row.application),
            row.application.get_profile_display(),
            row.rank,
            row.weighted_score,
            row.review_count,
            row.score_spread,
        ]
        for row in selectors.choice_ranking(challenge=member.challenge)
    ]
    header = [
        _("Candidat·e"),
        _("Profil"),
        _("Rang de ce défi"),
        _("Note pondérée"),
        _("Évaluations"),
        _("Écart"),
    ]
    return csv_response(
        header=header,
        rows=rows,
        filename=f"jury-{member.challenge.slug}.csv",
        sep=csv_separator_from_request(request),
    )
