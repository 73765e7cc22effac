"""Views of the call for projects, agent side: open calls, proposals, attachments.

Each view: access check (per-object helpers of ``challenges.calls.access``, 404 for another
administration) → form → one service call → redirect or render. Nothing typed is lost on an
error: the bound form is shown again with every error at the top and beside its field.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from eig_portal.common.deadlines import paris_datetime
from eig_portal.common.pdf import pdf_file_name

from . import access, selectors, services
from .forms import SECTION_TITLES, STEPS, ProposalCreateForm, ProposalForm, WithdrawForm
from .jury import JURY_GROUP
from .models import ChallengeProposal

Status = ChallengeProposal.Status


# --- public pages ------------------------------------------------------------------------------


@require_GET
def call_list_view(request):
    """Public list of open calls (exact deadline, countdown), then upcoming and closed ones."""
    now = timezone.now()
    upcoming, closed = access.calls_upcoming_or_closed(now)
    return render(
        request,
        "challenges/call_list.html",
        {"open_calls": access.calls_open(now), "upcoming": upcoming, "closed": closed, "now": now},
    )


@require_GET
def call_detail_view(request, slug):
    """Public page of a published call: description, criteria, deadline; the agent's proposals."""
    call = get_object_or_404(access.calls_public(), slug=slug)
    my_proposals = access.proposals_of_agent(request.user).filter(call=call)
    return render(
        request,
        "challenges/call_detail.html",
        {
            "call": call,
            "criteria": call.criteria.all(),
            "is_open": services.call_is_open(call=call),
            "is_agent": services.agent_profile_for(request.user) is not None,
            "my_proposals": my_proposals,
        },
    )


# --- helpers -----------------------------------------------------------------------------------


def _no_profile(request):
    return render(request, "challenges/no_agent_profile.html", status=403)


def _steps_context(proposal, current: str) -> dict:
    missing = services.proposal_missing_fields(proposal=proposal) if proposal else {}
    steps = []
    for i, slug in enumerate(STEPS, start=1):
        fields = services.SECTION_FIELDS.get(slug, [])
        steps.append(
            {
                "slug": slug,
                "number": i,
                "title": SECTION_TITLES[slug],
                "current": slug == current,
                "complete": bool(fields) and not any(f in missing for f in fields),
                "url": (
                    reverse("proposals:submit", args=[proposal.pk])
                    if proposal and slug == "depot"
                    else reverse("proposals:edit", args=[proposal.pk, slug])
                    if proposal
                    else ""
                ),
            }
        )
    index = STEPS.index(current)
    return {
        "steps": steps,
        "complete_count": sum(1 for step in steps if step["complete"]),
        "section_count": len(services.SECTION_FIELDS),
        "step_number": index + 1,
        "step_count": len(STEPS),
        "step_title": SECTION_TITLES[current],
        "next_step_title": SECTION_TITLES[STEPS[index + 1]] if index + 1 < len(STEPS) else "",
    }


def _lock_reason(proposal=None, *, call=None) -> str:
    """Why the agents may not change the proposal now (or start one on ``call``); "" if they may."""
    if proposal is not None:
        if services.proposal_is_editable(proposal=proposal):
            return ""
        call = proposal.call
        if proposal.status not in services.AGENT_EDITABLE:
            return _(
                "Cette candidature est « %(status)s » : elle ne peut plus être modifiée ni déposée."
            ) % {"status": proposal.get_status_display()}
    elif services.call_is_open(call=call):
        return ""
    if timezone.now() < call.opens_at:
        return _("L'appel à projets ouvre le %(date)s (heure de Paris) : revenez à cette date.") % {
            "date": paris_datetime(call.opens_at)
        }
    return _(
        "L'appel à projets est clos depuis le %(date)s (heure de Paris) : les candidatures ne "
        "peuvent plus être créées, modifiées ni déposées."
    ) % {"date": paris_datetime(call.closes_at)}


