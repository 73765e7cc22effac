"""Each review's weighted score is stored once: by the jury's save, and again when weights change."""

from decimal import Decimal

import pytest

from challenges.calls.jury import review_save
from challenges.calls.models import Criterion, JuryAssignment
from challenges.calls.review_scores import call_reviews_rescore, weighted_score
from challenges.calls.selectors import proposal_ranking
from tests.challenges.call_builders import make_call, make_proposal, make_review
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_weighted_score_of_scores_and_weights():
    assert weighted_score([(5, Decimal("2")), (2, Decimal("1"))]) == pytest.approx(4.0)
    assert weighted_score([(3, Decimal("1.5"))]) == 3.0
    assert weighted_score([]) is None


def test_the_jurys_save_stores_the_weighted_score_of_the_review():
    call = make_call(weights=(2, 1))
    proposal = make_proposal(call)
    juror = UserFactory()
    assignment = JuryAssignment.objects.create(proposal=proposal, juror=juror)
    first, second = call.criteria.order_by("order")
    draft = review_save(assignment=assignment, by=juror, scores={first.pk: 5, second.pk: None})
    assert draft.weighted_score == 5.0  # only the scored criterion counts in a draft
    review = review_save(
        assignment=assignment, by=juror, scores={first.pk: 5, second.pk: 2}, submit=True
    )
    review.refresh_from_db()
    assert review.weighted_score == pytest.approx(12 / 3)


def test_new_weights_change_the_stored_scores_and_the_ranking():
    call = make_call(weights=(2, 1))
    a, b = make_proposal(call, title="A"), make_proposal(call, title="B")
    make_review(a, UserFactory(), [5, 1])  # (10 + 1) / 3 = 3.67
    make_review(b, UserFactory(), [1, 5])  # (2 + 5) / 3 = 2.33
    assert [p.title for p in proposal_ranking(call=call)] == ["A", "B"]
    Criterion.objects.filter(call=call, order=2).update(weight=Decimal("5"))
    assert call_reviews_rescore(call=call) == 2
    ranked = list(proposal_ranking(call=call))
    assert [p.title for p in ranked] == ["B", "A"]  # (2 + 25) / 7 against (10 + 5) / 7
    assert ranked[0].weighted_score == pytest.approx(27 / 7)
