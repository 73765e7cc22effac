"""« Le programme en chiffres »: the figure engine (promotions.figures).

The first tests build small data with factories; the acceptance tests at the end load the real
data (``import_eig_data``) and compare every headline figure with report-2019-figures.json.
"""

import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command

from promotions.figures import METRICS, programme_figures, share
from promotions.models import BudgetLine, DeclaredFigure, Fellow, Promotion
from tests.factories import (
    AdministrationFactory,
    BudgetLineFactory,
    ChallengeFactory,
    DeclaredFigureFactory,
    FellowFactory,
    MentorFactory,
    PrintedTotalFactory,
    PromotionFactory,
)

pytestmark = pytest.mark.django_db


# --- share rounding -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "population", "expected"),
    [(5, 32, 0.16), (14, 28, 0.5), (3, 28, 0.11), (8, 11, 0.73), (18, 32, 0.56), (1, 8, 0.13)],
)
def test_share_is_rounded_half_up_to_two_decimals(count, population, expected):
    assert share(count, population) == expected


@pytest.mark.parametrize(("count", "population"), [(0, 0), (None, 3), (2, None)])
def test_share_of_an_empty_or_unknown_population_is_none(count, population):
    assert share(count, population) is None


# --- records, declared, headline -------------------------------------------------------------


def test_records_are_counted_per_promotion():
    p1, p2 = PromotionFactory(number=1), PromotionFactory(number=2)
    FellowFactory.create_batch(2, promotion=p1, profile=Fellow.Profile.DESIGNER)
    FellowFactory(promotion=p1, profile=Fellow.Profile.DATA_SCIENTIST)
    FellowFactory(promotion=p2)
    m1 = MentorFactory(promotion=p1)
    ChallengeFactory(promotion=p1, mentors=[m1])
    ChallengeFactory(promotion=p2, mentors=[MentorFactory(promotion=p2)])

    figures = programme_figures()
    col1, col2, total = figures.columns

    assert [col1.key, col2.key, total.key] == ["EIG 1", "EIG 2", "total"]
    assert col1.cells["fellows"].records == 3
    assert col1.cells["share_designers"].records == 0.67
    assert col1.cells["share_data_scientists"].records == 0.33
    assert col1.cells["share_developers"].records == 0.0
    assert col1.cells["mentors"].records == 1
    assert col2.cells["fellows"].records == 1
    assert total.cells["fellows"].records == 4
    assert total.cells["share_developers"].records == 0.25  # 1 of 4 EIG
    assert total.cells["challenges"].records == 2


def test_a_mentor_counts_in_every_promotion_of_their_defis_once():
    p1, p2 = PromotionFactory(number=1), PromotionFactory(number=2)
    mentor = MentorFactory(promotion=p1)
    ChallengeFactory(promotion=p1, mentors=[mentor])
    ChallengeFactory(promotion=p1, mentors=[mentor])
    ChallengeFactory(promotion=p2, mentors=[mentor])

    col1, col2, _total = programme_figures().columns

    assert col1.cells["mentors"].records == 1
    assert col2.cells["mentors"].records == 1


def test_declared_figure_is_the_headline_and_a_difference_is_flagged():
    p2 = PromotionFactory(number=2)
    FellowFactory.create_batch(26, promotion=p2)
    DeclaredFigureFactory(promotion=p2, metric="fellows", value=28)

    cell = programme_figures().columns[0].cells["fellows"]

    assert (cell.headline, cell.records, cell.declared, cell.differs) == (28, 26, 28, True)
    assert cell.as_dict() == {"headline": 28, "records": 26, "declared": 28, "differs": True}


def test_equal_declared_and_records_are_not_flagged():
    p1 = PromotionFactory(number=1)
    ChallengeFactory.create_batch(2, promotion=p1)
    DeclaredFigureFactory(promotion=p1, metric="challenges", value=2)

    assert programme_figures().columns[0].cells["challenges"].differs is False


def test_declared_profile_counts_make_the_headline_share_over_declared_fellows():
    p3 = PromotionFactory(number=3)
    FellowFactory.create_batch(2, promotion=p3, profile=Fellow.Profile.DESIGNER)
    FellowFactory.create_batch(2, promotion=p3, profile=Fellow.Profile.DEVELOPER)
    DeclaredFigureFactory(promotion=p3, metric="fellows", value=32)
    DeclaredFigureFactory(promotion=p3, metric="designers", value=5)

    cells = programme_figures().columns[0].cells

    assert cells["share_designers"].headline == 0.16  # 5 / 32
    assert cells["share_designers"].records == 0.5  # 2 / 4
    assert cells["share_designers"].differs is True
    # No declared count of developers: the records share (2 / 4) is the headline.
    assert cells["share_developers"].headline == 0.5
    assert cells["share_developers"].declared is None