def _saved_values_differing(form, latest) -> list[dict]:
    """Fields where what the person typed differs from the newer saved version."""
    rows = []
    for name in form.fields:
        if name not in services.EDITABLE_FIELDS or not hasattr(form, "cleaned_data"):
            continue
        typed = form.cleaned_data.get(name)
        saved = getattr(latest, name)
        if (typed or "") != (saved or ""):
            rows.append({"label": form.fields[name].label, "saved": saved})
    return rows


def _content_sections(proposal) -> list[dict]:
    """The proposal's content by section of the form: ``[{"title", "rows": [(label, value)]}]``."""
    return [
        {
            "title": SECTION_TITLES[s],
            "rows": [
                (proposal._meta.get_field(f).verbose_name, getattr(proposal, f)) for f in fields
            ],
        }
        for s, fields in services.SECTION_FIELDS.items()
    ]


def _missing_rows(proposal, missing: dict) -> list[dict]:
    """What prevents submission, one row per field: label, messages and the link to its step."""
    step_of = {f: s for s, fields in services.SECTION_FIELDS.items() for f in fields}
    return [
        {
            "label": proposal._meta.get_field(name).verbose_name,
            "messages": messages_,
            "step": SECTION_TITLES[step_of[name]],
            "url": reverse("proposals:edit", args=[proposal.pk, step_of[name]]) + f"#id_{name}",
        }
        for name, messages_ in missing.items()
    ]


