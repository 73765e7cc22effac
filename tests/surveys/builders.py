"""Response sets built in tests: generic ``build_responses`` and the 2019-style set.

Single records come from the factories (``tests/factories.py``); these builders create many
responses and answers at once (bulk inserts) from compact per-question value lists.

The 2019 set answers the shipped questionnaires (``surveys/definitions/eig-2019-*.yaml``) with
21 EIG (6 of EIG 1, 15 of EIG 2) out of 39 invited and 13 mentors (4 of EIG 1, 9 of EIG 2) out of
24 invited, so that the results reproduce the report's percentages. Where a reported
percentage cannot come from the number of respondents, the chosen counts and the denominator
assumption are written next to the question (see ``FELLOW_COUNTS`` / ``MENTOR_COUNTS``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone

from surveys import answer_counts
from surveys.definition_files import load_shipped_2019_surveys
from surveys.models import Answer, Choice, Invitation, Question, Response, Role, Survey
from tests.factories import InvitationFactory, PromotionFactory

YES, NO = True, False


def spread(*parts: tuple[Any, int]) -> list[Any]:
    """``spread((True, 14), (False, 7))`` → a list of 14 ``True`` then 7 ``False``."""
    out: list[Any] = []
    for value, count in parts:
        out += [value] * count
    return out


def make_invitations(*, survey: Survey, role: str, promotion, count: int) -> list[Invitation]:
    """``count`` invitations of ``role`` in ``promotion`` (``InvitationFactory``, one insert)."""
    invitations = InvitationFactory.build_batch(
        count, survey=survey, role=role, promotion=promotion
    )
    return Invitation.objects.bulk_create(invitations)


def build_responses(
    *,
    survey: Survey,
    people: Sequence[tuple[str, Any]],
    answers: dict[str, Sequence[Any]],
    invitations: Sequence[Invitation] | None = None,
    status: str = Response.Status.SUBMITTED,
    respondent_prefix: str = "",
) -> list[Response]:
    """Create one response per ``people`` item (``(role, promotion)``) with ``answers``.

    ``answers`` maps a question code to one value per person (``None``: not answered): a choice
    code (single), a list of codes (multiple), a number (scale, number), ``True``/``False``
    (yes/no) or text. With ``invitations`` the responses come from the portal; else they are
    imported ones (``respondent`` = prefix + index when a prefix is given).
    """
    now = timezone.now()
    responses = []
    for i, (role, promotion) in enumerate(people):
        invitation = invitations[i] if invitations else None
        responses.append(
            Response(
                survey=survey,
                invitation=invitation,
                role=role,
                promotion=promotion,
                source=Response.Source.PORTAL if invitation else Response.Source.IMPORT,
                respondent=f"{respondent_prefix}{i + 1}" if respondent_prefix else "",
                status=status,
                submitted_at=now if status == Response.Status.SUBMITTED else None,
            )
        )
    responses = Response.objects.bulk_create(responses)
    questions = {q.code: q for q in Question.objects.filter(survey=survey)}
    choices = {
        (c.question_id, c.code): c.pk for c in Choice.objects.filter(question__survey=survey)
    }
    rows, multiple = [], []
    for code, values in answers.items():
        question = questions[code]
        assert len(values) == len(people), f"{code}: {len(values)} values for {len(people)}"
        for response, value in zip(responses, values, strict=True):
            if value is None:
                continue
            answer = Answer(response=response, question=question)
            if question.type == Question.Type.SINGLE:
                answer.choice_id = choices[(question.pk, value)]
            elif question.type == Question.Type.MULTIPLE:
                multiple.append((answer, [choices[(question.pk, v)] for v in value]))
            elif question.type == Question.Type.YESNO:
                answer.boolean = value
            elif question.type in (Question.Type.SCALE, Question.Type.NUMBER):
                answer.number = Decimal(str(value))
            else:
                answer.text = value
            rows.append(answer)
    Answer.objects.bulk_create(rows)
    through = Answer.choices.through
    through.objects.bulk_create(
        through(answer_id=answer.pk, choice_id=choice_id)
        for answer, ids in multiple
        for choice_id in ids
    )
    # Bulk writes send no signal: rebuild the results' stored counts, as an import does.
    answer_counts.rebuild(survey.pk, force=True)
    return responses


# 21 EIG: indices 0–5 are EIG 1, 6–20 EIG 2.
FELLOW_COUNTS = {
    # 14/21 = 66.7 → 67 % (report: 67 %)
    "tech_env_adapted": spread((YES, 14), (NO, 7)),
    # 20/21 = 95.2 → 95 % (report: « près de 95 % »)
    "work_env_satisfied": spread((YES, 20), (NO, 1)),
    # 13/20 = 65 % — 65 % cannot come from 21 (13/21 = 62, 14/21 = 67): one EIG did not answer.
    "oss_reused": spread((YES, 13), (NO, 7), (None, 1)),
    # 13/21 = 61.9 → 62 %
    "trainings_organised": spread((YES, 13), (NO, 8)),
    # 11/21 = 52.4 → 52 %; by promotion EIG 1: 1/6 = 17 % (« moins de 20 % »),
    # EIG 2: 10/15 = 67 % (« près de 70 % »)
    "etalab_expertise": spread((YES, 1), (NO, 5), (YES, 10), (NO, 5)),
    # 3/20 = 15 % — from 21, 3/21 = 14 %: one EIG left it blank (answers collected outside the
    # portal, so a « required » question may be empty).
    "stay_admin_before": spread((YES, 3), (NO, 17), (None, 1)),
    # 12/21 = 57.1 → 57 % (« plus de 57 % »)
    "stay_admin_after": spread((YES, 12), (NO, 9)),
    # fellows 16/21 + mentors 8/12 = 24/33 = 72.7 → 73 % (report « près de 73 % » of EIG and
    # mentors together; 25/34 would give 73.5 → 74 %)
    "annex_tools": spread((YES, 16), (NO, 5)),
    # fellows 15/21 + mentors 9/13 = 24/34 = 70.6 % (« plus des deux tiers »)
    "result_maintained": spread((YES, 15), (NO, 6)),
    "production_status": spread(
        ("in_production", 9),
        ("dev_production_planned", 8),
        ("dev_no_production_planned", 2),
        ("dont_know", 2),
    ),
    # « plus de la moitié » in the administration (11/20 = 55 %), « dont 25 % en tant que
    # contractuels » = 5/20 (5/21 = 24 %: one EIG did not answer)
    "current_situation": spread(
        ("admin_contract", 5),
        ("admin_other", 6),
        ("independent", 4),
        ("private_sector", 2),
        ("phd", 2),
        ("job_seeking", 1),
        (None, 1),
    ),
    # One multiple-choice question: user research 15/21 = 71 % (report 70 %), agile 9/21 = 43 %,
    # sprints 6/21 = 29 % (« près de 30 % »). No single n ≤ 21 gives both 70 % (n = 10, 20) and
    # 43 % (n = 7, 14, 21): the report must have counted them as separate questions.
    "methods_used": [
        [c for c, on in (("user_research", i < 15), ("agile", i < 9), ("sprints", i < 6)) if on]
        or ["other"]
        for i in range(21)
    ],
    "users_satisfied": spread((5, 6), (4, 9), (3, 4), (2, 1), (None, 1)),
    "datasets_opened": spread((0, 8), (1, 5), (3, 4), (12, 2), (None, 2)),
    "comments": spread(
        ("Super programme 🚀, merci à l'équipe !", 1),
        ('=HYPERLINK("http://exemple.invalid")', 1),
        ("Plus de temps pour la mise en production, s'il vous plaît.", 1),
        (None, 18),
    ),
}

# 13 mentors: indices 0–3 are EIG 1, 4–12 EIG 2.
MENTOR_COUNTS = {
    # « au moins globalement » = exceeded + fully + broadly = 12/13 = 92 % (> 90 %)
    "results_meet_expectations": spread(
        ("exceeded", 3), ("fully", 5), ("broadly", 4), ("partly", 1)
    ),
    # 10/13 = 76.9 → 77 %
    "tech_means_differ": spread((YES, 10), (NO, 3)),
    # 7/10 = 70 % — 70 % cannot come from 13 (9/13 = 69 %): 3 mentors did not answer.
    "work_env_adapted": spread((YES, 7), (NO, 3), (None, 3)),
    # 9/10 = 90 % — from 13, 12/13 = 92 % and 11/13 = 85 %: 3 mentors did not answer.
    "skills_acquired": spread((YES, 9), (NO, 1), (None, 3)),
    # Shown only to the 9 who acquired skills; 83 % of ≤ 9 is only 5/6 (83.3 %): 6 answered.
    # (83 % of all 13 mentors is unreachable: 11/13 = 85 %; 10/12 = 83 % would exceed the 9
    # mentors the question was shown to.)
    "skills_reused": spread((YES, 5), (NO, 1), (None, 7)),
    # 9/13 = 69.2 → 69 % (« près de 70 % »)
    "digital_skills_development": spread((YES, 9), (NO, 4)),
    # 7/13 = 53.8 → 54 %: the report's 53 % is not reachable with 13 respondents (8/15 would be)
    "community_member": spread((YES, 7), (NO, 6)),
    # missing skills 12/13 = 92 % (« plus de 90 % »)
    "eig_contributions": [
        [c for c, on in (("missing_skills", i < 12), ("other_view", i < 10)) if on] or ["other"]
        for i in range(13)
    ],
    "annex_tools": spread((YES, 8), (NO, 4), (None, 1)),
    "result_maintained": spread((YES, 9), (NO, 4)),
    # « Un mentor ne s'est pas exprimé sur ce sujet »
    "production_status": spread(
        ("in_production", 6),
        ("dev_production_planned", 5),
        ("dev_no_production_planned", 1),
        (None, 1),
    ),
    "support_programme_rating": spread((5, 3), (4, 6), (3, 2), (None, 2)),
}


def build_2019_response_set() -> dict[str, Any]:
    """Load the shipped 2019 questionnaires and the 2019-style response set; return handles.

    Returns ``{"fellows": Survey, "mentors": Survey, "eig1": Promotion, "eig2": Promotion}``.
    39 EIG (12 of EIG 1, 27 of EIG 2) and 24 mentors (8 and 16) are invited; 21 and 13 submit;
    2 EIG of EIG 2 have a response still in progress (not counted in the results).
    """
    eig1 = PromotionFactory(number=1, code="EIG 1", year=2017)
    eig2 = PromotionFactory(number=2, code="EIG 2", year=2018)
    fellows, mentors = load_shipped_2019_surveys()
    fellows.promotions.set([eig1, eig2])
    mentors.promotions.set([eig1, eig2])

    fellow_inv = make_invitations(survey=fellows, role=Role.FELLOW, promotion=eig1, count=12)
    fellow_inv += make_invitations(survey=fellows, role=Role.FELLOW, promotion=eig2, count=27)
    mentor_inv = make_invitations(survey=mentors, role=Role.MENTOR, promotion=eig1, count=8)
    mentor_inv += make_invitations(survey=mentors, role=Role.MENTOR, promotion=eig2, count=16)

    fellow_people = [(Role.FELLOW, eig1)] * 6 + [(Role.FELLOW, eig2)] * 15
    build_responses(
        survey=fellows,
        people=fellow_people,
        answers=FELLOW_COUNTS,
        invitations=fellow_inv[:6] + fellow_inv[12:27],
    )
    build_responses(
        survey=fellows,
        people=[(Role.FELLOW, eig2)] * 2,
        answers={"tech_env_adapted": [NO, NO]},
        invitations=fellow_inv[27:29],
        status=Response.Status.IN_PROGRESS,
    )
    mentor_people = [(Role.MENTOR, eig1)] * 4 + [(Role.MENTOR, eig2)] * 9
    build_responses(
        survey=mentors,
        people=mentor_people,
        answers=MENTOR_COUNTS,
        invitations=mentor_inv[:4] + mentor_inv[8:17],
    )
    # Invitations whose link was opened: those with a response, plus 3 EIG who only looked.
    Invitation.objects.filter(response__isnull=False).update(opened_at=timezone.now())
    Invitation.objects.filter(pk__in=[i.pk for i in fellow_inv[29:32]]).update(
        opened_at=timezone.now()
    )
    return {"fellows": fellows, "mentors": mentors, "eig1": eig1, "eig2": eig2}
