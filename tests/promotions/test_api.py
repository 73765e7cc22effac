"""Open-data API: /api/v1/figures/, /api/v1/promotions/, /api/v1/challenges/ and their schema.

Responses are validated against the OpenAPI document served at /api/v1/schema/ (openapi-core).
"""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from promotions.models import Fellow
from tests.factories import (
    BudgetLineFactory,
    ChallengeFactory,
    DeclaredFigureFactory,
    FellowFactory,
    PrintedTotalFactory,
    PromotionFactory,
)
from tests.promotions.test_figures import REPORT

pytestmark = pytest.mark.django_db
FIGURES = reverse("api:figures")
KEYS = {
    "fellows",
    "mentors",
    "challenges",
    "new_host_organisations",
    "candidates",
    "candidates_interviewed_by_jury",
    "challenges_proposed",
    "share_designers",
    "share_developers",
    "share_data_scientists",
    "budget_eur",
}
BUDGET = {
    "pia_envelope",
    "salaries",
    "communication",
    "support_programme",
    "research_links",
    "total",
}


@pytest.fixture
def openapi(client):
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    return OpenAPI.from_dict(json.loads(response.content))


def assert_valid(openapi, response):
    """Fail unless the response matches its operation in the OpenAPI document."""
    openapi.validate_response(
        DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
    )


@pytest.fixture
def small_data():
    p1, p2 = PromotionFactory(number=1), PromotionFactory(number=2)
    FellowFactory.create_batch(2, promotion=p1, profile=Fellow.Profile.DESIGNER)
    FellowFactory(promotion=p2)
    DeclaredFigureFactory(promotion=p2, metric="fellows", value=3)
    BudgetLineFactory(promotion=p1, category="salaries", amount=Decimal("10.50"))
    PrintedTotalFactory(metric="budget_eur.salaries", value=Decimal("10"), promotions=[p1, p2])
    ChallengeFactory(promotion=p1, title="Lab Santé", slug="lab-sante")
    ChallengeFactory(promotion=p2, title="Caché", slug="cache", is_public=False)
    return p1, p2


def test_figures_answer_anonymous_with_the_report_key_names(client, small_data):
    response = client.get(FIGURES)
    assert response.status_code == 200
    data = response.json()
    assert list(data["promotions"]) == ["EIG 1", "EIG 2"]
    eig2 = data["promotions"]["EIG 2"]
    assert KEYS <= set(eig2) and KEYS <= set(eig2["records"])
    assert set(eig2["budget_eur"]) == BUDGET
    assert (eig2["fellows"], eig2["records"]["fellows"]) == (3, 1)
    assert "fellows" in eig2["differences"]
    assert data["promotions"]["EIG 1"]["share_designers"] == 1.0
    assert data["promotions"]["EIG 1"]["budget_eur"]["salaries"] == "10.50"
    assert data["promotions"]["EIG 2"]["budget_eur"]["salaries"] is None
    assert data["total"]["fellows"] == 5
    assert data["total"]["budget_eur"]["total"] == "10.50"
    assert data["printed_totals"] == [
        {
            "source": "Rapport EIG 2019",
            "metric": "budget_eur.salaries",
            "promotions": ["EIG 1", "EIG 2"],
            "printed": "10.00",
            "sum": "10.50",
            "differs": True,
            "note": "",
        }
    ]


def test_figures_response_validates_against_the_schema(client, openapi, small_data):
    assert_valid(openapi, client.get(FIGURES))


def test_schema_validation_catches_a_wrong_type(client, openapi, small_data):
    """The validation is real: a share given as text does not pass."""
    response = client.get(FIGURES)
    data = response.json()
    data["total"]["share_designers"] = "25 %"
    response.content = json.dumps(data).encode()
    with pytest.raises(Exception, match="(?i)valid"):
        assert_valid(openapi, response)


def test_figures_filter_by_promotion(client, small_data):
    data = client.get(FIGURES, {"promotion": "eig-2"}).json()
    assert list(data["promotions"]) == ["EIG 2"]
    assert data["total"]["fellows"] == 3


def test_figures_query_count_is_constant(client, small_data):
    with CaptureQueriesContext(connection) as small:
        client.get(FIGURES)
    p1, _p2 = small_data
    FellowFactory.create_batch(30, promotion=p1)
    ChallengeFactory.create_batch(10, promotion=p1)
    with CaptureQueriesContext(connection) as large:
        client.get(FIGURES)
    # Two for the key of the stored document (data versions, events ended by now), three
    # registered by the défis app (proposals received, candidates, new administrations), four
    # for the promotions and their declared figures and printed totals, five for the follow-up
    # figures (promotions' ids, events, outcomes, expertise, alumni).
    assert len(large.captured_queries) == len(small.captured_queries) <= 14


