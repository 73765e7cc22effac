"""Stored counts of submitted answers (``AnswerCount``), always current when results are read.

The results of a questionnaire (``surveys.results``) add up answers grouped by question, role,
promotion and value. Instead of grouping every answer again at each view (100,000 responses ×
40 questions: 3.8 million rows), the groups' counts are stored and kept current in the writers'
transactions:

- a response submitted on the portal adds its own counts (:func:`add_response`, an upsert
  ``n = n + 1`` per group, a few rows);
- an import of past responses rebuilds the questionnaire's counts (:func:`rebuild`);
- anything else that could change them — a response saved submitted, reopened or moved, any
  response deleted, an answer of a submitted response saved, its multiple choices changed (from
  the answer or from the choice), a choice deleted — marks them stale
  (:func:`invalidate`, from the signals of :func:`connect_signals`), and the next read rebuilds
  them (:func:`ensure_current`) before reading.

One SQL statement defines the counts (:data:`_ANSWER_ROWS`, :data:`_CHOICE_ROWS`), used both by
the rebuild (every submitted response of a survey) and by the addition (one response), so both
paths count alike. Counts are grouped by the survey of the responses (a question moved to
another questionnaire keeps both questionnaires' counts apart).

Consistency under concurrency: the survey's ``AnswerCountState`` row is locked (``SELECT … FOR
UPDATE``) by the addition and the rebuild, and written by every invalidation (even of stale
counts), so each writer holds it until it commits: an addition made while the counts are stale
does nothing (the rebuild will count that response), a rebuild waits for a writer in progress
then sees its change, and a writer coming after a rebuild marks its counts stale again. Writers
that also move the results' data version (``common.data_versions``) lock its row first, then
the state row (one order, no deadlock); a submission locks its response's row only.

Not followed: answers deleted on their own from a submitted response, and ``QuerySet.update()``
of responses or answers (no signal; no path of the portal does either: imports rebuild).
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from eig_portal.common import data_versions

from .models import Answer, AnswerCount, AnswerCountState, Choice, Question, Response

#: Queries of a :func:`rebuild` at most: the state row (locked, created if missing: 3), the
#: ``DELETE``, the two ``INSERT``, the ``UPDATE`` of the state, a savepoint and its release.
REBUILD_QUERIES = 9

#: The unique group of a count (``answer_count_unique_group``), survey first.
_GROUP_COLUMNS = (
    "survey_id, question_id, role, promotion_key, kind, choice_key, boolean_key, has_number, number, "
    "has_text, has_choices"
)

#: One row per combination of an answer's grouping values (kind ``answer``); ``{where}``
#: filters the responses (alias ``r``), ``{where_t}`` the same for the multiple-choice lookup.
_ANSWER_ROWS = """
INSERT INTO {counts} ({columns}, n)
SELECT r.survey_id, a.question_id, r.role, COALESCE(r.promotion_id, 0), 'answer',
       COALESCE(a.choice_id, 0),
       CASE WHEN a.boolean IS NULL THEN 0 WHEN a.boolean THEN 2 ELSE 1 END,
       a.number IS NOT NULL, COALESCE(a.number, 0),
       COALESCE(a.text, '') <> '',
       ticked.answer_id IS NOT NULL,
       COUNT(*)
FROM {answers} a
JOIN {responses} r ON r.id = a.response_id
LEFT JOIN (SELECT DISTINCT t.answer_id FROM {through} t
           JOIN {answers} ta ON ta.id = t.answer_id
           JOIN {responses} tr ON tr.id = ta.response_id
           WHERE {where_t}) ticked ON ticked.answer_id = a.id
WHERE {where} AND r.status = 'submitted'
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
ON CONFLICT ({columns}) DO UPDATE SET n = {counts}.n + excluded.n
"""

#: One row per choice ticked in multiple-choice answers (kind ``choice``).
_CHOICE_ROWS = """
INSERT INTO {counts} ({columns}, n)
SELECT r.survey_id, a.question_id, r.role, COALESCE(r.promotion_id, 0), 'choice',
       t.choice_id, 0, false, 0, false, false, COUNT(*)
