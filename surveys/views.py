"""Answering pages, reached only through a personal link ``/questionnaires/r/<token>/…``.

Access: the token alone identifies the invitation (404 when unknown, malformed or invalidated);
every page loads the response through that invitation, never by an id taken from the request, so
one person's link cannot reach another's response. Pages are ``no-store`` (the back button
reloads the server's state) and send no referrer to other sites (the token stays out of their logs).
"""

import functools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import invitation_emails, services
from .forms import SectionForm, number_text
from .models import Question
from .selectors import survey_definition


def personal_link(view):
    """Resolve ``token`` to a valid invitation (else 404) and add privacy headers."""

    @functools.wraps(view)
    @never_cache
    def wrapper(request, token, *args, **kwargs):
        invitation = services.invitation_by_token(token)
        if invitation is None:
            raise Http404(_("Lien inconnu ou invalidé."))
        response = view(request, invitation, token, *args, **kwargs)
        # same-origin, not no-referrer: with no-referrer Chromium sends « Origin: null » on
        # form posts and the CSRF check refuses them.
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


class _Context:
    """What every answering page needs: survey, sections, questions, response, saved values."""

    def __init__(self, invitation):
        self.invitation = invitation
        self.survey = invitation.survey
        definition = survey_definition(self.survey)  # kept between requests: read-only
        self.sections = definition.sections
        self.questions = definition.questions
        self.by_pk = definition.by_pk
        self.response = services.invitation_response(invitation)
        self.values = services.response_values(self.response, definition) if self.response else {}

    def section_questions(self, section, values=None):
        """Questions of ``section`` shown on its page: conditions on other sections are applied
        (same-section conditions are left to the page's script and to the save service)."""
        values = self.values if values is None else values
        shown = []
        for q in self.questions:
            if q.section_id != section.pk:
                continue
            target = self.by_pk.get(q.show_if_question_id)
            if target and target.section_id != section.pk:
                if not services.question_visible(q, values, self.by_pk):
                    continue
            shown.append(q)
        return shown

    def next_number(self, number, step=1, values=None):
        """The next (or previous) section number with something to show, or None."""
        n = number + step
        while 1 <= n <= len(self.sections):
            if self.section_questions(self.sections[n - 1], values):
                return n
            n += step
        return None

    def resume_url(self, token):
        if self.response and self.response.current_section_id:
            for n, s in enumerate(self.sections, start=1):
                if s.pk == self.response.current_section_id:
                    return reverse("surveys:section", args=[token, n])
        return reverse("surveys:section", args=[token, 1])

    def answered_sections(self):
        """Sections (1-based numbers) with at least one saved answer."""
        codes = {code for code, v in self.values.items() if v not in (None, "", [])}
        return {
            n
            for n, s in enumerate(self.sections, start=1)
            if any(q.code in codes for q in self.questions if q.section_id == s.pk)
        }

    def review_rows(self):
        """``[(number, section, [(question, display), …]), …]`` of visible questions."""
        rows = []
        for n, section in enumerate(self.sections, start=1):
            items = [
                (q, _display(q, self.values.get(q.code)))
                for q in self.questions
                if q.section_id == section.pk
                and services.question_visible(q, self.values, self.by_pk)
            ]
            if items:
                rows.append((n, section, items))
        return rows

    def base(self, token, **extra):
        return {
            "survey": self.survey,
            "invitation": self.invitation,
            "response": self.response,
            "token": token,
            "sections": self.sections,
            "steps": len(self.sections) + 1,
            "is_open": self.survey.is_open(),
            "personal_link": invitation_emails.invitation_links(self.invitation)["link"],
            **extra,
        }


def _display(question, value):
    if value in (None, "", []):
        return None
    if question.type == Question.Type.SINGLE:
        return next((c.label for c in question.choices.all() if c.code == value), value)
    if question.type == Question.Type.MULTIPLE:
        labels = [c.label for c in question.choices.all() if c.code in value]
        return " ; ".join(labels)
    if question.type == Question.Type.YESNO:
        return _("Oui") if value == "yes" else _("Non")
    if question.type == Question.Type.SCALE:
        return f"{int(value)} / {question.scale_max}"
    if question.type == Question.Type.NUMBER:
        return f"{number_text(value)} {question.unit}".strip()
    return value


@personal_link
@require_http_methods(["GET"])
def start(request, invitation, token):
    """Landing page: introduction, state (not open / closed / submitted), start or resume."""
    services.invitation_mark_opened(invitation=invitation)
    ctx = _Context(invitation)
    if ctx.response and ctx.response.is_submitted:
        return redirect("surveys:done", token)
    return render(
        request,
        "surveys/answer_start.html",
        ctx.base(
            token,
            resume_url=ctx.resume_url(token),
            not_yet_open=ctx.survey.not_yet_open(),
            review_rows=ctx.review_rows() if ctx.response and not ctx.survey.is_open() else None,
        ),
    )


def _destination(ctx, number, action, values):
    """``(target number or None, section to resume at)`` for the button pressed on section
    ``number``: « previous » and « next » skip sections with nothing to show given ``values``;
    « save_later » stays. With no next section the response resumes at the review."""
    current = ctx.sections[number - 1]
    if action == "previous":
        target = ctx.next_number(number, -1, values)
        return target, ctx.sections[target - 1] if target else None
    if action == "next":
        target = ctx.next_number(number, 1, values)
        return target, ctx.sections[target - 1] if target else current
    return number, current


