"""One rounding rule for shares and percentages: programme figures and survey results agree."""

from eig_portal.common.shares import format_percent, percent, share, share_percent
from promotions.figures import share as programme_share
from promotions.templatetags.figures_tags import format_figure


def test_shares_round_half_up_exactly_at_their_precision():
    assert share(5, 32, places=2) == programme_share(5, 32) == 0.16  # EIG 3 designers, 2019
    assert share(1, 8, places=2) == 0.13  # 0.125: half up, not to even
    assert share(1, 3) == 0.3333
    assert share(3, 0) is None and share(None, 4) is None


def test_a_share_and_a_count_give_the_same_percentage_text_everywhere():
    assert format_figure(0.16, "share") == format_percent(percent(16, 100)) == "16\u202f%"
    assert share_percent(0.155) == 16
    assert format_percent(None) == format_figure(None, "share") == "—"