def test_a_promotion_without_any_record_shows_none_not_an_error():
    PromotionFactory(number=7)

    col, total = programme_figures().columns

    assert col.cells["fellows"].records == 0
    assert col.cells["share_designers"].headline is None
    assert col.cells["candidates"].headline is None
    assert col.cells["challenges_proposed"].records is None
    assert col.cells["salaries"].headline is None
    assert col.cells["budget_total"].headline is None
    assert total.cells["share_designers"].headline is None


def test_new_administrations_are_counted_in_the_promotion_of_their_first_defi():
    p1, p2, p3 = (PromotionFactory(number=n) for n in (1, 2, 3))
    dig = PromotionFactory(code="DIG", slug="dig", number=None, rank=3, year=2019)
    old, new, both3 = AdministrationFactory.create_batch(3)
    ChallengeFactory(promotion=p1, administration=old)
    ChallengeFactory(promotion=p2, administration=old)
    ChallengeFactory(promotion=p2, administration=new)
    ChallengeFactory(promotion=p2, administration=new)
    # Same rank: the tie is broken by year then code, so it is new once only.
    ChallengeFactory(promotion=dig, administration=both3)
    ChallengeFactory(promotion=p3, administration=both3)

    figures = programme_figures()
    new_orgs = {c.key: c.cells["new_host_organisations"].records for c in figures.columns}

    assert new_orgs == {"EIG 1": 1, "EIG 2": 1, "DIG": 1, "EIG 3": 0, "total": 3}


def test_budget_sums_lines_per_category_and_total_leaves_out_the_pia_envelope():
    p1 = PromotionFactory(number=1)
    BudgetLineFactory(promotion=p1, category="pia_envelope", amount=Decimal("800000.00"))
    BudgetLineFactory(promotion=p1, category="salaries", label="a", amount=Decimal("0.10"))
    BudgetLineFactory(promotion=p1, category="salaries", label="b", amount=Decimal("0.20"))
    BudgetLineFactory(promotion=p1, category="communication", amount=Decimal("0.00"))
    BudgetLineFactory(
        promotion=p1, category="research_links", amount=Decimal("10.05"), is_forecast=True
    )

    col = programme_figures().columns[0]

    assert col.cells["salaries"].headline == Decimal("0.30")
    assert isinstance(col.cells["salaries"].headline, Decimal)
    assert col.cells["communication"].headline == Decimal("0.00")
    assert col.cells["support_programme"].headline is None
    assert col.cells["pia_envelope"].headline == Decimal("800000.00")
    assert col.cells["budget_total"].headline == Decimal("10.35")
    assert col.budget_is_forecast is True


def test_filter_keeps_the_chosen_promotions_and_totals_them_only():
    p1, p2 = PromotionFactory(number=1), PromotionFactory(number=2)
    FellowFactory.create_batch(3, promotion=p1)
    FellowFactory.create_batch(5, promotion=p2)

    figures = programme_figures(promotions=[p2])

    assert [c.key for c in figures.columns] == ["EIG 2", "total"]
    assert figures.total.cells["fellows"].headline == 5


def test_a_printed_total_that_differs_from_the_true_sum_is_reported_on_the_total():
    p1, p2 = PromotionFactory(number=1), PromotionFactory(number=2)
    DeclaredFigureFactory(promotion=p1, metric="challenges_proposed", value=9)
    DeclaredFigureFactory(promotion=p2, metric="challenges_proposed", value=43)
    PrintedTotalFactory(metric="challenges_proposed", value=Decimal("43"), promotions=[p1, p2])
    PrintedTotalFactory(metric="fellows", value=Decimal("0"), promotions=[p1, p2])

    figures = programme_figures()
    total = figures.total.cells["challenges_proposed"]

    assert total.headline == 52
    assert total.printed.printed_display == 43
    assert total.printed.true_sum == 52
    assert total.printed.promotion_codes == ("EIG 1", "EIG 2")
    assert [(c.metric, c.differs) for c in figures.printed_totals] == [
        ("fellows", False),  # 0 EIG printed, 0 on record and none declared
        ("challenges_proposed", True),
    ]


