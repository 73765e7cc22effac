"""Writes of the surveys app: duplication, invitations and their emails, answering, submission."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eig_portal.common.jobs import queue_on_commit

from . import tasks
from .models import (
    Answer,
    Choice,
    Invitation,
    Question,
    Response,
    Role,
    Section,
    Survey,
)
from .tokens import hash_token, set_new_token

# --- Questionnaires -------------------------------------------------------------------------


@transaction.atomic
def survey_duplicate(*, survey: Survey, code: str, title: str = "", promotions=None) -> Survey:
    """Copy ``survey`` (sections, questions, choices, conditions) under a new ``code``.

    The copy has no dates, no invitations and no responses; ``promotions`` (an iterable of
    ``Promotion``) defaults to none. Raises ``ValidationError`` if ``code`` is taken or invalid.
    """
    copy = Survey(
        code=code,
        title=title or survey.title,
        description=survey.description,
        audience_fellows=survey.audience_fellows,
        audience_mentors=survey.audience_mentors,
        is_anonymous=survey.is_anonymous,
        first_reminder_after_days=survey.first_reminder_after_days,
        second_reminder_after_days=survey.second_reminder_after_days,
    )
    copy.full_clean()
    copy.save()
    if promotions:
        copy.promotions.set(promotions)
    sections = {}
    for section in survey.sections.order_by("order", "pk"):
        sections[section.pk] = Section.objects.create(
            survey=copy, title=section.title, description=section.description, order=section.order
        )
    new_questions = {}
    questions = list(
        survey.questions.select_related("show_if_question")
        .prefetch_related("choices")
        .order_by("pk")
    )
    for question in questions:
        new_questions[question.pk] = Question.objects.create(
            survey=copy,
            section=sections[question.section_id],
            **{
                f: getattr(question, f)
                for f in (
                    "code text help_text type required order scale_min scale_max min_label "
                    "max_label number_min number_max unit show_if_value pinned pinned_choice"
                ).split()
            },
        )
        Choice.objects.bulk_create(
            Choice(question=new_questions[question.pk], code=c.code, label=c.label, order=c.order)
            for c in question.choices.all()
        )
    for question in questions:
        if question.show_if_question_id:
            new = new_questions[question.pk]
            new.show_if_question = new_questions[question.show_if_question_id]
            new.save(update_fields=["show_if_question"])
    return copy


# --- Invitations ----------------------------------------------------------------------------


@transaction.atomic
def invitations_create(*, survey: Survey, promotions=None) -> list[Invitation]:
    """Create one invitation per fellow/mentor of the audience who has an email and none yet.

    ``promotions`` defaults to ``survey.promotions``. Returns the created invitations (people
    without an email are skipped). Sending is separate (``invitations_queue_sending``).
    """
    from promotions.models import Fellow, Mentor

    promotions = list(promotions if promotions is not None else survey.promotions.all())
    created = []
    if survey.audience_fellows:
        invited = survey.invitations.filter(fellow__isnull=False).values("fellow_id")
        for fellow in (
            Fellow.objects.filter(promotion__in=promotions)
            .exclude(email="")
            .exclude(pk__in=invited)
        ):
            created.append(
                _new_invitation(
                    survey, Role.FELLOW, fellow.email, fellow.promotion_id, fellow=fellow
                )
            )
    if survey.audience_mentors:
        invited = survey.invitations.filter(mentor__isnull=False).values("mentor_id")
        for mentor in (
            Mentor.objects.filter(promotion__in=promotions)
            .exclude(email="")
            .exclude(pk__in=invited)
        ):
            created.append(
                _new_invitation(
                    survey, Role.MENTOR, mentor.email, mentor.promotion_id, mentor=mentor
                )
            )
    Invitation.objects.bulk_create(created)
    return created


def _new_invitation(survey, role, email, promotion_id, **person):
    invitation = Invitation(
        survey=survey, role=role, email=email, promotion_id=promotion_id, **person
    )
    set_new_token(invitation)
    return invitation


def invitation_create(
    *, survey: Survey, email: str, role: str, promotion=None, fellow=None, mentor=None
):
    """Create one invitation (e.g. for a person outside the promotions); returns it."""
    invitation = _new_invitation(
        survey, role, email, promotion.pk if promotion else None, fellow=fellow, mentor=mentor
    )
    invitation.full_clean()
    invitation.save()
    return invitation


def invitation_by_token(token: str):
    """The valid (not invalidated) invitation of a token, or None. Never raises."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("survey", "promotion")
        .filter(token_hash=hash_token(token), invalidated_at__isnull=True)
        .first()
    )


