"""« Le programme en chiffres »: the total compares declared figures with the records of the same
promotions, the page carries no developer note, and questionnaires without answers say so."""

import re

import pytest
from django.urls import reverse

from promotions.figures import programme_figures
from promotions.models import Fellow
from surveys.models import Question
from tests.factories import DeclaredFigureFactory, FellowFactory, PromotionFactory

pytestmark = pytest.mark.django_db
URL = reverse("promotions:dashboard")


@pytest.fixture
def two_promotions():
    """EIG 1: 10 EIG declared, 9 on record; EIG 2 (nothing declared): 4 on record."""
    p1, p2 = PromotionFactory(number=1), PromotionFactory(number=2)
    FellowFactory.create_batch(9, promotion=p1, profile=Fellow.Profile.DEVELOPER)
    FellowFactory.create_batch(4, promotion=p2, profile=Fellow.Profile.DEVELOPER)
    DeclaredFigureFactory(promotion=p1, metric="fellows", value=10)
    return p1, p2


def test_total_compares_the_declared_figure_with_records_of_the_same_promotions(two_promotions):
    total = programme_figures().total.cells["fellows"]

    assert total.headline == 14  # 10 declared for EIG 1 + 4 on record for EIG 2
    assert total.records == 13
    assert total.comparison.promotion_codes == ("EIG 1",)
    assert (total.comparison.declared, total.comparison.records) == (10, 9)
    assert total.differs


def test_no_gap_is_flagged_when_the_declaring_promotions_have_no_records(monkeypatch):
    """The 2019 report's proposals (EIG 1) against the portal's proposals (a later call, EIG 2):
    « 97 ; registres : 3 » compared two different sets of promotions."""
    from promotions import figures as figures_module

    p1, p2 = PromotionFactory(number=1), PromotionFactory(number=2)
    DeclaredFigureFactory(promotion=p1, metric="challenges_proposed", value=97)
    monkeypatch.setitem(figures_module.RECORD_HOOKS, "challenges_proposed", lambda: {p2.pk: 3})

    total = programme_figures().total.cells["challenges_proposed"]

    assert (total.headline, total.records) == (100, 3)
    assert total.comparison.promotion_codes == ("EIG 1",)
    assert total.comparison.records is None
    assert not total.differs


def test_total_flag_names_the_promotions_compared(client, coordinator, two_promotions):
    client.force_login(coordinator)
    html = client.get(URL).content.decode()
    row = html[html.index('data-metric="fellows"') :]
    total = row[row.index('data-column="total"') :][:1500]
    assert "déclaré pour EIG 1 : 10 ; registres de ces promotions : 9" in total


def test_the_page_shows_no_file_path_nor_developer_note(coord_client):
    html = coord_client.get(URL).content.decode()
    main = html[html.index('id="dashboard"') : html.index('<footer class="fr-footer"')]
    text = re.sub(r"<[^>]+>", " ", main)
    assert not re.search(r"\b[\w./-]+\.(json|py|cljs|md|ods)\b", text), "file path shown"
    assert "shared/" not in text and " see " not in text


def test_questionnaires_without_answers_show_an_empty_state_not_empty_bars(client, coordinator):
    from surveys.definition_files import load_shipped_2019_surveys

    load_shipped_2019_surveys()
    assert Question.objects.filter(pinned=True).exists()
    client.force_login(coordinator)
    html = client.get(URL).content.decode()

    assert 'id="pinned-empty-eig-2019-fellows"' in html
    assert "Aucune réponse envoyée pour le moment" in html
    assert "pinned-chart-eig-2019-fellows" not in html


def test_long_chart_labels_wrap_instead_of_being_cut():
    from surveys.templatetags.survey_results_tags import bar_chart_layout

    label = "Avez-vous été à l'origine ou avez-vous suivi la création d'outils annexes " * 2
    layout = bar_chart_layout([{"label": label, "percent": 50.0}, {"label": "Court", "percent": 0}])
    first, second = layout["rows"]
    assert " ".join(text for text, _y in first["lines"]) == label.strip()
    assert len(first["lines"]) == 2 and len(second["lines"]) == 1
    assert int(second["bar_y"]) > int(first["bar_y"]) + 16
    assert first["width"] == "260.0"
