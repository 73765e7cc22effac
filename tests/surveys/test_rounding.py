"""The documented rounding rule of survey percentages (pure Python, no database)."""

import pytest

from eig_portal.common.shares import (
    format_percent,
    largest_remainder_percentages,
    percent,
    share,
)


def test_seventeen_answers_split_12_4_1_give_71_23_6():
    assert largest_remainder_percentages([12, 4, 1]) == [71, 23, 6]


def test_rounding_each_share_alone_would_give_101():
    assert [percent(c, 17) for c in (12, 4, 1)] == [71, 24, 6]


@pytest.mark.parametrize(
    "counts",
    [[1, 1, 1], [2, 2, 2, 1], [14, 7], [10, 3], [5, 5, 5, 5, 5, 5, 1], [1] * 7, [0, 0, 3]],
)
def test_single_choice_percentages_always_add_up_to_100(counts):
    assert sum(largest_remainder_percentages(counts)) == 100


def test_ties_go_to_the_earlier_choice():
    assert largest_remainder_percentages([1, 1, 1]) == [34, 33, 33]


def test_empty_population_gives_none_and_a_dash():
    assert largest_remainder_percentages([0, 0]) == [None, None]
    assert percent(0, 0) is None
    assert share(3, 0) is None
    assert format_percent(None) == "—"


def test_report_2019_ratios():
    assert percent(14, 21) == 67
    assert percent(10, 13) == 77
    assert percent(20, 21) == 95
    assert percent(1, 2) == 50
    assert percent(1, 8) == 13  # 12.5 rounds half up


def test_incomplete_counts_do_not_claim_100():
    assert sum(largest_remainder_percentages([1, 1], total=4)) == 50


def test_counts_above_total_are_refused():
    with pytest.raises(ValueError):
        largest_remainder_percentages([3, 3], total=5)


def test_share_is_between_0_and_1_with_four_places():
    assert share(2, 3) == 0.6667
    assert format_percent(71) == "71\u202f%"
