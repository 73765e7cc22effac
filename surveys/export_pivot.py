"""The CSV export's rows pivoted by PostgreSQL: one row per response, one column per question.

On PostgreSQL the CSV export (``surveys.exports.csv_lines``) reads this query through a
server-side cursor inside a transaction (no ``WITH HOLD`` copy of the result): each response's
answers are folded into its row by the database (a ``LATERAL`` aggregate per response, read in
response order), so the first row leaves at once and the whole export costs about what a
``COPY`` of the same query costs; Python only cleans the free-text cells.

Cells as text, as the export writes them: single choice → its code; multiple → codes joined by
``|`` in the choices' order; yes/no → ``yes``/``no``; scale and number → the number without
trailing zeros (``12.5``, ``4``); text → the text (``NULL`` when empty or unanswered).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

from django.db import connection, transaction

from .models import Answer, Choice, Question, Response, Survey

#: Rows per fetch: small enough that the first rows leave quickly (the first fetch waits for
#: them all), large enough that round trips stay a small share of the export.
CURSOR_ROWS = 500


def pivot_sql(survey: Survey, questions: list[Question]) -> tuple[str, list]:
    """``(sql, params)`` of the pivot of ``survey``'s submitted responses over ``questions``.

    Columns: ``public_id``, ``respondent``, ``email`` (of the invitation), ``submitted_at``,
    ``role``, ``promotion`` (code), ``source``, then one per question in ``questions``' order.
    Rows ordered by ``public_id`` for an anonymous questionnaire, else by creation (``id``).
    """
    r_t, a_t, c_t, q_t = (m._meta.db_table for m in (Response, Answer, Choice, Question))
    through = Answer.choices.through._meta.db_table
    columns = ", ".join(
        f"max(y.v) FILTER (WHERE y.question_id = %s) AS q{i}" for i in range(len(questions))
    )
    sql = f"""
        SELECT r.public_id, r.respondent, i.email, r.submitted_at, r.role, p.code, r.source,
               x.*
        FROM {r_t} r
        LEFT JOIN promotions_promotion p ON p.id = r.promotion_id
        LEFT JOIN surveys_invitation i ON i.id = r.invitation_id
        CROSS JOIN LATERAL (
            SELECT {columns}
            FROM (
                SELECT a.question_id,
                       CASE q.type
                         WHEN 'single' THEN c.code
                         WHEN 'multiple' THEN (
                            SELECT string_agg(mc.code, '|' ORDER BY mc."order", mc.id)
                            FROM {through} t JOIN {c_t} mc ON mc.id = t.choice_id
                            WHERE t.answer_id = a.id)
                         WHEN 'yesno' THEN
                            CASE a.boolean WHEN true THEN 'yes' WHEN false THEN 'no' END
                         WHEN 'scale' THEN trim_scale(a.number)::text
                         WHEN 'number' THEN trim_scale(a.number)::text
                         ELSE nullif(a.text, '')
                       END AS v
                FROM {a_t} a
                JOIN {q_t} q ON q.id = a.question_id
                LEFT JOIN {c_t} c ON c.id = a.choice_id
                WHERE a.response_id = r.id
            ) y
        ) x
        WHERE r.survey_id = %s AND r.status = %s
        ORDER BY {"r.public_id" if survey.is_anonymous else "r.id"}"""
    return sql, [q.pk for q in questions] + [survey.pk, Response.Status.SUBMITTED]


def pivot_rows(survey: Survey, questions: list[Question]) -> Iterator[tuple]:
    """The rows of :func:`pivot_sql`, streamed by a server-side cursor in a transaction.

    PostgreSQL only. The transaction (read-only work) lasts while the caller iterates. The next
    batches are fetched ahead by a thread (:func:`_read_ahead`), so the database computes them
    while the caller writes the current one: the export costs about the longer of the two
    instead of their sum.
    """
    sql, params = pivot_sql(survey, questions)
    with transaction.atomic():
        with connection.connection.cursor(name=f"survey_export_{survey.pk}") as cursor:
            cursor.execute(sql, params)
            for batch in _read_ahead(lambda: cursor.fetchmany(CURSOR_ROWS)):
                yield from batch


#: Batches fetched ahead of the one being written (bounds the memory: 3 × ``CURSOR_ROWS`` rows).
AHEAD = 2
_DONE = object()


def _read_ahead(fetch) -> Iterator[list]:
    """The batches ``fetch()`` returns until an empty one, fetched by a thread up to ``AHEAD``
    batches ahead of the caller.

    Only that thread uses the cursor while the caller iterates; when the caller stops early
    (the download is cancelled) or the fetch fails, the thread is stopped and joined before
    this returns, so the cursor and its transaction are closed by the caller's thread alone.
    An error of ``fetch`` is raised again here.
    """
    batches: queue.Queue = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                batches.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            while not stop.is_set():
                batch = fetch()
                if not batch or not put(batch):
                    break
        except BaseException as exc:  # handed to the caller's thread
            put(exc)
        put(_DONE)

    thread = threading.Thread(target=work, name="export-read-ahead", daemon=True)
    thread.start()
    try:
        while (item := batches.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()
