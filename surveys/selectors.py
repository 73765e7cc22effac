"""Reads of the answering pages: a questionnaire's definition, kept in memory between requests.

Every answering page needs the survey's sections, questions and choices — 3 queries and a few
hundred model instances for a 40-question questionnaire, the largest cost of a section save.
The definition changes rarely (admin, definition import, duplication) while people answer, so
each process keeps it in memory under a key read with the invitation at no extra cost: the
survey's id and ``updated_at``. Every change of a section, question or choice moves
``updated_at`` in the same transaction (``services.on_definition_saved_or_deleted`` on saves
and deletes, ``services.survey_definition_changed`` after writes in bulk), so the next request
after the commit, in any process, reads the new key and loads the new definition.

The cached objects are shared by the requests of a process (and its threads): read them, never
change them or read a relation they did not load (``question.survey``…).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from .models import Question, Section, Survey

#: Definitions kept per process (least recently used dropped first).
CACHED_DEFINITIONS = 32

_cache: OrderedDict = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class SurveyDefinition:
    """One survey's sections and questions as the answering pages read them.

    ``sections``: in order; ``questions``: in order (section order, then question order), each
    with its ``section`` and prefetched ``choices``; ``by_pk`` / ``by_code``: question id / code
    → question; ``choice_codes``: choice id → ``(question id, code)``.
    """

    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    by_pk: dict = field(repr=False)
    by_code: dict = field(repr=False)
    choice_codes: dict = field(repr=False)


def _load(survey: Survey) -> SurveyDefinition:
    """The definition read from the database: 3 queries (sections, questions, choices)."""
    sections = tuple(Section.objects.filter(survey=survey).order_by("order", "pk"))
    by_section = {s.pk: s for s in sections}
    questions = tuple(
        Question.objects.filter(survey=survey)
        .prefetch_related("choices")
        .order_by("section__order", "section__pk", "order", "pk")
    )
    for question in questions:
        question.section = by_section[question.section_id]  # one object per section
    return SurveyDefinition(
        sections=sections,
        questions=questions,
        by_pk={q.pk: q for q in questions},
        by_code={q.code: q for q in questions},
        choice_codes={c.pk: (q.pk, c.code) for q in questions for c in q.choices.all()},
    )


def survey_definition(survey: Survey) -> SurveyDefinition:
    """``survey``'s definition: no query when this process already read it at this
    ``survey.updated_at``, else 3 (see the module docstring for freshness)."""
    key = (survey.pk, survey.updated_at)
    with _lock:
        definition = _cache.get(key)
        if definition is not None:
            _cache.move_to_end(key)
            return definition
    definition = _load(survey)
    with _lock:
        _cache[key] = definition
        _cache.move_to_end(key)
        while len(_cache) > CACHED_DEFINITIONS:
            _cache.popitem(last=False)
    return definition


def forget_definitions() -> None:
    """Empty this process's cache (tests)."""
    with _lock:
        _cache.clear()