FROM {through} t
JOIN {answers} a ON a.id = t.answer_id
JOIN {responses} r ON r.id = a.response_id
WHERE {where} AND r.status = 'submitted'
GROUP BY 1, 2, 3, 4, 5, 6
ON CONFLICT ({columns}) DO UPDATE SET n = {counts}.n + excluded.n
"""


def _insert_counts(column: str, value: int) -> None:
    """Add the counts of the submitted responses whose ``column`` (``survey_id`` or ``id``)
    equals ``value`` to the stored ones; two statements."""
    names = {
        "counts": AnswerCount._meta.db_table,
        "answers": Answer._meta.db_table,
        "responses": Response._meta.db_table,
        "through": Answer.choices.through._meta.db_table,
        "columns": _GROUP_COLUMNS,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            _ANSWER_ROWS.format(**names, where=f"r.{column} = %s", where_t=f"tr.{column} = %s"),
            [value, value],
        )
        cursor.execute(_CHOICE_ROWS.format(**names, where=f"r.{column} = %s"), [value])


def _locked_state(survey_id: int) -> AnswerCountState:
    """The survey's state row, locked until the end of the transaction (created if missing)."""
    state = AnswerCountState.objects.select_for_update().filter(survey_id=survey_id).first()
    if state is None:
        AnswerCountState.objects.bulk_create(
            [AnswerCountState(survey_id=survey_id)], ignore_conflicts=True
        )
        state = AnswerCountState.objects.select_for_update().get(survey_id=survey_id)
    return state


def add_response(response: Response) -> None:
    """Add the counts of ``response``, just submitted, in the caller's transaction.

    Nothing is done when the survey's counts are stale: the next rebuild counts it.
    Three to five queries (the state row, locked; two upserts of a few rows each).
    """
    with transaction.atomic():
        if _locked_state(response.survey_id).is_current:
            _insert_counts("id", response.pk)


def rebuild(survey_id: int, *, force: bool = False) -> bool:
    """Count every submitted answer of survey ``survey_id`` again; True if it did.

    Skipped when the counts are current (another reader rebuilt them first), unless
    ``force`` (after an import). A ``DELETE`` and two ``INSERT … SELECT … GROUP BY``: about
    as long as grouping the answers once (seconds at 100,000 responses).
    """
    with transaction.atomic():
        state = _locked_state(survey_id)
        if state.is_current and not force:
            return False
        AnswerCount.objects.filter(survey_id=survey_id).delete()
        _insert_counts("survey_id", survey_id)
        AnswerCountState.objects.filter(pk=state.pk).update(
            is_current=True, built_at=timezone.now()
        )
    return True


def ensure_current(survey_id: int) -> None:
    """Make the stored counts of survey ``survey_id`` current before reading them.

    One query when they are (the usual case); a :func:`rebuild` otherwise.
    """
    if not AnswerCountState.objects.filter(survey_id=survey_id, is_current=True).exists():
        rebuild(survey_id)


def invalidate(survey_ids) -> int:
    """Mark the counts of ``survey_ids`` (ids or a subquery of ids) stale; one ``UPDATE``;
    returns how many surveys' counts it marked (0 for surveys never read).

    Every matching state row is written, even one already stale: the row stays locked until
    the writer commits, so a rebuild running at the same time either waits for the writer and
    counts its change, or commits first and is marked stale again by this ``UPDATE``. Skipping
    the rows already stale let a rebuild in progress, which cannot see the writer's uncommitted
    change, mark counts without it current.
    """
    return AnswerCountState.objects.filter(survey_id__in=survey_ids).update(is_current=False)


