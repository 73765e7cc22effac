"""Jury pages: a juror's assignments, the review grid, conflict of interest.

Access: logged-in users, and only their own assignments without a declared conflict — any
other assignment id gives 404 (never reveals that it exists).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from eig_portal.common.pdf import pdf_file_name

from . import jury, services
from .forms import SECTION_TITLES
from .jury_forms import ConflictForm, ReviewForm
from .models import ProposalAttachment, Review
from .selectors import attachments_submitted, jury_assignments_of, reviews_visible_to

PAGE_SIZE = 20


def _assignment_or_404(request, pk):
    return get_object_or_404(
        jury_assignments_of(juror=request.user).select_related("proposal__call__promotion"),
        pk=pk,
    )


def _own_review(assignment):
    try:
        return Review.objects.prefetch_related("scores").get(assignment=assignment)
    except Review.DoesNotExist:
        return None


@login_required
@require_GET
def assignment_list_view(request):
    """The proposals the juror is asked to evaluate, with the state of each review."""
    page = Paginator(jury_assignments_of(juror=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.pages_list = list(
        page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    )
    return render(
        request,
        "challenges/jury/assignment_list.html",
        {"page_obj": page, "reviewable_statuses": list(jury.REVIEWABLE_STATUSES)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_view(request, pk):
    """The proposal and the review grid; after submission, the other jurors' reviews."""
    assignment = _assignment_or_404(request, pk)
    criteria = list(assignment.proposal.call.criteria.all())
    review = _own_review(assignment)
    submitted = review is not None and review.submitted_at is not None
    form = None
    if submitted and request.method == "POST":
        messages.error(
            request, _("Votre évaluation est déjà soumise ; elle n'est plus modifiable.")
        )
        return redirect("jury:review", pk=assignment.pk)
    if not submitted:
        form = _review_form(request, assignment, criteria, review)
        if form is None:  # saved
            return redirect("jury:review", pk=assignment.pk)
        if not isinstance(form, ReviewForm):  # saved, complete: confirm the submission
            return form
    context = _review_context(assignment, criteria, review, form, submitted=submitted)
    return render(request, "challenges/jury/review_form.html", context)


def _review_form(request, assignment, criteria, review):
    """The review form to show; None once a POST saved the draft; a redirect to the
    confirmation page once « Soumettre » saved a complete review (one service call:
    ``jury.review_save`` or ``jury.review_save_for_confirmation``; refusals on the form)."""
    if request.method != "POST":
        return ReviewForm(criteria=criteria, initial=ReviewForm.initial_from(review))
    form = ReviewForm(request.POST, criteria=criteria)
    if not form.is_valid():
        return form
    submit = "submit" in request.POST
    save = jury.review_save_for_confirmation if submit else jury.review_save
    try:
        save(assignment=assignment, by=request.user, **form.service_kwargs())
    except ValidationError as error:
        form.add_error(None, error)
        return form
    if submit:
        return redirect("jury:review_confirm", pk=assignment.pk)
    messages.success(request, _("Brouillon enregistré : vous pouvez y revenir."))
    return None


@login_required
@require_http_methods(["GET", "POST"])
def review_confirm_view(request, pk):
    """Confirm the submission of the saved review (GET: the scores to confirm; POST: submit)."""
    assignment = _assignment_or_404(request, pk)
    review = _own_review(assignment)
    if review is None or review.submitted_at is not None:
        return redirect("jury:review", pk=assignment.pk)
    if request.method == "POST":
        try:
            jury.review_submit_saved(assignment=assignment, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Votre évaluation est soumise."))
        return redirect("jury:review", pk=assignment.pk)
    criteria = list(assignment.proposal.call.criteria.all())
    scores = {s.criterion_id: s for s in review.scores.all()}
    return render(
        request,
        "challenges/jury/review_confirm.html",
        {
            "assignment": assignment,
            "proposal": assignment.proposal,
            "review": review,
            "rows": [(c, scores.get(c.pk)) for c in criteria],
        },
    )


def _proposal_sections(proposal, snapshot: dict) -> list[dict]:
    """The proposal's sections as (label, value) rows, values from ``snapshot`` when given."""
    return [
        {
            "title": SECTION_TITLES[slug],
            "rows": [
                (
                    proposal._meta.get_field(f).verbose_name,
                    services.snapshot_value(snapshot, f, getattr(proposal, f)),
                )
                for f in fields
            ],
        }
        for slug, fields in services.SECTION_FIELDS.items()
    ]


def _review_context(assignment, criteria, review, form, *, submitted: bool) -> dict:
    """Context of the review page: the proposal as submitted, the own scores, and once
    submitted the other jurors' reviews."""
    proposal = assignment.proposal
    scores_by_criterion = (
        {s.criterion_id: s for s in review.scores.all()} if review is not None else {}
    )
    others = reviews_visible_to(assignment=assignment) if submitted else None
    # The jury judges what was submitted: when the agents have edited since, show the last
    # submitted version (its snapshot), not their unsubmitted changes.
    version = proposal.versions.order_by("-number").first()
    snapshot = version.snapshot if version and proposal.has_unsubmitted_changes else {}
    return {
        "assignment": assignment,
        "proposal": proposal,
        "criteria": criteria,
        "form": form,
        "review": review,
        "submitted": submitted,
        "own_scores": [(c, scores_by_criterion.get(c.pk)) for c in criteria],
        "others": [
            {
                "review": other,
                "scores": [
                    next((s for s in other.scores.all() if s.criterion_id == c.pk), None)
                    for c in criteria
                ],
            }
            for other in (others or [])
        ],
        "shown_version": version if snapshot else None,
        "sections": _proposal_sections(proposal, snapshot),
        "attachments": attachments_submitted(proposal),
        "reviewable": proposal.status in jury.REVIEWABLE_STATUSES,
    }


@login_required
@require_http_methods(["GET", "POST"])
def conflict_view(request, pk):
    """Declare a conflict of interest (confirmation page): the juror leaves the proposal."""
    assignment = _assignment_or_404(request, pk)
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        jury.jury_declare_conflict(assignment=assignment, by=request.user)
        messages.success(
            request,
            _("Conflit d'intérêts enregistré : « %(title)s » est retirée de vos évaluations.")
            % {"title": assignment.proposal},
        )
        return redirect("jury:list")
    return render(
        request,
        "challenges/jury/conflict_confirm.html",
        {"assignment": assignment, "proposal": assignment.proposal, "form": form},
    )


@login_required
@require_GET
def attachment_view(request, pk, attachment_pk):
    """Download an attachment of the submitted version of a proposal the juror evaluates."""
    assignment = _assignment_or_404(request, pk)
    try:
        attachment = attachments_submitted(assignment.proposal).get(pk=attachment_pk)
    except ProposalAttachment.DoesNotExist:
        raise Http404 from None
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=pdf_file_name(attachment.original_name),
        content_type="application/pdf",
    )
