"""Writes of the surveys app: duplication, invitations and their emails, answering, submission."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eig_portal.common import data_versions
from eig_portal.common.jobs import queue_on_commit
from eig_portal.common.tokens import hash_token, set_new_token

from . import answer_counts, tasks
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
from .selectors import SurveyDefinition, survey_definition

#: The column of numbers and scales, whose validators (digits) a saved answer must pass.
_NUMBER_FIELD = Answer._meta.get_field("number")

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
    survey_definition_changed(survey=copy)  # choices were written in bulk
    return copy


def survey_definition_changed(*, survey: Survey) -> None:
    """Record that ``survey``'s sections, questions or choices changed: its ``updated_at``
    moves (one ``UPDATE``, in the caller's transaction, and on ``survey`` itself), so the
    answering pages of every process read the new definition once the change is committed
    (``selectors.survey_definition``). Saves and deletes call it through signals; writers in
    bulk (``bulk_create``, ``QuerySet.update``) call it themselves."""
    survey.updated_at = _touch(Survey.objects.filter(pk=survey.pk))


def _touch(surveys) -> datetime:
    """Set ``updated_at`` of the ``surveys`` queryset to now; return it."""
    now = timezone.now()
    surveys.update(updated_at=now)
    return now


def on_definition_saved_or_deleted(sender, instance, **kwargs) -> None:
    """``post_save`` / ``post_delete`` receiver of ``Section``, ``Question`` and ``Choice``:
    the survey's ``updated_at`` moves (one ``UPDATE``), on a survey object already loaded on
    ``instance`` too (as factories and services hold it)."""
    if isinstance(instance, Choice):
        now = _touch(Survey.objects.filter(questions=instance.question_id))
        owner = instance.question if Choice.question.is_cached(instance) else None
    else:
        now = _touch(Survey.objects.filter(pk=instance.survey_id))
        owner = instance
    if owner is not None and type(owner).survey.is_cached(owner):
        owner.survey.updated_at = now


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
    found = list(
        # The survey and the response too (the latter a LEFT JOIN): every answering page needs
        # them. The hash is unique: no ORDER BY.
        Invitation.objects.select_related("survey", "response")
        .filter(token_hash=hash_token(token), invalidated_at__isnull=True)
        .order_by()[:1]
    )
    return found[0] if found else None


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


def invitation_response(invitation: Invitation) -> Response | None:
    """The invitation's response or None; no query when ``invitation_by_token`` read it."""
    try:
        response = invitation.response
    except Response.DoesNotExist:
        return None
    response.survey = invitation.survey  # the same survey, already read
    return response


def response_for_invitation(*, invitation: Invitation) -> Response:
    """The invitation's response, created (in progress) on first use; race-safe (OneToOne)."""
    existing = invitation_response(invitation)
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


def response_values(response: Response, definition: SurveyDefinition | None = None) -> dict:
    """``{question code: value}`` of a response's saved answers (as ``answer_value``); one query.

    ``definition`` (``selectors.survey_definition`` of the response's survey, read if not
    given) turns ids into codes: the answers are read alone, with their multiple choices in one
    ``LEFT JOIN`` of the link table, listed in the choices' order. A key is present for every
    stored answer row, even one holding no value (``[]`` for a multiple choice).
    """
    definition = definition or survey_definition(response.survey)
    rows = (
        Answer.objects.filter(response=response)
        .order_by()
        .values_list("question_id", "choice_id", "choices", "number", "boolean", "text")
    )
    values: dict = {}
    ticked: dict = {}
    for question_id, choice_id, multiple, number, boolean, text in rows:
        question = definition.by_pk.get(question_id)
        if question is None:  # added after this definition was read: the next request sees it
            continue
        qtype, code = question.type, question.code
        if qtype == Question.Type.MULTIPLE:
            values[code] = []
            ticked.setdefault(question, set()).add(multiple)
        elif qtype == Question.Type.SINGLE:
            values[code] = definition.choice_codes.get(choice_id, (None, None))[1]
        elif qtype == Question.Type.YESNO:
            values[code] = None if boolean is None else ("yes" if boolean else "no")
        elif qtype in (Question.Type.SCALE, Question.Type.NUMBER):
            values[code] = number
        else:
            values[code] = text
    for question, ids in ticked.items():
        values[question.code] = [c.code for c in question.choices.all() if c.pk in ids]
    return values


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


def survey_questions(survey: Survey) -> list[Question]:
    """The survey's questions with their section and choices, in order (for forms and
    visibility); shared, read-only objects (``selectors.survey_definition``)."""
    return list(survey_definition(survey).questions)


def response_refusal(*, survey: Survey, response: Response | None = None) -> str | None:
    """Why ``response`` (or a first one, when None) cannot be changed now — already sent, the
    questionnaire not open yet, or closed — as a sentence for the person; None when it can."""
    if response is not None and response.status != Response.Status.IN_PROGRESS:
        return _("Vos réponses ont déjà été envoyées (peut-être depuis un autre onglet).")
    if survey.not_yet_open():
        return _("Ce questionnaire n'est pas encore ouvert.")
    if not survey.is_open():
        return _("Ce questionnaire est clos ; vos réponses enregistrées sont conservées.")
    return None


def _check_editable(response):
    """``ValidationError`` (see :func:`response_refusal`) unless ``response`` may change."""
    refusal = response_refusal(survey=response.survey, response=response)
    if refusal:
        raise ValidationError(refusal)


def invitation_save_section(
    *,
    invitation: Invitation,
    section: Section,
    values: dict,
    next_section=None,
    questions: list[Question] | None = None,
    saved: dict | None = None,
) -> Response:
    """Save one section of the invitation's response, creating the response on first use.

    ``values``, ``next_section``, ``questions`` and ``saved`` as in
    :func:`response_save_section`; returns the saved response. Raises ``ValidationError`` if
    the response is submitted or the survey closed.
    """
    response = response_for_invitation(invitation=invitation)
    return response_save_section(
        response=response,
        section=section,
        values=values,
        next_section=next_section,
        questions=questions,
        saved=saved,
    )


@transaction.atomic
def response_save_section(
    *,
    response: Response,
    section: Section,
    values: dict,
    next_section: Section | None = None,
    questions: list[Question] | None = None,
    saved: dict | None = None,
) -> Response:
    """Save the answers of one section (``{code: value}``, value as in ``answer_value``).

    Empty values and the questions hidden by their condition are removed. ``next_section``
    becomes the section where the person resumes. ``questions`` (``survey_questions``) and
    ``saved`` (``response_values``) may be passed when the caller already read them: nothing is
    read twice. Raises ``ValidationError`` if the response is submitted or the survey closed.

    Queries: one ``UPDATE`` of the response (which also locks its row, so a concurrent
    submission waits and wins cleanly), one upsert of the section's answers
    (``INSERT … ON CONFLICT (response, question) DO UPDATE``), and only when something changed:
    the multiple choices added and removed, the answers emptied or hidden.
    """
    survey = response.survey
    questions = survey_questions(survey) if questions is None else questions
    saved = response_values(response) if saved is None else saved
    resume = next_section or section
    _mark_saving(response, survey, resume)
    current = {**saved}
    current.update({q.code: values.get(q.code) for q in questions if q.section_id == section.pk})
    kept, dropped = _section_answers(response, section, questions, current, saved)
    if dropped:
        Answer.objects.filter(response=response, question_id__in=dropped).delete()
    if kept:
        Answer.objects.bulk_create(
            kept,
            update_conflicts=True,
            unique_fields=["response", "question"],
            update_fields=["choice", "number", "boolean", "text"],
        )
        _save_multiple_choices(kept, current, saved)
    response.current_section = resume
    return response


def _section_answers(response, section, questions, current, saved):
    """``(answers to upsert, question ids whose stored answer goes)`` for a section save.

    An answer goes when its value is now empty or its question hidden — in this section, or in
    a later one whose condition the new values no longer meet.
    """
    by_pk = {q.pk: q for q in questions}
    kept, dropped = [], []
    for question in questions:
        if question.section_id != section.pk:
            continue
        value = current.get(question.code)
        if value in (None, "", []) or not question_visible(question, current, by_pk):
            if question.code in saved:
                dropped.append(question.pk)
            continue
        answer = Answer(response=response, question=question)
        _set_value(answer, question, value)
        kept.append(answer)
    dropped += [
        q.pk
        for q in questions
        if (q.section.order > section.order or q.section_id == section.pk)
        and q.show_if_question_id
        and q.code in saved
        and q.pk not in dropped
        and not question_visible(q, current, by_pk)
    ]
    return kept, dropped


def _mark_saving(response: Response, survey: Survey, resume: Section) -> None:
    """Set where the person resumes, if the response may still change; else ``ValidationError``.

    The conditional ``UPDATE`` locks the row until the end of the transaction.
    """
    if not survey.is_open():
        raise ValidationError(
            _("Ce questionnaire est clos ; vos réponses enregistrées sont conservées.")
        )
    updated = Response.objects.filter(pk=response.pk, status=Response.Status.IN_PROGRESS).update(
        current_section=resume, updated_at=timezone.now()
    )
    if not updated:
        raise ValidationError(
            _("Cette réponse a déjà été envoyée ; elle ne peut plus être modifiée.")
        )


def _save_multiple_choices(answers: list[Answer], current: dict, saved: dict) -> None:
    """Make the stored choices of the multiple choice ``answers`` (upserted, so with their
    ids) those of ``current``: at most one ``DELETE`` and one ``INSERT``, none if unchanged."""
    through = Answer.choices.through
    removed_from, wanted_ids, added = [], [], []
    for answer in answers:
        question = answer.question
        if question.type != Question.Type.MULTIPLE:
            continue
        codes, before = set(current[question.code]), set(saved.get(question.code) or [])
        if codes == before:
            continue
        wanted = [c for c in question.choices.all() if c.code in codes]
        wanted_ids += [c.pk for c in wanted]
        if before - codes:
            removed_from.append(answer.pk)
        added += [
            through(answer_id=answer.pk, choice_id=c.pk) for c in wanted if c.code not in before
        ]
    if removed_from:
        through.objects.filter(answer_id__in=removed_from).exclude(
            choice_id__in=wanted_ids
        ).delete()
    if added:
        through.objects.bulk_create(added, ignore_conflicts=True)


def _set_value(answer, question, value):
    """Fill the answer's column of ``question.type`` from ``value``; ``ValidationError`` when a
    number does not fit the column (14 digits, 4 decimals). The other columns need no check:
    the choice is one of the question's own, yes/no a boolean, the text a string (its length
    is a rule of the form)."""
    answer.choice, answer.number, answer.boolean, answer.text = None, None, None, ""
    qtype = question.type
    if qtype == Question.Type.SINGLE:
        answer.choice = next(c for c in question.choices.all() if c.code == value)
    elif qtype == Question.Type.YESNO:
        answer.boolean = value == "yes"
    elif qtype in (Question.Type.SCALE, Question.Type.NUMBER):
        answer.number = Decimal(value)
        try:
            _NUMBER_FIELD.run_validators(answer.number)
        except ValidationError as exc:
            raise ValidationError({"number": exc.error_list}) from exc
    elif qtype in (Question.Type.SHORT_TEXT, Question.Type.LONG_TEXT):
        answer.text = str(value)


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
    double click or two tabs never create a second response. Only the response's row is locked,
    not its survey's: a lock on the survey would make every submission of the questionnaire
    wait for the others, and deadlock with a rebuild of the stored counts (which holds the
    counts' state row, wanted next by the submission, and inserts rows referencing the survey).
    The survey is read after the lock is granted (a row read with the locked one would be the
    version from before the wait). Raises ``ValidationError`` when the survey is closed or
    required answers are missing.
    """
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        # The survey is read once the row is locked: a definition changed meanwhile (a section
        # deleted in the admin) is then seen, with the answers it took away.
        locked.survey = Survey.objects.get(pk=locked.survey_id)
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
            answer_counts.add_response(locked)  # the results' stored counts, same transaction
    if done:
        response.status, response.submitted_at = Response.Status.SUBMITTED, now
        data_versions.bump("surveys")  # results count submitted responses
    return bool(done)