def invitations_queue_sending(*, survey: Survey) -> int:
    """Queue (after commit) the email of every valid invitation not yet sent; return the count."""
    ids = list(
        survey.invitations.filter(sent_at__isnull=True, invalidated_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        queue_on_commit(tasks.send_invitation, pk)
    return len(ids)


def invitation_resend(*, invitation: Invitation) -> None:
    """Queue the invitation email again (coordinator action)."""
    if invitation.invalidated_at:
        raise ValidationError(_("Cette invitation a été invalidée."))
    queue_on_commit(tasks.send_invitation, invitation.pk, force=True)


def invitation_invalidate(*, invitation: Invitation) -> None:
    """Invalidate the personal link (it then gets 404); saved answers are kept."""
    Invitation.objects.filter(pk=invitation.pk, invalidated_at__isnull=True).update(
        invalidated_at=timezone.now()
    )
    invitation.refresh_from_db()


def invitation_unsubscribe(*, invitation: Invitation) -> None:
    """Stop the reminders of this invitation."""
    Invitation.objects.filter(pk=invitation.pk).update(unsubscribed_from_reminders=True)
    invitation.unsubscribed_from_reminders = True


def invitation_mark_opened(*, invitation: Invitation) -> None:
    """Record the first visit of the personal link."""
    if invitation.opened_at is None:
        now = timezone.now()
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=now)
        invitation.opened_at = now


# --- Answering ------------------------------------------------------------------------------


def response_for_invitation(*, invitation: Invitation) -> Response:
    """The invitation's response, created (in progress) on first use; race-safe (OneToOne)."""
    existing = Response.objects.filter(invitation=invitation).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Response.objects.create(
                survey=invitation.survey,
                invitation=invitation,
                role=invitation.role,
                promotion_id=invitation.promotion_id,
                source=Response.Source.PORTAL,
            )
    except IntegrityError:
        return Response.objects.get(invitation=invitation)


def answer_value(answer: Answer):
    """The comparable value of an answer: choice code, list of codes, "yes"/"no", Decimal, text."""
    qtype = answer.question.type
    if qtype == Question.Type.SINGLE:
        return answer.choice.code if answer.choice_id else None
    if qtype == Question.Type.MULTIPLE:
        return [c.code for c in answer.choices.all()]
    if qtype == Question.Type.YESNO:
        return None if answer.boolean is None else ("yes" if answer.boolean else "no")
    if qtype in (Question.Type.SCALE, Question.Type.NUMBER):
        return answer.number
    return answer.text


def response_values(response: Response) -> dict:
    """``{question code: value}`` of a response's saved answers (two queries)."""
    answers = (
        Answer.objects.filter(response=response)
        .select_related("question", "choice")
        .prefetch_related("choices")
    )
    return {a.question.code: answer_value(a) for a in answers}


def _matches(value, expected):
    if value in (None, "", []):
        return False
    if isinstance(value, list):
        return expected in value
    if isinstance(value, Decimal | int | float):
        try:
            return Decimal(value) == Decimal(expected)
        except ArithmeticError:
            return False
    return str(value) == expected


def question_visible(question: Question, values: dict, by_pk: dict) -> bool:
    """True unless ``question`` has a condition (recursively) not met by ``values``.

    ``by_pk`` maps question pk → Question of the survey (to follow chains of conditions).
    """
    seen = set()
    while question.show_if_question_id and question.pk not in seen:
        seen.add(question.pk)
        target = by_pk.get(question.show_if_question_id)
        if target is None or not _matches(values.get(target.code), question.show_if_value):
            return False
        question = target
    return True


def survey_questions(survey: Survey):
    """The survey's questions with their choices, in order (for forms and visibility)."""
    return list(
        Question.objects.filter(survey=survey)
        .select_related("section")
        .prefetch_related("choices")
        .order_by("section__order", "section__pk", "order", "pk")
    )


def _check_editable(response):
    if response.status != Response.Status.IN_PROGRESS:
        raise ValidationError(
            _("Cette réponse a déjà été envoyée ; elle ne peut plus être modifiée.")
        )
    if not response.survey.is_open():
        raise ValidationError(
            _("Ce questionnaire est clos ; vos réponses enregistrées sont conservées.")
        )


def invitation_save_section(
    *, invitation: Invitation, section: Section, values: dict, next_section=None
) -> Response:
    """Save one section of the invitation's response, creating the response on first use.

    ``values`` and ``next_section`` as in :func:`response_save_section`; returns the saved
    response. Raises ``ValidationError`` if the response is submitted or the survey closed.
    """
    response = response_for_invitation(invitation=invitation)
    return response_save_section(
        response=response, section=section, values=values, next_section=next_section
    )


@transaction.atomic
def response_save_section(*, response: Response, section: Section, values: dict, next_section=None):
    """Save the answers of one section (``{code: value}``, value as in ``answer_value``).

    Empty values and the questions hidden by their condition are removed. ``next_section``
    becomes the section where the person resumes. Raises ``ValidationError`` if the response is
    submitted or the survey closed (the row is locked, so a concurrent submission wins cleanly).
    """
    locked = Response.objects.select_for_update().select_related("survey").get(pk=response.pk)
    _check_editable(locked)
    questions = survey_questions(locked.survey)
    by_pk = {q.pk: q for q in questions}
    current = response_values(locked)
    current.update({q.code: values.get(q.code) for q in questions if q.section_id == section.pk})
    existing = {
        a.question_id: a for a in Answer.objects.filter(response=locked, question__section=section)
    }
    for question in questions:
        if question.section_id == section.pk:
            _save_answer(
                locked,
                question,
                current.get(question.code),
                existing.get(question.pk),
                visible=question_visible(question, current, by_pk),
            )
    _drop_hidden_answers(locked, section, questions, current, by_pk)
    locked.current_section = next_section or section
    locked.save(update_fields=["current_section", "updated_at"])
    response.current_section = locked.current_section
    return locked


def _save_answer(response: Response, question: Question, value, answer, *, visible: bool) -> None:
    """Write (or, when empty or hidden, delete) the answer of ``question``."""
    if value in (None, "", []) or not visible:
        if answer:
            answer.delete()
        return
    answer = answer or Answer(response=response, question=question)
    _set_value(answer, question, value)
    answer.full_clean(exclude=["response", "question"], validate_unique=False)
    answer.save()
    if question.type == Question.Type.MULTIPLE:
        answer.choices.set([c for c in question.choices.all() if c.code in value])


def _drop_hidden_answers(response, section, questions, values, by_pk) -> None:
    """Answers of this and later sections may now be hidden by a changed condition: drop them."""
    later = [q for q in questions if q.section.order > section.order or q.section_id == section.pk]
    hidden = [
        q.pk for q in later if q.show_if_question_id and not question_visible(q, values, by_pk)
    ]
    if hidden:
        Answer.objects.filter(response=response, question_id__in=hidden).delete()


def _set_value(answer, question, value):
    answer.choice, answer.number, answer.boolean, answer.text = None, None, None, ""
    qtype = question.type
    if qtype == Question.Type.SINGLE:
        answer.choice = next(c for c in question.choices.all() if c.code == value)
    elif qtype == Question.Type.YESNO:
        answer.boolean = value == "yes"
    elif qtype in (Question.Type.SCALE, Question.Type.NUMBER):
        answer.number = Decimal(value)
    elif qtype in (Question.Type.SHORT_TEXT, Question.Type.LONG_TEXT):
        answer.text = value


def response_missing_required(response: Response, values=None, questions=None) -> list[Question]:
    """The required questions, visible given the answers, that have no answer."""
    values = response_values(response) if values is None else values
    questions = survey_questions(response.survey) if questions is None else questions
    by_pk = {q.pk: q for q in questions}
    return [
        q
        for q in questions
        if q.required
        and values.get(q.code) in (None, "", [])
        and question_visible(q, values, by_pk)
    ]


def response_submit(*, response: Response) -> bool:
    """Submit a response once; return True if this call submitted it, False if it already was.

    Concurrency: the row is locked (``select_for_update``) and the status changes through
    ``UPDATE … WHERE status = 'in_progress'``; one invitation has one response (OneToOne), so a
    double click or two tabs never create a second response. Raises ``ValidationError`` when the
    survey is closed or required answers are missing.
    """
    with transaction.atomic():
        locked = Response.objects.select_for_update().select_related("survey").get(pk=response.pk)
        if locked.status == Response.Status.SUBMITTED:
            return False
        _check_editable(locked)
        missing = response_missing_required(locked)
        if missing:
            raise ValidationError(
                _("Réponse obligatoire manquante : %(questions)s")
                % {"questions": " ; ".join(q.text for q in missing)}
            )
        now = timezone.now()
        done = Response.objects.filter(pk=locked.pk, status=Response.Status.IN_PROGRESS).update(
            status=Response.Status.SUBMITTED, submitted_at=now
        )
    if done:
        response.status, response.submitted_at = Response.Status.SUBMITTED, now
    return bool(done)
