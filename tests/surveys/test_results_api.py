"""``GET /api/v1/surveys/<code>/results/`` and ``manage.py survey_results``."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from drf_spectacular.generators import SchemaGenerator
from openapi_schema_validator import OAS30Validator

from tests.factories import UserFactory
from tests.surveys.builders import build_2019_response_set

pytestmark = pytest.mark.django_db

URL = "/api/v1/surveys/{}/results/"


@pytest.fixture
def set2019():
    return build_2019_response_set()


def test_anonymous_is_denied(client, set2019):
    response = client.get(URL.format("eig-2019-fellows"))
    assert response.status_code in (401, 403)
    assert b"tech_env_adapted" not in response.content


def test_non_staff_user_is_denied(client, set2019):
    client.force_login(UserFactory(is_staff=False))
    assert client.get(URL.format("eig-2019-fellows")).status_code == 403


def test_unknown_survey_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(URL.format("nope")).status_code == 404


def test_staff_gets_counts_and_shares_matching_the_schema(client, coordinator, set2019):
    client.force_login(coordinator)
    response = client.get(URL.format("eig-2019-mentors"))
    assert response.status_code == 200
    data = response.json()
    q = data["questions"]["tech_means_differ"]
    assert q["overall"]["answered"] == 13
    assert q["overall"]["choices"]["yes"] == {"count": 10, "share": 0.7692}
    assert q["by_role"]["mentor"]["choices"]["yes"]["count"] == 10
    assert q["by_promotion"]["EIG 1"]["answered"] == 4
    assert data["questions"]["eig_contributions"]["multiple_answers"] is True

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/surveys/{code}/results/"]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]
    validator = OAS30Validator({**ref, "components": schema["components"]})
    validator.validate(data)
    # The validator really checks: a wrong type is refused.
    broken = {**data, "respondents": {**data["respondents"], "overall": "thirteen"}}
    assert not validator.is_valid(broken)


def test_filters_by_role_and_promotion(client, coordinator, set2019):
    client.force_login(coordinator)
    data = client.get(URL.format("eig-2019-fellows"), {"promotion": "EIG 2"}).json()
    assert data["respondents"]["overall"] == 15
    assert data["filters"] == {"role": None, "promotion": "EIG 2"}
    assert data["questions"]["etalab_expertise"]["overall"]["choices"]["yes"]["count"] == 10
    empty = client.get(URL.format("eig-2019-fellows"), {"role": "mentor"}).json()
    assert empty["respondents"]["overall"] == 0
    assert empty["questions"]["tech_env_adapted"]["overall"]["choices"]["yes"]["share"] is None
    bad = client.get(URL.format("eig-2019-fellows"), {"role": "boss"})
    assert bad.status_code == 400


def test_api_does_not_expose_any_person(client, coordinator, set2019):
    client.force_login(coordinator)
    body = client.get(URL.format("eig-2019-fellows")).content.decode()
    assert "@example.gouv.fr" not in body
    assert "respondent" not in body.replace('"respondents"', "")


def test_survey_results_command_prints_the_same_json(set2019):
    out = StringIO()
    call_command("survey_results", "eig-2019-fellows", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["questions"]["tech_env_adapted"]["overall"]["choices"]["yes"] == {
        "count": 14,
        "share": 0.6667,
    }
    assert data["questions"]["tech_env_adapted"]["by_role"]["fellow"]["answered"] == 21


def test_survey_results_command_text_and_errors(set2019):
    out = StringIO()
    call_command("survey_results", "eig-2019-mentors", "--format", "text", stdout=out)
    assert "77\u202f%" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("survey_results", "unknown")


def test_api_unknown_promotion_is_a_400_naming_it(staff_client, small_survey):
    api = f"/api/v1/surveys/{small_survey.code}/results/"
    page = staff_client.get(api, {"promotion": "EIG 99"})
    assert page.status_code == 400
    assert "EIG 99" in page.json()["promotion"]
    assert staff_client.get(api, {"promotion": "EIG\x001"}).status_code == 400


def test_filter_on_a_promotion_without_responses_keeps_its_group(
    staff_client, small_survey, promotions
):
    """EIG 2 is not attached to the survey and nobody of it answered: still a valid filter."""
    small_survey.promotions.set([promotions[0]])
    api = f"/api/v1/surveys/{small_survey.code}/results/"
    data = staff_client.get(api, {"promotion": "EIG 2"}).json()
    assert data["filters"] == {"role": None, "promotion": "EIG 2"}
    assert data["respondents"]["by_promotion"] == {"EIG 2": 0}
    assert data["questions"]["happy"]["by_promotion"]["EIG 2"]["answered"] == 0
    out = StringIO()
    call_command("survey_results", small_survey.code, "--promotion", "EIG 2", stdout=out)
    assert json.loads(out.getvalue())["filters"]["promotion"] == "EIG 2"