def test_query_count_does_not_grow_with_the_data(django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    promotions = [PromotionFactory(number=number) for number in (1, 2, 3)]
    for promotion in promotions:
        DeclaredFigureFactory(promotion=promotion, metric="candidates", value=10)
        BudgetLineFactory(promotion=promotion, category="salaries")
    PrintedTotalFactory(metric="candidates", value=Decimal("30"), promotions=promotions)

    def add_records(n):
        for promotion in promotions:
            fellows = FellowFactory.create_batch(n, promotion=promotion)
            mentors = MentorFactory.create_batch(n, promotion=promotion)
            ChallengeFactory.create_batch(n, promotion=promotion, fellows=fellows, mentors=mentors)

    add_records(1)
    with CaptureQueriesContext(connection) as small:
        programme_figures()
    add_records(15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        figures = programme_figures()
    assert figures.total.cells["fellows"].records == 48
    assert len(small.captured_queries) <= 8


# --- acceptance: the real data against the 2019 report ----------------------------------------

REPORT = json.loads(
    (settings.DATA_DIR / "reference" / "report-2019-figures.json").read_text(encoding="utf-8")
)
COUNT_KEYS = [
    "fellows",
    "mentors",
    "challenges",
    "new_host_organisations",
    "candidates",
    "challenges_proposed",
]
SHARE_KEYS = ["share_designers", "share_developers", "share_data_scientists"]
BUDGET_KEYS = ["pia_envelope", "salaries", "communication", "support_programme", "research_links"]


@pytest.fixture
def real_figures(db):
    call_command("import_eig_data", verbosity=0)
    return programme_figures()


@pytest.mark.parametrize("code", ["EIG 1", "EIG 2", "EIG 3"])
def test_headline_figures_of_the_report_promotions_equal_the_report(real_figures, code):
    expected = REPORT["promotions"][code]
    column = next(c for c in real_figures.columns if c.key == code)
    for key in COUNT_KEYS + SHARE_KEYS:
        assert column.cells[key].headline == expected[key], key
    for key in BUDGET_KEYS:
        assert column.cells[key].headline == Decimal(expected["budget_eur"][key]), key
    assert column.cells["budget_total"].headline == Decimal(expected["budget_eur"]["total"])
    assert column.cells["budget_total"].headline == sum(
        column.cells[k].headline for k in BUDGET_KEYS[1:]
    )


def test_report_promotions_totals_are_true_sums_and_printed_differences_are_flagged(real_figures):
    codes = ["EIG 1", "EIG 2", "EIG 3"]
    figures = programme_figures(promotions=Promotion.objects.filter(code__in=codes))
    total = figures.total.cells
    for key in COUNT_KEYS:
        assert total[key].headline == sum(REPORT["promotions"][c][key] for c in codes), key
    assert total["challenges_proposed"].headline == 94
    assert total["challenges_proposed"].printed.printed_display == 85
    assert total["salaries"].headline == Decimal("4658243.47")
    assert total["salaries"].printed.printed == Decimal("4658243.00")
    assert total["budget_total"].headline == Decimal("5134558.47")
    assert total["budget_total"].printed is None  # the printed 5 134 558.47 is right
    assert total["share_designers"].headline == share(8, 71)  # (0 + 3 + 5) / (11 + 28 + 32)
    differing = {c.metric for c in figures.printed_totals if c.differs}
    assert differing == {"challenges_proposed", "salaries"}


def test_records_hold_what_the_public_data_holds(real_figures):
    columns = {c.key: c for c in real_figures.columns}
    assert len(real_figures.promotion_columns) == 8
    assert real_figures.total.cells["challenges"].records == 131  # 132 pages minus `_index`
    fellows = columns["EIG 2"].cells["fellows"]
    assert (fellows.headline, fellows.records, fellows.differs) == (28, 26, True)
    assert columns["EIG 1"].cells["challenges"].records == 9
    assert columns["EIG 2"].cells["challenges"].records == 13
    assert columns["EIG 3"].cells["challenges"].records == 15
    # Promotions the report does not cover have records only.
    eig4 = columns["EIG 4"].cells
    assert eig4["fellows"].declared is None
    assert eig4["fellows"].headline == eig4["fellows"].records > 0


def test_every_metric_has_a_cell_in_every_column(real_figures):
    for column in real_figures.columns:
        assert set(column.cells) == {m.key for m in METRICS}


def test_real_budget_lines_and_declared_figures_exist(real_figures):
    assert BudgetLine.objects.exists()
    assert DeclaredFigure.objects.filter(metric="fellows").count() == 3