def _after_save(token, action, target):
    """Where a saved section leads: the saved-link page, a section, or the review."""
    if action == "save_later":
        return redirect("surveys:saved", token)
    if action == "previous":
        return redirect("surveys:section", token, target or 1)
    if target:
        return redirect("surveys:section", token, target)
    return redirect("surveys:review", token)


#: Said with every refused section: what was typed is on the page, not saved.
NOT_SAVED_ADVICE = _lazy(
    "Cette page n'a pas été enregistrée : copiez ce que vous avez écrit si vous souhaitez le "
    "garder."
)


@personal_link
@require_http_methods(["GET", "POST"])
def section(request, invitation, token, number):
    """One section per page; POST saves it then continues, goes back or shows the saved link."""
    ctx = _Context(invitation)
    if not 1 <= number <= len(ctx.sections):
        raise Http404(_("Section inconnue."))
    refusal = services.response_refusal(survey=ctx.survey, response=ctx.response)
    if refusal and request.method == "GET":
        sent = ctx.response and ctx.response.is_submitted
        return redirect("surveys:done" if sent else "surveys:start", token)
    current = ctx.sections[number - 1]
    questions = ctx.section_questions(current)
    form_kwargs = {
        "questions": questions,
        "all_questions": ctx.questions,
        "saved_values": ctx.values,
    }
    if request.method == "POST":
        form = SectionForm(request.POST, **form_kwargs)
        action = request.POST.get("action", "next")
        if refusal:
            # Sent from another tab, or closed, since this page was opened: the page comes
            # back with what was typed (nothing lost) and says why it was not saved.
            form.add_error(None, f"{refusal} {NOT_SAVED_ADVICE}")
        elif form.is_valid() and (action != "next" or form.check_required()):
            new_values = {**ctx.values, **form.cleaned_values()}
            target, next_section = _destination(ctx, number, action, new_values)
            try:
                services.invitation_save_section(
                    invitation=invitation,
                    section=current,
                    values=form.cleaned_values(),
                    next_section=next_section,
                    questions=ctx.questions,
                    saved=ctx.values,
                )
            except ValidationError as exc:
                # Closed or submitted meanwhile (another tab): the page comes back with what
                # was typed, so nothing is lost, and says why it was not saved.
                form.add_error(None, f"{' '.join(exc.messages)} {NOT_SAVED_ADVICE}")
            else:
                return _after_save(token, action, target)
    else:
        form = SectionForm(**form_kwargs)
    previous = ctx.next_number(number, -1)
    nxt = ctx.next_number(number, 1)
    return render(
        request,
        "surveys/answer_section.html",
        ctx.base(
            token,
            form=form,
            section=current,
            number=number,
            previous_number=previous,
            next_section=ctx.sections[nxt - 1] if nxt else None,
        ),
    )


@personal_link
@require_http_methods(["GET"])
def saved(request, invitation, token):
    """After « Enregistrer et continuer plus tard »: the personal link to come back."""
    ctx = _Context(invitation)
    return render(
        request, "surveys/answer_saved.html", ctx.base(token, resume_url=ctx.resume_url(token))
    )


@personal_link
@require_http_methods(["GET", "POST"])
def review(request, invitation, token):
    """Review of all answers, with links to change a section, and the submit button (POST)."""
    ctx = _Context(invitation)
    if ctx.response and ctx.response.is_submitted:
        if request.method == "POST":
            messages.info(
                request, _("Votre réponse avait déjà été envoyée ; elle n'a pas été modifiée.")
            )
        return redirect("surveys:done", token)
    if not ctx.survey.is_open():
        return redirect("surveys:start", token)
    missing = (
        services.response_missing_required(ctx.response, ctx.values, ctx.questions)
        if ctx.response
        else [q for q in ctx.questions if q.required and not q.show_if_question_id]
    )
    error = None
    if request.method == "POST":
        if ctx.response is None:
            error = _("Vous n'avez encore répondu à aucune question.")
        else:
            try:
                submitted = services.response_submit(response=ctx.response)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                if submitted:
                    messages.success(request, _("Merci ! Votre réponse a bien été envoyée."))
                else:
                    messages.info(
                        request,
                        _("Votre réponse avait déjà été envoyée ; elle n'a pas été modifiée."),
                    )
                return redirect("surveys:done", token)
    section_numbers = {s.pk: n for n, s in enumerate(ctx.sections, start=1)}
    return render(
        request,
        "surveys/answer_review.html",
        ctx.base(
            token,
            rows=ctx.review_rows(),
            missing=[(q, section_numbers[q.section_id]) for q in missing],
            error=error,
            number=len(ctx.sections) + 1,
            last_number=ctx.next_number(len(ctx.sections) + 1, -1) or 1,
        ),
        status=422 if error else 200,
    )


@personal_link
@require_http_methods(["GET"])
def done(request, invitation, token):
    """Read-only view of a submitted response."""
    ctx = _Context(invitation)
    if not (ctx.response and ctx.response.is_submitted):
        return redirect("surveys:start", token)
    return render(request, "surveys/answer_done.html", ctx.base(token, rows=ctx.review_rows()))


@personal_link
@require_http_methods(["GET", "POST"])
def unsubscribe(request, invitation, token):
    """Stop reminders (confirmation by POST, so that link scanners do not unsubscribe)."""
    if request.method == "POST":
        services.invitation_unsubscribe(invitation=invitation)
    ctx = _Context(invitation)
    return render(request, "surveys/answer_unsubscribe.html", ctx.base(token))