# --- proposals ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create_view(request, slug):
    """First step of a new proposal; the creation token makes a repeated POST harmless."""
    call = get_object_or_404(access.calls_public(), slug=slug)
    if services.agent_profile_for(request.user) is None:
        return _no_profile(request)
    if request.method == "POST":
        form = ProposalCreateForm(request.POST)
        if form.is_valid():
            try:
                proposal = services.proposal_create(
                    call=call,
                    user=request.user,
                    creation_token=form.cleaned_data["creation_token"],
                    data=form.draft_data(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Brouillon enregistré. Vous pouvez continuer."))
                return redirect("proposals:edit", proposal.pk, "environnement")
    else:
        form = ProposalCreateForm()
    context = {"call": call, "form": form, "proposal": None, "lock_reason": _lock_reason(call=call)}
    context.update(_steps_context(None, "defi"))
    context["is_open"] = not context["lock_reason"]
    return render(request, "challenges/proposal_form.html", context)


@login_required
@require_GET
def after_login_view(request):
    """Where a person lands after logging in or confirming their email (``LOGIN_REDIRECT_URL``)
    when no ``next`` was given: an agent on its proposals, a juror on their assignments, a
    coordinator in the admin, anybody else on the home page."""
    if services.agent_profile_for(request.user) is not None:
        return redirect("proposals:list")
    # A jury member invited but not assigned yet also lands there (« rien à évaluer »).
    if (
        request.user.jury_assignments.exists()
        or request.user.groups.filter(name=JURY_GROUP).exists()
    ):
        return redirect("jury:list")
    if request.user.is_staff:
        return redirect("admin:index")
    return redirect("home")


@login_required
@require_GET
def proposal_list_view(request):
    """The proposals of the agent's administration (« Mes candidatures »)."""
    profile = services.agent_profile_for(request.user)
    if profile is None:
        return _no_profile(request)
    qs = (
        access.proposals_of_agent(request.user)
        .select_related("call", "administration")
        .order_by("-updated_at")
    )
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "challenges/proposal_list.html", {"page_obj": page, "profile": profile})


@login_required
@require_GET
def proposal_detail_view(request, pk):
    """A proposal with its status, history of changes, submitted versions and attachments."""
    proposal = access.proposal_for_reader_or_404(request.user, pk)
    is_agent = access.proposals_of_agent(request.user).filter(pk=pk).exists()
    return render(
        request,
        "challenges/proposal_detail.html",
        {
            "proposal": proposal,
            "is_agent": is_agent,
            "editable": is_agent and services.proposal_is_editable(proposal=proposal),
            "withdrawable": is_agent and Status.WITHDRAWN in services.TRANSITIONS[proposal.status],
            "attachments": proposal.attachments.all(),
            "history": proposal.status_changes.select_related("by"),
            "versions": proposal.versions.select_related("submitted_by"),
            "missing": services.proposal_missing_fields(proposal=proposal),
            "sections": _content_sections(proposal),
            "correction": selectors.proposal_correction_request(proposal=proposal),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit_view(request, pk, step):
    """One section of the proposal form; saves a draft (optimistic lock) and goes on."""
    proposal = access.proposal_for_agent_or_404(request.user, pk)
    if step not in services.SECTION_FIELDS:
        raise Http404
    editable = services.proposal_is_editable(proposal=proposal)
    status = 200
    conflicts = []
    if request.method == "POST":
        form = ProposalForm(request.POST, request.FILES, instance=proposal, sections=[step])
        if not editable:
            form.is_valid()
            form.add_error(
                None,
                f"{_lock_reason(proposal)} {_('Votre saisie est conservée ci-dessous.')}",
            )
            status = 403
        elif form.is_valid():
            try:
                _save_draft_from_form(proposal=proposal, user=request.user, form=form)
            except services.StaleProposalError as exc:
                latest = ChallengeProposal.objects.get(pk=proposal.pk)
                conflicts = _saved_values_differing(form, latest)
                data = request.POST.copy()
                data["version"] = str(latest.version)
                form = ProposalForm(data, instance=latest, sections=[step])
                form.is_valid()
                form.add_error(None, exc)
                status = 409
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Brouillon enregistré."))
                to_delete = request.POST.get("delete_attachment", "")
                if to_delete.isdigit():  # saved first: deleting asks for confirmation next
                    return redirect("proposals:attachment_delete", proposal.pk, int(to_delete))
                if "continue" in request.POST:
                    next_step = STEPS[STEPS.index(step) + 1]
                    if next_step == "depot":
                        return redirect("proposals:submit", proposal.pk)
                    return redirect("proposals:edit", proposal.pk, next_step)
                return redirect("proposals:edit", proposal.pk, step)
    else:
        form = ProposalForm(
            instance=proposal, initial={"version": proposal.version}, sections=[step]
        )
    context = {
        "call": proposal.call,
        "proposal": proposal,
        "form": form,
        "is_open": editable,
        "lock_reason": _lock_reason(proposal),
        "conflicts": conflicts,
        "attachments": proposal.attachments.all() if step == "financement" else [],
        "correction": selectors.proposal_correction_request(proposal=proposal),
    }
    context.update(_steps_context(proposal, step))
    return render(request, "challenges/proposal_form.html", context, status=status)


def _save_draft_from_form(*, proposal, user, form: ProposalForm) -> None:
    """Save a valid ``form`` as ``proposal``'s draft, then add its uploaded attachment, if any.

    ``services.proposal_save_draft`` with the form's ``version`` as the expected one, then
    ``services.attachment_add``. Raises what they raise: ``services.StaleProposalError`` (the
    proposal changed since the form was shown) or ``ValidationError``.
    """
    services.proposal_save_draft(
        proposal=proposal,
        user=user,
        data=form.draft_data(),
        expected_version=form.cleaned_data["version"],
    )
    if form.cleaned_data.get("attachment"):
        services.attachment_add(
            proposal=proposal, user=user, uploaded_file=form.cleaned_data["attachment"]
        )


def _submit_full_form(*, proposal, user, form: ProposalForm) -> bool:
    """Save and submit a valid whole ``form`` (``services.proposal_save_and_submit``), with its
    uploaded attachment if any. Returns True when the proposal was already submitted as is."""
    if form.cleaned_data.get("attachment"):
        services.attachment_add(
            proposal=proposal, user=user, uploaded_file=form.cleaned_data["attachment"]
        )
    return services.proposal_save_and_submit(
        proposal=proposal,
        user=user,
        data=form.draft_data(),
        expected_version=form.cleaned_data["version"],
    )


def _proposal_data(proposal) -> dict:
    data = {
        k: v
        for k, v in model_to_dict(proposal, fields=services.EDITABLE_FIELDS).items()
        if v is not None
    }
    data["version"] = proposal.version
    return data


@login_required
@require_http_methods(["GET", "POST"])
def proposal_submit_view(request, pk):
    """Last step: check everything and submit (or resubmit) before the deadline.

    A POST carrying the whole form (``full=1``) saves it then submits; a simple POST submits the
    saved proposal. If something is missing, the whole form is shown with every error listed at
    the top and beside its field.
    """
    proposal = access.proposal_for_agent_or_404(request.user, pk)
    form = None
    status = 200
    if request.method == "POST":
        full = request.POST.get("full") == "1"
        try:
            expected = int(request.POST.get("version", ""))
        except ValueError:
            expected = None
        try:
            if full:
                form = ProposalForm(
                    request.POST, request.FILES, instance=proposal, for_submission=True
                )
                if not form.is_valid():
                    raise ValidationError(_("Le formulaire contient des erreurs."), code="invalid")
                if _submit_full_form(proposal=proposal, user=request.user, form=form):
                    messages.info(request, _("Cette candidature est déjà déposée telle quelle."))
                    return redirect("proposals:detail", proposal.pk)
            else:
                services.proposal_submit(
                    proposal_id=proposal.pk, user=request.user, expected_version=expected
                )
        except ValidationError as exc:
            status = 409 if isinstance(exc, services.StaleProposalError) else 200
            if getattr(exc, "code", None) in ("call_closed", "not_editable"):
                status = 403
            if form is None:
                proposal.refresh_from_db()
                form = ProposalForm(
                    _proposal_data(proposal), instance=proposal, for_submission=True
                )
                form.is_valid()
            if getattr(exc, "code", None) not in ("invalid", "incomplete"):
                form.add_error(None, exc)
            if isinstance(exc, services.StaleProposalError):
                latest = ChallengeProposal.objects.get(pk=proposal.pk)
                data = request.POST.copy() if full else _proposal_data(latest)
                data["version"] = str(latest.version)
                form = ProposalForm(data, instance=latest, for_submission=True)
                form.is_valid()
                form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "Votre candidature est déposée. Vous pouvez la modifier et la déposer à nouveau "
                    "jusqu'à la date limite."
                ),
            )
            return redirect("proposals:detail", proposal.pk)
    proposal.refresh_from_db()
    context = {
        "call": proposal.call,
        "proposal": proposal,
        "form": form,
        "is_open": services.proposal_is_editable(proposal=proposal),
        "lock_reason": _lock_reason(proposal),
        "missing": _missing_rows(proposal, services.proposal_missing_fields(proposal=proposal)),
        "sections": _content_sections(proposal),
        "correction": selectors.proposal_correction_request(proposal=proposal),
        "attachments": proposal.attachments.all(),
        "already_submitted": proposal.status == Status.SUBMITTED
        and not proposal.has_unsubmitted_changes,
    }
    context.update(_steps_context(proposal, "depot"))
    return render(request, "challenges/proposal_submit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_withdraw_view(request, pk):
    """Confirm then withdraw a proposal (agents of its administration)."""
    proposal = access.proposal_for_agent_or_404(request.user, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_withdraw(
                proposal_id=proposal.pk, user=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Votre candidature est retirée."))
            return redirect("proposals:detail", proposal.pk)
    return render(
        request, "challenges/proposal_withdraw.html", {"proposal": proposal, "form": form}
    )


@login_required
@require_GET
def attachment_download_view(request, pk, attachment_pk):
    """Download an attachment: agents of the proposal's administration and staff only."""
    attachment = access.attachment_for_reader_or_404(request.user, pk, attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=pdf_file_name(attachment.original_name),
        content_type="application/pdf",
    )


@login_required
@require_http_methods(["GET", "POST"])
def attachment_delete_view(request, pk, attachment_pk):
    """Confirm (GET: a page that works without JavaScript), then remove (POST) an attachment
    not yet part of a submitted version."""
    proposal = access.proposal_for_agent_or_404(request.user, pk)
    attachment = access.attachment_for_reader_or_404(request.user, pk, attachment_pk)
    if request.method == "GET":
        return render(
            request,
            "challenges/attachment_delete_confirm.html",
            {"proposal": proposal, "attachment": attachment},
        )
    try:
        services.attachment_delete(attachment=attachment, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Pièce jointe supprimée."))
    return redirect("proposals:edit", pk, "financement")
