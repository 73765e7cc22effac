"""Pages of the call for candidates, public and candidate side.

Each view: access check (404 for another person's application) → form → one service call →
redirect or render. Nothing typed is lost on an error: the bound form comes back with its
errors at the top and beside each field. Candidates see their status and the messages meant
for them, never the jury's scores.
"""

from __future__ import annotations

import json
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import access, selectors, services
from .forms import (
    STEP_TITLES,
    STEPS,
    CandidateSignupForm,
    ChoicesForm,
    DocumentsForm,
    IdentityForm,
    MessageForm,
    SubmitForm,
)
from .models import Application, ChallengeOpening

Status = Application.Status


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- public -------------------------------------------------------------------------------------


@require_GET
def call_detail_view(request, slug):
    """Public page of a call for candidates: conditions, défis open with places per profile."""
    call = get_object_or_404(selectors.calls_public(), slug=slug)
    mine = None
    if request.user.is_authenticated:
        mine = Application.objects.filter(call=call, candidate=request.user).first()
    return render(
        request,
        "recruitment/call_detail.html",
        {
            "call": call,
            "openings": selectors.openings_of(call=call),
            "is_open": services.call_is_open(call=call),
            "my_application": mine,
            "retention_days": settings.CANDIDATE_RETENTION_DAYS,
        },
    )


@require_http_methods(["GET", "POST"])
def candidate_signup_view(request):
    """Candidate sign-up (allauth: email verified before the first login)."""
    from allauth.account import app_settings
    from allauth.account.adapter import get_adapter
    from allauth.account.utils import complete_signup, setup_user_email
    from django.contrib.auth import get_user_model

    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    form = CandidateSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.email_is_taken():
            # Same answer as for a new address: the page never tells which addresses exist.
            return redirect("account_email_verification_sent")
        data = form.cleaned_data
        user = get_user_model()(
            email=data["email"], first_name=data["first_name"], last_name=data["last_name"]
        )
        get_adapter().populate_username(request, user)
        user.set_password(data["password1"])
        user.save()
        setup_user_email(request, user, [])
        services.candidate_account_create(user=user)
        return complete_signup(
            request, user, app_settings.EMAIL_VERIFICATION, next_url or reverse("home")
        )
    return render(request, "recruitment/candidate_signup.html", {"form": form, "next": next_url})


