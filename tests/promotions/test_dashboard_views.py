"""The staff dashboard « Le programme en chiffres »: access, filter, downloads, query count."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from promotions.models import Fellow
from tests.factories import (
    BudgetLineFactory,
    ChallengeFactory,
    DeclaredFigureFactory,
    FellowFactory,
    MentorFactory,
    PrintedTotalFactory,
    PromotionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("promotions:dashboard")


@pytest.fixture
def data():
    """EIG 1 (records agree), EIG 2 (28 EIG declared, 26 on record), a printed total off by 9."""
    p1, p2 = PromotionFactory(number=1), PromotionFactory(number=2)
    FellowFactory.create_batch(3, promotion=p1, profile=Fellow.Profile.DESIGNER)
    FellowFactory.create_batch(26, promotion=p2, profile=Fellow.Profile.DATA_SCIENTIST)
    DeclaredFigureFactory(promotion=p2, metric="fellows", value=28)
    DeclaredFigureFactory(promotion=p1, metric="challenges_proposed", value=9)
    DeclaredFigureFactory(promotion=p2, metric="challenges_proposed", value=43)
    PrintedTotalFactory(metric="challenges_proposed", value=Decimal("43"), promotions=[p1, p2])
    BudgetLineFactory(promotion=p1, category="salaries", amount=Decimal("756553.38"))
    BudgetLineFactory(promotion=p2, category="salaries", amount=Decimal("1801326.00"))
    ChallengeFactory(promotion=p1, mentors=[MentorFactory(promotion=p1)])
    return p1, p2


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_logged_in_non_staff_user_is_denied(client):
    client.force_login(UserFactory(is_staff=False))
    response = client.get(URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_non_staff_user_cannot_download_either(client, data):
    client.force_login(UserFactory(is_staff=False))
    response = client.get(URL, {"export": "csv"})
    assert response.status_code == 302
    assert b"EIG" not in response.content


def test_coordinator_reads_headline_records_and_the_flag(client, coordinator, data):
    client.force_login(coordinator)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Le programme en chiffres" in html
    assert "déclaré : 28 ; registres : 26" in html
    assert "la somme des lignes est 52" in html
    assert "<svg" in html and 'role="img"' in html
    assert "756\u00a0553,38\u00a0€" in html
    assert "cdn" not in html.lower()
    row = response.context["rows"][0]
    assert row["metric"].key == "fellows"
    assert [c["cell"].headline for c in row["cells"]] == [3, 28, 31]


def test_the_dashboard_only_answers_get(client, coordinator):
    client.force_login(coordinator)
    assert client.post(URL).status_code == 405


def test_filter_keeps_the_ticked_promotions(client, coordinator, data):
    client.force_login(coordinator)
    response = client.get(URL, {"promotion": ["eig-2", "unknown"]})
    assert [c.key for c in response.context["figures"].columns] == ["EIG 2", "total"]
    assert 'value="eig-2" id="promotion-eig-2" checked' in response.content.decode()


def test_csv_download_has_a_bom_and_the_semicolon_option(client, coordinator, data):
    client.force_login(coordinator)
    response = client.get(URL, {"export": "csv", "sep": ";"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Indicateur", "Clé", "EIG 1", "EIG 1 — registres"]
    by_key = {row[1]: row for row in rows[1:]}
    assert by_key["fellows"][2:] == ["3", "3", "28", "26", "31", "29"]
    assert by_key["salaries"][2] == "756553,38"
    assert by_key["share_designers"][2] == "1,0"


def test_csv_download_with_commas_by_default(client, coordinator, data):
    client.force_login(coordinator)
    response = client.get(URL, {"export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row[1]: row for row in rows[1:]}["salaries"][2] == "756553.38"


def test_xlsx_download_keeps_numbers_as_numbers(client, coordinator, data):
    client.force_login(coordinator)
    response = client.get(URL, {"export": "xlsx"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Chiffres"]
    by_key = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert by_key["fellows"][2:6] == (3, 3, 28, 26)
    assert isinstance(by_key["fellows"][4], int)
    assert by_key["salaries"][2] == pytest.approx(756553.38)
    assert isinstance(by_key["salaries"][2], float)
    assert by_key["share_data_scientists"][4] == 1.0
    assert by_key["candidates"][2] is None
    printed = list(workbook["Totaux imprimés"].iter_rows(min_row=2, values_only=True))
    assert printed == [("Rapport EIG 2019", "challenges_proposed", "EIG 1, EIG 2", 43, 52, True)]


def test_dashboard_query_count_does_not_grow_with_the_data(client, coordinator, data):
    client.force_login(coordinator)
    cache.clear()  # both pages computed, not read from the stored figures
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    p1, p2 = data
    for promotion in (p1, p2):
        fellows = FellowFactory.create_batch(20, promotion=promotion)
        ChallengeFactory.create_batch(10, promotion=promotion, fellows=fellows[:2])
        MentorFactory.create_batch(10, promotion=promotion)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        assert client.get(URL).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
