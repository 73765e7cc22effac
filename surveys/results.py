"""Results and follow-up of questionnaires, computed by the database (the read side of surveys).

Every figure is added up from the stored answer counts (``AnswerCount``, kept current by
:mod:`surveys.answer_counts`): the submitted answers grouped by question, role, promotion and
value. The number of rows read back is bounded by questions × values × roles × promotions,
never by the number of responses, and a full result set costs a fixed number of queries (see
``RESULT_QUERIES``). Results page at 100,000 responses of a 40-question questionnaire on
PostgreSQL (``scripts/bench_all.py``): a few dozen milliseconds, against about 2 s when every
view grouped the 3.8 million answers again.

Python only adds up those grouped rows into « overall », « by role » and « by promotion »
(each response has one role and one promotion, so those groups partition the responses and
their counts add up).

Populations and counting rules:

* only **submitted** responses count (``Response.status = submitted``), whether they came from
  the portal or from an import;
* a question's ``n`` is the number of respondents **who answered it** (an ``Answer`` with a
  value: a choice, at least one choice for a multiple choice, a number, yes/no, or non-empty
  text); percentages are shares of that ``n``;
* rounding: see :mod:`eig_portal.common.shares` — single choice, yes/no and scale distributions use the
  largest-remainder method (they add up to 100), multiple choice shares are rounded alone and
  may add up to more than 100 (« plusieurs réponses possibles »);
* an empty population gives ``None`` percentages, shown « — ».

Anonymity: these selectors read only ``Response`` (role, promotion, status) and ``Answer``
columns, never ``Response.invitation``, ``respondent`` nor the person, so anonymous surveys are
covered by construction; free-text answers are listed without any identifier.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils.translation import gettext

from eig_portal.common.shares import largest_remainder_percentages, percent, share
from promotions.models import Promotion

from . import answer_counts
from .models import Answer, AnswerCount, Invitation, Question, Response, Role, Survey

#: Queries of ``survey_results`` at most when the stored counts are current: questions,
#: choices, survey promotions, promotion labels, respondents, the counts' state, the counts,
#: text samples. Tests assert it does not grow with the data. A read finding the counts stale
#: rebuilds them first (``answer_counts.REBUILD_QUERIES`` more).
RESULT_QUERIES = 8
#: Free-text answers shown per question on the results page (the rest on a paginated page).
TEXT_SAMPLE_SIZE = 5

ALL = ("all", None)
YES, NO = "yes", "no"

Key = tuple[str, Any]  # ("all", None) | ("role", "fellow") | ("promotion", promotion_id)


# --------------------------------------------------------------------------- populations


def submitted_responses(
    *, survey: Survey, role: str | None = None, promotion_id: int | None = None
) -> QuerySet[Response]:
    """Submitted responses of ``survey``, optionally of one role and/or one promotion."""
    qs = Response.objects.filter(survey=survey, status=Response.Status.SUBMITTED)
    if role:
        qs = qs.filter(role=role)
    if promotion_id:
        qs = qs.filter(promotion_id=promotion_id)
    return qs


def _answers(*, survey: Survey, role: str | None, promotion_id: int | None) -> QuerySet[Answer]:
    qs = Answer.objects.filter(response__survey=survey, response__status=Response.Status.SUBMITTED)
    if role:
        qs = qs.filter(response__role=role)
    if promotion_id:
        qs = qs.filter(response__promotion_id=promotion_id)
    return qs


def answered_q() -> Q:
    """The condition « this answer holds a value » (see the module docstring)."""
    through = Answer.choices.through
    return (
        Q(choice__isnull=False)
        | Q(number__isnull=False)
        | Q(boolean__isnull=False)
        | (Q(text__isnull=False) & ~Q(text=""))
        | Q(Exists(through.objects.filter(answer_id=OuterRef("pk"))))
    )


def _keys(role: str, promotion_id: int | None) -> tuple[Key, ...]:
    """The groups a (role, promotion) cell counts in."""
    return (ALL, ("role", role), ("promotion", promotion_id))


# --------------------------------------------------------------------------- follow-up


@dataclass
class RateRow:
    """Follow-up counts of one group; ``rate`` is submitted / invited in % (None if nobody)."""

    label: str
    invited: int = 0
    opened: int = 0
    in_progress: int = 0
    submitted: int = 0
    imported: int = 0

    @property
    def rate(self) -> int | None:
        """Submitted (via invitation) / invited, whole percentage half up; None if 0 invited."""
        return percent(self.submitted, self.invited)

    @property
    def opened_rate(self) -> int | None:
        """Opened / invited as a whole percentage, half up; None if nobody was invited."""
        return percent(self.opened, self.invited)


@dataclass
class ResponseRates:
    """Follow-up of a questionnaire: overall, per role, per promotion, per role × promotion."""

    overall: RateRow
    by_role: list[RateRow]
    by_promotion: list[RateRow]
    cells: list[RateRow]


def response_rates(*, survey: Survey) -> ResponseRates:
    """Invited / opened / in progress / submitted counts of ``survey`` by role and promotion.

    Invitations that were invalidated are not counted unless a response came from them.
    « opened » counts invitations whose link was visited at least once; « in progress » and
    « submitted » the state of the response of the invitation. Imported responses (no
    invitation) are counted apart in ``imported``. Four queries whatever the size.
    """
    inv = (
        Invitation.objects.filter(survey=survey)
        .filter(Q(invalidated_at__isnull=True) | Q(response__isnull=False))
        .values("role", "promotion_id")
        .annotate(
            invited=Count("id"),
            opened=Count("id", filter=Q(opened_at__isnull=False) | Q(response__isnull=False)),
            in_progress=Count("id", filter=Q(response__status=Response.Status.IN_PROGRESS)),
            submitted=Count("id", filter=Q(response__status=Response.Status.SUBMITTED)),
        )
        .order_by()
    )
    imported = (
        Response.objects.filter(
            survey=survey, source=Response.Source.IMPORT, status=Response.Status.SUBMITTED
        )
        .values("role", "promotion_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows: dict[tuple[str, int | None], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in inv:
        cell = rows[(row["role"], row["promotion_id"])]
        for name in ("invited", "opened", "in_progress", "submitted"):
            cell[name] += row[name]
    for row in imported:
        rows[(row["role"], row["promotion_id"])]["imported"] += row["n"]

    promotions = _promotion_labels({p for _r, p in rows} | set(_survey_promotion_ids(survey)))
    role_labels = dict(Role.choices)

    def total(label, predicate) -> RateRow:
        result = RateRow(label=label)
        for (role, promo), cell in rows.items():
            if predicate(role, promo):
                for name, value in cell.items():
                    setattr(result, name, getattr(result, name) + value)
        return result

    by_role = [total(role_labels[r], lambda role, _p, r=r: role == r) for r in _roles(survey, rows)]
    by_promotion = [
        total(label, lambda _r, promo, pk=pk: promo == pk) for pk, label in promotions.items()
    ]
    cells = [
        total(
            f"{role_labels[r]} — {label}", lambda role, promo, r=r, pk=pk: (role, promo) == (r, pk)
        )
        for r in _roles(survey, rows)
        for pk, label in promotions.items()
    ]
    return ResponseRates(
        overall=total(gettext("Ensemble"), lambda _r, _p: True),
        by_role=by_role,
        by_promotion=by_promotion,
        cells=cells,
    )


def _survey_promotion_ids(survey: Survey) -> list[int]:
    return list(survey.promotions.values_list("pk", flat=True))


def _roles(survey: Survey, rows: Iterable[tuple[str, Any]]) -> list[str]:
    present = {r for r, _p in rows} | set(survey.roles)
    return [r for r in (Role.FELLOW, Role.MENTOR) if r in present]


def _promotion_labels(ids: Iterable[int | None]) -> dict[int | None, str]:
    """``{promotion id: code}`` in chronological order; ``None`` → « Sans promotion »."""
    ids = set(ids)
    labels = {
        p.pk: p.code
        for p in Promotion.objects.filter(pk__in=[i for i in ids if i is not None]).order_by(
            "rank", "year", "code"
        )
    }
    if None in ids:
        labels[None] = gettext("Sans promotion")
    return labels


# --------------------------------------------------------------------------- results


@dataclass
class ChoiceStat:
    """One choice (or yes/no, or scale value) of a question within one group."""

    code: str
    label: str
    count: int
    percent: int | None  # whole percentage (rounding rule of eig_portal.common.shares)
    share: float | None  # count / n, 0–1, 4 places


@dataclass
class GroupStat:
    """The result of one question within one group of respondents."""

    key: Key
    label: str
    n: int  # respondents of the group who answered the question
    choices: list[ChoiceStat] = field(default_factory=list)
    mean: float | None = None
    minimum: float | None = None
    maximum: float | None = None

    @property
    def is_empty(self) -> bool:
        """True when nobody in the group answered the question (``n == 0``)."""
        return self.n == 0


@dataclass
class QuestionResult:
    """A question with its result overall and per group (``groups[0]`` is overall)."""

    question: Question
    groups: list[GroupStat]
    text_sample: list[str] = field(default_factory=list)

    @property
    def overall(self) -> GroupStat:
        """The overall group (``groups[0]``)."""
        return self.groups[0]

    @property
    def by_role(self) -> list[GroupStat]:
        """The per-role groups, in ``groups`` order."""
        return [g for g in self.groups if g.key[0] == "role"]

    @property
    def by_promotion(self) -> list[GroupStat]:
        """The per-promotion groups, in ``groups`` order."""
        return [g for g in self.groups if g.key[0] == "promotion"]

    @property
    def is_multiple(self) -> bool:
        """True for a multiple-choice question (shares may add up to more than 100)."""
        return self.question.type == Question.Type.MULTIPLE

    @property
    def is_text(self) -> bool:
        """True for a short or long free-text question."""
        return self.question.type in (Question.Type.SHORT_TEXT, Question.Type.LONG_TEXT)

    @property
    def has_distribution(self) -> bool:
        """True when the overall group has choice rows (choice, yes/no, scale)."""
        return bool(self.overall.choices)


@dataclass
class SurveyResults:
    """All results of a questionnaire for one filter (role and/or promotion)."""

    survey: Survey
    role: str | None
    promotion_id: int | None
    respondents: list[tuple[Key, str, int]]  # (key, label, submitted responses), overall first
    questions: list[QuestionResult]

    @property
    def n_respondents(self) -> int:
        """Submitted responses in the filtered population (the overall count)."""
        return self.respondents[0][2]

    def question(self, code: str) -> QuestionResult:
        """The result of the question ``code`` (KeyError if the survey has none)."""
        for result in self.questions:
            if result.question.code == code:
                return result
        raise KeyError(code)


Counts = dict[tuple[int, Any], dict[Key, int]]


def _counts() -> Counts:
    return defaultdict(lambda: defaultdict(int))


@dataclass
class AnswerTally:
    """Answer counts keyed ``(question id, value)`` then group key, read from ``AnswerCount``.

    ``answered`` uses the value ``None``; ``single`` a choice id; ``yesno`` a boolean; ``scale``
    a Decimal value; ``multiple`` a choice id. ``numbers[qid][key]`` holds ``n``, ``total``
    (Decimal sum), ``lo`` and ``hi`` of the number answers.
    """

    answered: Counts = field(default_factory=_counts)
    single: Counts = field(default_factory=_counts)
    yesno: Counts = field(default_factory=_counts)
    scale: Counts = field(default_factory=_counts)
    multiple: Counts = field(default_factory=_counts)
    numbers: dict[int, dict[Key, dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(
            lambda: defaultdict(lambda: {"n": 0, "total": Decimal(0), "lo": None, "hi": None})
        )
    )
    text_sample: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))

    def count(self, counts: Counts, qid: int, value: Any, key: Key) -> int:
        """``counts[(qid, value)][key]`` without creating the entry (0 when absent)."""
        return counts.get((qid, value), {}).get(key, 0)


@dataclass(frozen=True)
class _CountRow:
    """One ``AnswerCount`` row, its « none » keys turned back into ``None``."""

    qid: int
    keys: tuple[Key, ...]
    kind: str
    choice_id: int | None
    boolean: bool | None
    number: Decimal | None
    has_text: bool
    has_choices: bool
    n: int

    @classmethod
    def of(cls, values: tuple) -> _CountRow:
        """From ``(question, role, promotion_key, kind, choice_key, boolean_key, has_number,
        number, has_text, has_choices, n)`` as selected by :func:`_tally_answers`."""
        qid, role, promo, kind, choice, boolean, has_number, number, has_text, has_choices, n = (
            values
        )
        return cls(
            qid=qid,
            keys=_keys(role, promo or None),
            kind=kind,
            choice_id=choice or None,
            boolean=None if boolean == 0 else boolean == 2,
            number=number if has_number else None,
            has_text=has_text,
            has_choices=has_choices,
            n=n,
        )

    @property
    def holds_value(self) -> bool:
        """A choice, a number, a yes/no or non-empty text (multiple choices apart)."""
        return bool(
            self.choice_id or self.boolean is not None or self.number is not None or self.has_text
        )


_VALUED_TYPES = (Question.Type.SINGLE, Question.Type.YESNO, Question.Type.SCALE)


def _tally_answers(
    *, survey: Survey, role: str | None, promotion_id: int | None, questions: list[Question]
) -> AnswerTally:
    """The stored answer counts of ``questions`` (``surveys.answer_counts``), added up.

    Counting rules (the module docstring): single choice, yes/no and scale count an answer
    holding a choice, a yes/no or a number; numbers an answer holding a number (count, sum,
    min, max); multiple choice and text an answer holding any value or ticked choices. One
    query (plus the counts' rebuild when they were stale); rows are bounded by questions ×
    values × roles × promotions.
    """
    answer_counts.ensure_current(survey.pk)
    rows = AnswerCount.objects.filter(survey=survey, question_id__in=[q.pk for q in questions])
    if role:
        rows = rows.filter(role=role)
    if promotion_id:
        rows = rows.filter(promotion_key=promotion_id)
    types = {q.pk: q.type for q in questions}
    tally = AnswerTally()
    for values in rows.values_list(
        "question_id", "role", "promotion_key", "kind", "choice_key", "boolean_key",
        "has_number", "number", "has_text", "has_choices", "n",
    ).order_by():  # fmt: skip
        row = _CountRow.of(values)
        if row.kind == AnswerCount.Kind.CHOICE:
            for key in row.keys:
                tally.multiple[(row.qid, row.choice_id)][key] += row.n
        elif types[row.qid] in _VALUED_TYPES:
            _tally_valued_row(tally, row)
        elif types[row.qid] == Question.Type.NUMBER:
            _tally_number_row(tally, row)
        elif row.holds_value or row.has_choices:  # multiple choice and text
            for key in row.keys:
                tally.answered[(row.qid, None)][key] += row.n
    return tally


def _tally_valued_row(tally: AnswerTally, row: _CountRow) -> None:
    """Single choice, yes/no, scale: answered = holds a choice, a yes/no or a number."""
    valued = row.choice_id or row.boolean is not None or row.number is not None
    for key in row.keys:
        if valued:
            tally.answered[(row.qid, None)][key] += row.n
        if row.choice_id is not None:
            tally.single[(row.qid, row.choice_id)][key] += row.n
        if row.boolean is not None:
            tally.yesno[(row.qid, row.boolean)][key] += row.n
        if row.number is not None:
            tally.scale[(row.qid, row.number)][key] += row.n


def _tally_number_row(tally: AnswerTally, row: _CountRow) -> None:
    """Number questions: answered = holds a number; count, sum, min and max per group."""
    if row.number is None:
        return
    for key in row.keys:
        tally.answered[(row.qid, None)][key] += row.n
        acc = tally.numbers[row.qid][key]
        acc["n"] += row.n
        acc["total"] += row.number * row.n
        acc["lo"] = row.number if acc["lo"] is None else min(acc["lo"], row.number)
        acc["hi"] = row.number if acc["hi"] is None else max(acc["hi"], row.number)


def _result_questions(
    *, survey: Survey, answers: QuerySet[Answer], questions: Iterable[Question] | None
) -> tuple[list[Question], QuerySet[Answer]]:
    """The questions reported (all of ``survey`` in display order by default) and their answers."""
    if questions is None:
        questions = (
            Question.objects.filter(survey=survey)
            .select_related("section")
            .prefetch_related("choices")
            .order_by("section__order", "section_id", "order", "pk")
        )
    else:
        questions = list(questions)
        answers = answers.filter(question_id__in=[q.pk for q in questions])
    return list(questions), answers


def _result_groups(
    *, survey: Survey, role: str | None, promotion_id: int | None
) -> tuple[list[tuple[Key, str]], dict[Key, int]]:
    """The groups reported — overall, each role, each promotion — and their respondents.

    Returns ``([(key, label), …], {key: submitted responses})``; two or three queries.
    """
    respondent_rows = list(
        submitted_responses(survey=survey, role=role, promotion_id=promotion_id)
        .values("role", "promotion_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    if promotion_id:
        # Always the filtered promotion's group, even with no response and not attached to the
        # survey (it vanished, and the API said « promotion: null » for a filter it applied).
        promotions = _promotion_labels({promotion_id})
    else:
        promotions = _promotion_labels(
            {r["promotion_id"] for r in respondent_rows} | set(_survey_promotion_ids(survey))
        )
    roles = [role] if role else _roles(survey, [(r["role"], None) for r in respondent_rows])
    role_labels = dict(Role.choices)
    group_keys: list[tuple[Key, str]] = [(ALL, gettext("Ensemble"))]
    group_keys += [(("role", r), str(role_labels[r])) for r in roles]
    group_keys += [(("promotion", pk), label) for pk, label in promotions.items()]
    respondents: dict[Key, int] = defaultdict(int)
    for row in respondent_rows:
        for key in _keys(row["role"], row["promotion_id"]):
            respondents[key] += row["n"]
    return group_keys, respondents


def _group_stat(question: Question, key: Key, label: str, tally: AnswerTally) -> GroupStat:
    """The result of ``question`` within one group, from the tally (no query)."""
    q, kind = question, Question.Type
    stat = GroupStat(key=key, label=label, n=tally.count(tally.answered, q.pk, None, key))
    if q.type in (kind.SINGLE, kind.MULTIPLE):
        source = tally.single if q.type == kind.SINGLE else tally.multiple
        options = [(c.code, c.label, c.pk) for c in q.choices.all()]
        counts = [tally.count(source, q.pk, pk, key) for _c, _l, pk in options]
        stat.choices = _choice_stats(options, counts, stat.n, single=q.type == kind.SINGLE)
    elif q.type == kind.YESNO:
        options = [(YES, gettext("Oui"), True), (NO, gettext("Non"), False)]
        counts = [tally.count(tally.yesno, q.pk, v, key) for _c, _l, v in options]
        stat.choices = _choice_stats(options, counts, stat.n, single=True)
    elif q.type == kind.SCALE:
        options = _scale_options(q, tally.scale)
        counts = [tally.count(tally.scale, q.pk, v, key) for _c, _l, v in options]
        stat.choices = _choice_stats(options, counts, stat.n, single=True)
        total = sum(Decimal(v) * c for (_c, _l, v), c in zip(options, counts, strict=True))
        count = sum(counts)
        stat.mean = round(float(total / count), 2) if count else None
    elif q.type == kind.NUMBER:
        acc = tally.numbers[q.pk].get(key)
        if acc and acc["n"]:
            stat.mean = round(float(acc["total"] / acc["n"]), 2)
            stat.minimum = float(acc["lo"])
            stat.maximum = float(acc["hi"])
    return stat


def survey_results(
    *,
    survey: Survey,
    role: str | None = None,
    promotion_id: int | None = None,
    questions: Iterable[Question] | None = None,
    text_sample_size: int = TEXT_SAMPLE_SIZE,
) -> SurveyResults:
    """Results of every question of ``survey`` (or of ``questions``), overall and by group.

    ``role`` (``fellow``/``mentor``) and ``promotion_id`` restrict the population (the page's
    filters); groups are then « overall » followed by each role and each promotion of the
    survey (a group with nobody has ``n = 0`` and ``None`` percentages). A fixed number of
    queries (``RESULT_QUERIES``) whatever the number of responses.

    Steps: pick the questions and groups, add up the stored answer counts
    (:func:`_tally_answers`), read a sample of free texts, then assemble one
    :class:`GroupStat` per question and group without any further query.
    """
    answers = _answers(survey=survey, role=role, promotion_id=promotion_id)
    questions, answers = _result_questions(survey=survey, answers=answers, questions=questions)
    group_keys, respondents = _result_groups(survey=survey, role=role, promotion_id=promotion_id)
    tally = _tally_answers(survey=survey, role=role, promotion_id=promotion_id, questions=questions)
    tally.text_sample = _text_samples(
        answers=answers,
        text_ids=[
            q.pk for q in questions if q.type in (Question.Type.SHORT_TEXT, Question.Type.LONG_TEXT)
        ],
        size=text_sample_size,
    )
    results = [
        QuestionResult(
            question=q,
            groups=[_group_stat(q, key, label, tally) for key, label in group_keys],
            text_sample=tally.text_sample[q.pk],
        )
        for q in questions
    ]
    return SurveyResults(
        survey=survey,
        role=role,
        promotion_id=promotion_id,
        respondents=[(key, label, respondents.get(key, 0)) for key, label in group_keys],
        questions=results,
    )


def _text_samples(*, answers: QuerySet[Answer], text_ids: list[int], size: int):
    """``{question id: [text, …]}``: the first ``size`` non-empty texts of each question.

    « First » = smallest answer ids; each list is then ordered like ``Answer.Meta.ordering``
    (by response). PostgreSQL: one ``UNION ALL`` of per-question ``ORDER BY id LIMIT size``
    (each reads a few index entries); elsewhere one ``ROW_NUMBER()`` window query.
    """
    samples: dict[int, list[str]] = defaultdict(list)
    if not text_ids or not size:
        return samples
    texts = answers.exclude(text="")
    fields = ("question_id", "text", "response__started_at", "response_id")
    if connection.features.supports_slicing_ordering_in_compound:
        parts = [
            texts.filter(question_id=qid).order_by("id").values_list(*fields)[:size]
            for qid in text_ids
        ]
        rows = list(parts[0].union(*parts[1:], all=True)) if len(parts) > 1 else list(parts[0])
    else:
        rows = list(
            texts.filter(question_id__in=text_ids)
            .annotate(
                rank=Window(RowNumber(), partition_by=[F("question_id")], order_by=F("id").asc())
            )
            .filter(rank__lte=size)
            .values_list(*fields)
        )
    for qid, text, _started_at, _response_id in sorted(rows, key=lambda r: (r[2], r[3])):
        samples[qid].append(text)
    return samples


def _scale_options(question: Question, scale_rows) -> list[tuple[str, str, Decimal]]:
    """The values of a scale: ``scale_min``…``scale_max``, plus any other value stored."""
    values: set[Decimal] = set()
    if question.scale_min is not None and question.scale_max is not None:
        values = {Decimal(v) for v in range(question.scale_min, question.scale_max + 1)}
    values |= {Decimal(v) for (qid, v) in scale_rows if qid == question.pk}
    options = []
    for value in sorted(values):
        code = str(int(value)) if value == value.to_integral() else str(value.normalize())
        label = code
        if question.scale_min is not None and value == question.scale_min and question.min_label:
            label = f"{code} — {question.min_label}"
        elif question.scale_max is not None and value == question.scale_max and question.max_label:
            label = f"{code} — {question.max_label}"
        options.append((code, label, value))
    return options


def _choice_stats(options, counts: list[int], n: int, *, single: bool) -> list[ChoiceStat]:
    if single:
        percents = largest_remainder_percentages(counts, total=max(n, sum(counts)))
    else:
        percents = [percent(c, n) for c in counts]
    return [
        ChoiceStat(code=code, label=label, count=c, percent=p, share=share(c, n))
        for (code, label, _v), c, p in zip(options, counts, percents, strict=True)
    ]


# --------------------------------------------------------------------------- free text


def text_answers(
    *, survey: Survey, question: Question, role: str | None = None, promotion_id: int | None = None
) -> QuerySet[Answer]:
    """Non-empty free-text answers of ``question`` (submitted responses), oldest first.

    Only the ``text`` column and the response's role and promotion are read: no identifier.
    Paginate the result (``Paginator``).
    """
    return (
        _answers(survey=survey, role=role, promotion_id=promotion_id)
        .filter(question=question)
        .exclude(text="")
        .order_by("id")
        .values("text", role=F("response__role"), promotion_code=F("response__promotion__code"))
    )


# --------------------------------------------------------------------------- data shape


def results_as_data(results: SurveyResults) -> dict[str, Any]:
    """Results as plain data (API, ``survey_results --format json``).

    Shape::

        {"survey": code, "title": str, "anonymous": bool,
         "filters": {"role": str|None, "promotion": str|None},
         "respondents": {"overall": int, "by_role": {role: int}, "by_promotion": {code: int}},
         "questions": {question_code: {
             "type": str, "text": str, "multiple_answers": bool,
             "overall": Group, "by_role": {role: Group}, "by_promotion": {code: Group}}}}

    where ``Group`` is ``{"answered": int, "choices": {choice_code: {"count": int,
    "share": float|None}}, "mean": float|None, "min": float|None, "max": float|None}``.
    ``share`` is count / answered between 0 and 1 (4 places), ``None`` when nobody answered.
    Yes/no choices are ``yes`` and ``no``; scale choices are the values (``"1"`` … ``"5"``).
    """

    def group(stat: GroupStat) -> dict[str, Any]:
        return {
            "answered": stat.n,
            "choices": {c.code: {"count": c.count, "share": c.share} for c in stat.choices},
            "mean": stat.mean,
            "min": stat.minimum,
            "max": stat.maximum,
        }

    def key_name(key: Key, label: str) -> str:
        return key[1] if key[0] == "role" else label

    promotion_code = None
    if results.promotion_id:
        promotion_code = next(
            (
                label
                for key, label, _n in results.respondents
                if key == ("promotion", results.promotion_id)
            ),
            None,
        )
    return {
        "survey": results.survey.code,
        "title": results.survey.title,
        "anonymous": results.survey.is_anonymous,
        "filters": {"role": results.role, "promotion": promotion_code},
        "respondents": {
            "overall": results.n_respondents,
            "by_role": {k[1]: n for k, _l, n in results.respondents if k[0] == "role"},
            "by_promotion": {
                label: n for k, label, n in results.respondents if k[0] == "promotion"
            },
        },
        "questions": {
            r.question.code: {
                "type": r.question.type,
                "text": r.question.text,
                "multiple_answers": r.is_multiple,
                "overall": group(r.overall),
                "by_role": {key_name(g.key, g.label): group(g) for g in r.by_role},
                "by_promotion": {g.label: group(g) for g in r.by_promotion},
            }
            for r in results.questions
        },
    }


# --------------------------------------------------------------------------- dashboard


def pinned_results() -> list[dict[str, Any]]:
    """Key results pinned on « Le programme en chiffres » (``Question.pinned``), for all surveys.

    One dict per pinned question: ``survey`` (title), ``survey_code``, ``question`` (text),
    ``code``, ``n`` (respondents who answered), ``items`` — a list of ``{"label", "count",
    "percent"}``: the pinned choice only when ``pinned_choice`` is set, else every choice —,
    ``multiple`` (bool) and ``mean`` (scales). A fixed number of queries whatever the data.
    """
    pinned = list(
        Question.objects.filter(pinned=True)
        .select_related("survey", "section")
        .prefetch_related("choices")
        .order_by("survey__code", "section__order", "order", "pk")
    )
    by_survey: dict[int, list[Question]] = defaultdict(list)
    surveys = {}
    for q in pinned:
        by_survey[q.survey_id].append(q)
        surveys[q.survey_id] = q.survey
    out = []
    for survey_id, questions in by_survey.items():
        results = survey_results(survey=surveys[survey_id], questions=questions, text_sample_size=0)
        for r in results.questions:
            items = r.overall.choices
            if r.question.pinned_choice:
                items = [c for c in items if c.code == r.question.pinned_choice]
            out.append(
                {
                    "survey": r.question.survey.title,
                    "survey_code": r.question.survey.code,
                    "question": r.question.text,
                    "code": r.question.code,
                    "n": r.overall.n,
                    "multiple": r.is_multiple,
                    "mean": r.overall.mean,
                    "items": [
                        {"label": c.label, "count": c.count, "percent": c.percent} for c in items
                    ],
                }
            )
    return out