# --- the candidate's application ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def application_start_view(request, slug):
    """« Candidater »: anonymous → candidate sign-up; a candidate → their application."""
    call = get_object_or_404(selectors.calls_public(), slug=slug)
    defi = request.GET.get("defi") or request.POST.get("defi") or ""
    if not request.user.is_authenticated:
        target = reverse("recruitment:apply", args=[call.slug])
        if defi:
            target += f"?defi={defi}"
        return redirect(f"{reverse('recruitment:signup')}?next={target}")
    existing = Application.objects.filter(call=call, candidate=request.user).first()
    if existing is not None:
        return redirect("recruitment:edit", existing.pk, "identite")
    if not access.may_apply(request.user):
        return render(request, "recruitment/not_a_candidate.html", status=403)
    if request.method == "GET":
        return render(
            request,
            "recruitment/apply_start.html",
            {"call": call, "defi": defi, "token": uuid.uuid4()},
        )
    try:
        services.candidate_account_create(user=request.user)
        application = services.application_create(
            call=call, user=request.user, creation_token=request.POST.get("creation_token")
        )
        opening = ChallengeOpening.objects.filter(call=call, challenge__slug=defi).first()
        if opening is not None and not application.choices.exists():
            services.application_set_choices(
                application=application, user=request.user, choices=[(opening.challenge_id, "")]
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(call.get_absolute_url())
    return redirect("recruitment:edit", application.pk, "identite")


def _step_form(step, application, data=None, files=None):
    if step == "identite":
        return IdentityForm(data, instance=application)
    if step == "defis":
        openings = selectors.openings_of(call=application.call)
        return ChoicesForm(data, openings=openings, application=application)
    if step == "documents":
        return DocumentsForm(data, files, instance=application)
    return SubmitForm(data, initial={"version": application.version})


def _save_step(step, form, application, user) -> None:
    if step == "identite":
        services.application_save_draft(application=application, user=user, data=form.cleaned_data)
    elif step == "defis":
        services.application_set_choices(
            application=application, user=user, choices=form.ranked_choices()
        )
    elif step == "documents":
        data = {k: v for k, v in form.cleaned_data.items() if k != "cv_file"}
        services.application_save_draft(application=application, user=user, data=data)
        if form.cleaned_data.get("cv_file"):
            services.application_attach_cv(
                application=application, user=user, uploaded_file=form.cleaned_data["cv_file"]
            )


@login_required
@require_http_methods(["GET", "POST"])
def application_edit_view(request, pk, step):
    """One step of the application form; saving keeps a draft the candidate can resume."""
    application = access.application_for_candidate_or_404(request.user, pk)
    if step not in STEPS or step == "depot":
        raise Http404
    editable = services.application_is_editable(application=application)
    form = _step_form(step, application, request.POST or None, request.FILES or None)
    if request.method == "POST" and editable and form.is_valid():
        try:
            _save_step(step, form, application, request.user)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Brouillon enregistré."))
            if "continue" in request.POST:
                following = STEPS[STEPS.index(step) + 1]
                if following == "depot":
                    return redirect("recruitment:submit", pk)
                return redirect("recruitment:edit", pk, following)
            return redirect("recruitment:edit", pk, step)
    return render(
        request,
        "recruitment/application_form.html",
        _form_context(application, step, form, editable),
    )


def _form_context(application, step, form, editable) -> dict:
    return {
        "application": application,
        "call": application.call,
        "form": form,
        "step": step,
        "step_title": STEP_TITLES[step],
        "steps": [
            {"slug": s, "title": STEP_TITLES[s], "number": i} for i, s in enumerate(STEPS, 1)
        ],
        "step_number": STEPS.index(step) + 1,
        "editable": editable,
        "missing": services.application_missing_fields(application=application),
    }


@login_required
@require_http_methods(["GET", "POST"])
def application_submit_view(request, pk):
    """Last step: check, acknowledge the personal-data notice and submit (once per form)."""
    application = access.application_for_candidate_or_404(request.user, pk)
    editable = services.application_is_editable(application=application)
    form = _step_form("depot", application, request.POST or None)
    if request.method == "POST" and editable and form.is_valid():
        try:
            services.application_acknowledge_notice(application=application, user=request.user)
            services.application_submit(
                application=application,
                user=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Votre candidature est déposée."))
            return redirect(application.get_absolute_url())
    context = _form_context(application, "depot", form, editable)
    context["choices"] = application.choices.select_related("challenge").order_by("rank")
    context["retention_days"] = settings.CANDIDATE_RETENTION_DAYS
    return render(request, "recruitment/application_submit.html", context)


@login_required
@require_GET
def application_detail_view(request, pk):
    """The candidate's application: status, messages meant for them, versions (no scores)."""
    application = access.application_for_candidate_or_404(request.user, pk)
    return render(
        request,
        "recruitment/application_detail.html",
        {
            "application": application,
            "choices": application.choices.select_related("challenge").order_by("rank"),
            "changes": application.status_changes.order_by("at", "pk"),
            "versions": application.versions.order_by("number"),
            "interviews": application.interviews.select_related("challenge", "slot"),
            "editable": services.application_is_editable(application=application),
            "withdrawable": Status.WITHDRAWN in services.TRANSITIONS.get(application.status, ()),
        },
    )


@login_required
@require_GET
def application_cv_view(request, pk):
    """The candidate's own CV (PDF)."""
    application = access.application_for_candidate_or_404(request.user, pk)
    if not application.cv:
        raise Http404
    return FileResponse(
        application.cv.open("rb"), filename=application.cv_name or "cv.pdf", as_attachment=True
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw_view(request, pk):
    """Withdraw a submitted application (confirmation page, then POST)."""
    application = access.application_for_candidate_or_404(request.user, pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                application=application, user=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Votre candidature est retirée."))
        return redirect(application.get_absolute_url())
    return render(
        request, "recruitment/application_withdraw.html", {"application": application, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_delete_view(request, pk):
    """Delete a draft (confirmation page, then POST)."""
    application = access.application_for_candidate_or_404(request.user, pk)
    if request.method == "POST":
        try:
            services.application_delete_draft(application=application, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(application.get_absolute_url())
        messages.success(request, _("Votre brouillon est supprimé."))
        return redirect(application.call.get_absolute_url())
    return render(request, "recruitment/application_delete.html", {"application": application})


@login_required
@require_POST
def application_data_view(request, pk):
    """The candidate's own data as a JSON download (everything they gave, and their statuses)."""
    application = access.application_for_candidate_or_404(request.user, pk)
    data = selectors.candidate_data(application=application)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="candidature-{application.pk}.json"'
    return response