def test_challenges_list_public_defis_only_and_validates(client, openapi, small_data):
    response = client.get(reverse("api:challenges"))
    assert response.status_code == 200
    data = response.json()
    assert [c["slug"] for c in data["results"]] == ["lab-sante"]
    assert data["results"][0]["promotion"] == "EIG 1"
    assert "fellows" not in data["results"][0]  # no personal data
    assert_valid(openapi, response)


def test_challenges_filters(client, small_data):
    ChallengeFactory(promotion=small_data[1], title="Open Justice", slug="open-justice")
    url = reverse("api:challenges")
    assert [c["slug"] for c in client.get(url, {"promotion": "eig-2"}).json()["results"]] == [
        "open-justice"
    ]
    assert client.get(url, {"q": "santé"}).json()["count"] == 1
    assert client.get(url, {"production_status": "nonsense"}).status_code == 400


def test_challenges_csv_download_has_every_row_and_a_bom(client, small_data):
    ChallengeFactory.create_batch(3, promotion=small_data[0])
    response = client.get(reverse("api:challenges"), {"format": "csv", "page_size": 1})
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 4
    assert "Lab Santé" in {r["title"] for r in rows}


def test_challenges_list_query_count_is_constant(client, small_data):
    url = reverse("api:challenges")
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    ChallengeFactory.create_batch(20, promotion=small_data[0])
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_promotions_list_validates_and_downloads_as_csv(client, openapi, small_data):
    response = client.get(reverse("api:promotions"))
    assert [p["code"] for p in response.json()["results"]] == ["EIG 1", "EIG 2"]
    assert response.json()["results"][0]["fellows_count"] == 2
    # The unpublished défi of EIG 2 is neither shown nor counted in the open data.
    assert [p["challenges_count"] for p in response.json()["results"]] == [1, 0]
    assert_valid(openapi, response)
    csv_response = client.get(reverse("api:promotions"), {"format": "csv", "sep": ";"})
    assert csv_response.content.decode("utf-8-sig").splitlines()[0].startswith("code;slug;")


def test_open_data_page_lists_the_downloads(client):
    response = client.get(reverse("promotions:open_data"))
    assert response.status_code == 200
    html = response.content.decode()
    for url in (
        reverse("api:challenges"),
        reverse("api:promotions"),
        FIGURES,
        reverse("api:schema"),
    ):
        assert url in html


def test_real_figures_api_gives_the_report_and_validates(client, openapi):
    call_command("import_eig_data", verbosity=0)
    response = client.get(FIGURES)
    assert_valid(openapi, response)
    data = response.json()
    for code in ("EIG 1", "EIG 2", "EIG 3"):
        expected = REPORT["promotions"][code]
        got = data["promotions"][code]
        for key in KEYS - {"budget_eur"}:
            assert got[key] == expected[key], (code, key)
        for key in BUDGET:
            assert got["budget_eur"][key] == expected["budget_eur"][key], (code, key)
    assert data["promotions"]["EIG 2"]["records"]["fellows"] == 26
    assert data["total"]["records"]["challenges"] == 131
    assert len(data["promotions"]) == 8
    printed = {p["metric"]: p for p in data["printed_totals"]}
    assert (printed["challenges_proposed"]["printed"], printed["challenges_proposed"]["sum"]) == (
        "85",
        "94",
    )
    assert printed["budget_eur.salaries"]["sum"] == "4658243.47"
    assert printed["budget_eur.salaries"]["differs"] is True


def test_api_docs_are_served_without_a_cdn(client):
    html = client.get(reverse("api:docs")).content.decode()
    assert "/static/drf_spectacular_sidecar/redoc/" in html
    assert "cdn" not in html.lower()


def test_figures_api_fields_are_the_metrics_of_the_figures_table():
    """The API lists no metric of its own: every count and share of ``figures.METRICS`` is a
    field of the document, and nothing else besides the budget."""
    from promotions.api import FigureValuesSerializer
    from promotions.figures import COUNT_KEYS, METRICS, SHARE_KEYS

    fields = set(FigureValuesSerializer().fields)
    assert fields == {*COUNT_KEYS, *SHARE_KEYS, "budget_eur"}
    assert set(COUNT_KEYS) | set(SHARE_KEYS) == {m.key for m in METRICS if m.kind != "money"}
