"""Recruitment juries: who sees which candidates, conflicts, scores, mentors invited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from challenges.models import Application, ApplicationReview, JuryMember
from challenges.recruitment import jury, selectors
from tests.factories import MentorFactory, UserFactory

from .builders import make_application, make_opening, make_recruitment_call

pytestmark = pytest.mark.django_db
Status = Application.Status


def _jury_setup():
    call = make_recruitment_call(weights=(2, 1))
    opening, other = make_opening(call), make_opening(call)
    member = jury.jury_member_add(
        challenge=opening.challenge, user=UserFactory(), kind=JuryMember.Kind.OUTSIDE, by=None
    )
    screened = make_application(call, challenges=[opening.challenge], status=Status.PRESELECTED)
    return call, opening, other, member, screened


def _criteria(call):
    return list(call.criteria.values_list("pk", flat=True))


def test_a_member_sees_only_screened_candidates_who_chose_the_defi():
    call, opening, other, member, screened = _jury_setup()
    make_application(call, challenges=[opening.challenge], status=Status.SUBMITTED)
    make_application(call, challenges=[opening.challenge], status=Status.NOT_PRESELECTED)
    make_application(call, challenges=[other.challenge], status=Status.PRESELECTED)
    rows = list(selectors.jury_candidates(member=member))
    assert [c.application for c in rows] == [screened]


def test_a_conflict_hides_the_candidate_and_drops_the_members_review():
    call, opening, _other, member, screened = _jury_setup()
    choice = screened.choices.get()
    c1, c2 = _criteria(call)
    jury.jury_review_save(member=member, choice=choice, by=member.user, scores={c1: 4})
    jury.jury_declare_conflict(member=member, choice=choice, by=member.user)
    assert list(selectors.jury_candidates(member=member)) == []
    assert not ApplicationReview.objects.exists()
    with pytest.raises(ValidationError):
        jury.jury_review_save(member=member, choice=choice, by=member.user, scores={c1: 4})


def test_a_submitted_review_needs_every_criterion_in_range_and_is_then_frozen():
    call, _opening, _other, member, screened = _jury_setup()
    choice = screened.choices.get()
    c1, c2 = _criteria(call)
    with pytest.raises(ValidationError) as error:
        jury.jury_review_save(
            member=member, choice=choice, by=member.user, scores={c1: 4}, submit=True
        )
    assert f"score_{c2}" in error.value.message_dict
    with pytest.raises(ValidationError):
        jury.jury_review_save(member=member, choice=choice, by=member.user, scores={c1: 6})
    jury.jury_review_save(
        member=member, choice=choice, by=member.user, scores={c1: 4, c2: 2}, submit=True
    )
    with pytest.raises(ValidationError):
        jury.jury_review_save(member=member, choice=choice, by=member.user, scores={c1: 5})


def test_another_user_or_another_defis_member_cannot_score():
    call, _opening, other, member, screened = _jury_setup()
    choice = screened.choices.get()
    with pytest.raises(PermissionDenied):
        jury.jury_review_save(member=member, choice=choice, by=UserFactory(), scores={})
    outsider = jury.jury_member_add(
        challenge=other.challenge, user=UserFactory(), kind=JuryMember.Kind.OUTSIDE, by=None
    )
    with pytest.raises(PermissionDenied):
        jury.jury_review_save(member=outsider, choice=choice, by=outsider.user, scores={})


def test_the_defis_mentors_are_invited_to_an_account_on_its_jury(coordinator):
    call = make_recruitment_call()
    opening = make_opening(call)
    mentor = MentorFactory(name="Claire Mentor", email="claire@example.gouv.fr")
    MentorFactory(name="Sans courriel", email="")
    opening.challenge.mentors.add(mentor, MentorFactory(email=""))
    members = jury.jury_invite_mentors(challenge=opening.challenge, by=coordinator)
    assert [(m.user.email, m.kind, m.mentor) for m in members] == [
        ("claire@example.gouv.fr", JuryMember.Kind.MENTOR, mentor)
    ]
    again = jury.jury_invite_mentors(challenge=opening.challenge, by=coordinator)
    assert [m.pk for m in again] == [members[0].pk]


def test_the_matchings_scores_equal_the_rankings_weighted_scores():
    call, opening, _other, member, screened = _jury_setup()
    second = jury.jury_member_add(
        challenge=opening.challenge, user=UserFactory(), kind=JuryMember.Kind.OUTSIDE, by=None
    )
    choice = screened.choices.get()
    c1, c2 = _criteria(call)  # weights 2 and 1
    for who, scores in ((member, {c1: 5, c2: 2}), (second, {c1: 2, c2: 2})):
        jury.jury_review_save(member=who, choice=choice, by=who.user, scores=scores, submit=True)
    row = selectors.choice_ranking(challenge=opening.challenge).get()
    assert row.weighted_score == pytest.approx((12 / 3 + 6 / 3) / 2)  # (4 + 2) / 2
    assert row.score_spread == pytest.approx(2.0) and row.spread_flag
    assert selectors.choice_scores(call=call) == {
        (screened.pk, opening.challenge_id): pytest.approx(3.0)
    }