def _invalidate_submitted(response_ids) -> None:
    """Mark stale the counts of the surveys of the submitted ``response_ids`` (ids or a
    subquery), and move the results' data version (``surveys``) as answers are not watched
    by ``common.data_versions``: the figures it stores (pinned results) are computed again.

    The responses' rows are locked, as a submission locks its own: an answer changed while
    its response is being submitted waits for the submission (then marks the counts stale),
    or the submission waits for it (then counts it). Then the version moves, as the signals
    of watched models do, then the counts' state row: one order for every writer."""
    with transaction.atomic():
        # No ORDER BY: the model's order joins the survey, whose row would be locked too.
        rows = Response.objects.select_for_update().filter(pk__in=response_ids).order_by()
        survey_ids = {
            survey_id
            for status, survey_id in rows.values_list("status", "survey_id")
            if status == Response.Status.SUBMITTED
        }
        if survey_ids:
            data_versions.bump("surveys")
            invalidate(survey_ids)


def _on_response_pre_save(sender, instance, raw=False, **kwargs) -> None:
    """Remember the stored survey of a response about to be saved again (no query for a new
    one): a response moved to another survey must leave the former's counts."""
    instance._stored_survey_id = None
    if raw or not instance._state.adding:
        instance._stored_survey_id = (
            Response.objects.filter(pk=instance.pk).values_list("survey_id", flat=True).first()
        )


def _on_response_save(sender, instance, created=False, **kwargs) -> None:
    """A response saved submitted, or saved again whatever its status (it may have been
    submitted until now: reopened), makes its counts stale, former survey included.

    Saving an existing response is no path of the portal (its services write responses with
    ``UPDATE``s and :func:`add_response`): this costs the answering pages nothing."""
    if created and instance.status != Response.Status.SUBMITTED:
        return
    survey_ids = {instance.survey_id, getattr(instance, "_stored_survey_id", None)}
    survey_ids.discard(None)
    invalidate(survey_ids)


def _on_response_delete(sender, instance, **kwargs) -> None:
    """A response deleted makes its counts stale whatever the status of the instance: the
    object deleted may be older than the row (an unsent response submitted since it was read
    counts until its deletion)."""
    invalidate([instance.survey_id])


def _on_answer_save(sender, instance, raw=False, **kwargs) -> None:
    _invalidate_submitted([instance.response_id])


def _on_choices_change(sender, instance, action, pk_set=None, reverse=False, **kwargs) -> None:
    """Ticked choices changed: from an answer (``answer.choices``) or from a choice
    (``choice.multiple_answers``; cleared: its answers are read before they go)."""
    if reverse and action in ("pre_clear", "post_add", "post_remove"):
        answers = Answer.objects.filter(
            **({"choices": instance} if action == "pre_clear" else {"pk__in": pk_set or []})
        )
        _invalidate_submitted(answers.values("response_id"))
    elif not reverse and action in ("post_add", "post_remove", "post_clear"):
        _invalidate_submitted([instance.response_id])


def _on_choice_delete(sender, instance, **kwargs) -> None:
    invalidate(Question.objects.filter(pk=instance.question_id).values("survey_id"))


def connect_signals() -> None:
    """Mark counts stale on the changes that :func:`add_response` and imports do not follow.

    Not on ``Answer`` deletion: answers are deleted with their response (its signal covers
    them), with their question (its counts go with it) or in unsent responses (not counted);
    listening would make Django read every answer before deleting a survey.
    """
    uid = "answer_counts"
    pre_save.connect(_on_response_pre_save, sender=Response, dispatch_uid=f"{uid}_response_pre")
    post_save.connect(_on_response_save, sender=Response, dispatch_uid=f"{uid}_response_save")
    post_delete.connect(_on_response_delete, sender=Response, dispatch_uid=f"{uid}_response_del")
    post_save.connect(_on_answer_save, sender=Answer, dispatch_uid=f"{uid}_answer_save")
    m2m_changed.connect(
        _on_choices_change, sender=Answer.choices.through, dispatch_uid=f"{uid}_choices"
    )
    post_delete.connect(_on_choice_delete, sender=Choice, dispatch_uid=f"{uid}_choice_del")
