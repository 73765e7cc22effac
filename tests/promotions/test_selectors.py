"""Read-side queries of promotions (``promotions.selectors``)."""

import pytest

from promotions.selectors import promotion_list_public
from tests.factories import ChallengeFactory, FellowFactory, MentorFactory, PromotionFactory

pytestmark = pytest.mark.django_db


def test_public_promotions_are_in_rank_order_with_their_public_counts(
    django_assert_num_queries,
):
    later = PromotionFactory(number=2, rank=2)
    first = PromotionFactory(number=1, rank=1)
    FellowFactory.create_batch(3, promotion=first)
    MentorFactory.create_batch(2, promotion=first)
    ChallengeFactory.create_batch(2, promotion=first)
    ChallengeFactory(promotion=first, is_public=False)
    ChallengeFactory(promotion=later)

    with django_assert_num_queries(1):
        rows = [(p, p.n_challenges, p.n_fellows, p.n_mentors) for p in promotion_list_public()]

    # Counts are not multiplied by the joins (3 fellows × 2 mentors × 3 défis) and the
    # unpublished défi is left out.
    assert rows == [(first, 2, 3, 2), (later, 1, 0, 0)]
