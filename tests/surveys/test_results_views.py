"""Coordinator pages: follow-up, results, free text, import form (staff only)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from surveys.models import Response, Role
from surveys.services import response_for_invitation, response_save_section, response_submit
from tests.factories import PromotionFactory, UserFactory
from tests.surveys.builders import build_2019_response_set, build_responses

pytestmark = pytest.mark.django_db


@pytest.fixture
def set2019():
    return build_2019_response_set()


def urls(code="eig-2019-fellows"):
    return [
        reverse("survey_results:index"),
        reverse("survey_results:followup", args=[code]),
        reverse("survey_results:results", args=[code]),
        reverse("survey_results:text_answers", args=[code, "comments"]),
        reverse("survey_results:export_csv", args=[code]),
        reverse("survey_results:export_xlsx", args=[code]),
        reverse("survey_results:import", args=[code]),
    ]


def test_anonymous_visitor_is_sent_to_login(client, set2019):
    for url in urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"]


def test_non_staff_user_is_denied(client, set2019):
    client.force_login(UserFactory(is_staff=False))
    for url in urls():
        assert client.get(url).status_code == 302, url


def test_wrong_method_is_refused(client, coordinator, set2019):
    client.force_login(coordinator)
    assert (
        client.post(reverse("survey_results:results", args=["eig-2019-fellows"])).status_code == 405
    )


def test_every_page_shows_its_questionnaire_to_a_coordinator(client, coordinator, set2019):
    client.force_login(coordinator)
    index, followup, results, texts, csv_url, xlsx_url, import_url = urls()
    title = "Questionnaire EIG"  # the shipped fellows questionnaire's title starts so
    for url in (index, followup, results, import_url):
        page = client.get(url)
        assert page.status_code == 200, url
        assert title in page.content.decode(), url
    page = client.get(texts)
    assert page.status_code == 200 and page.context["question"].code == "comments"
    assert client.get(csv_url)["Content-Type"].startswith("text/csv")
    assert "spreadsheetml" in client.get(xlsx_url)["Content-Type"]
    assert 'type="file"' in client.get(import_url).content.decode()


def test_followup_shows_rates(client, coordinator, set2019):
    client.force_login(coordinator)
    html = client.get(
        reverse("survey_results:followup", args=["eig-2019-fellows"])
    ).content.decode()
    assert "21 réponses envoyées sur 39 invitations" in " ".join(html.split())
    assert "54\u202f%" in html
    assert "<svg" in html and 'id="rates-table"' in html


def test_results_page_shows_n_percentages_chart_and_table(client, coordinator, set2019):
    client.force_login(coordinator)
    html = client.get(reverse("survey_results:results", args=["eig-2019-fellows"])).content.decode()
    assert "n = 21" in html
    assert "67\u202f% (14)" in html
    assert "plusieurs réponses possibles" in html
    assert 'id="chart-tech_env_adapted-title"' in html
    assert 'id="table-tech_env_adapted"' in html
    assert "cdn" not in html.lower()


def test_results_filters_by_role_and_promotion(client, coordinator, set2019):
    client.force_login(coordinator)
    url = reverse("survey_results:results", args=["eig-2019-fellows"])
    html = client.get(url, {"promotion": "eig-1"}).content.decode()
    assert "6 réponses envoyées" in html
    html = client.get(url, {"role": "mentor"}).content.decode()
    assert "<strong>0 réponse" in html
    assert "—" in html  # empty population: dashes, no error
    assert client.get(url, {"promotion": "nope"}).status_code == 200


def test_results_page_query_count_is_bounded(
    client, coordinator, set2019, django_assert_max_num_queries
):
    client.force_login(coordinator)
    url = reverse("survey_results:results", args=["eig-2019-fellows"])
    client.get(url)  # warm up session/site caches
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    build_responses(
        survey=set2019["fellows"],
        people=[(Role.FELLOW, set2019["eig2"])] * 80,
        answers={"tech_env_adapted": [True] * 80, "comments": ["x"] * 80},
        respondent_prefix="more-",
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_anonymous_survey_free_text_shows_no_role_or_person(client, coordinator, set2019):
    survey = set2019["fellows"]
    client.force_login(coordinator)
    url = reverse("survey_results:text_answers", args=[survey.code, "comments"])
    assert "EIG · EIG" in client.get(url).content.decode()  # named survey: role shown
    survey.is_anonymous = True
    survey.save()
    html = client.get(url).content.decode()
    assert "🚀" in html
    assert "@example.gouv.fr" not in html
    assert "EIG · EIG" not in html and "fellow ·" not in html


def test_text_answers_are_paginated(client, coordinator, set2019):
    build_responses(
        survey=set2019["fellows"],
        people=[(Role.FELLOW, set2019["eig2"])] * 60,
        answers={"comments": [f"avis {i}" for i in range(60)]},
        respondent_prefix="t-",
    )
    client.force_login(coordinator)
    url = reverse("survey_results:text_answers", args=["eig-2019-fellows", "comments"])
    first = client.get(url).content.decode()
    assert "63 réponses" in first and "Page suivante" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert "avis 59" in second


def test_import_form_lists_errors_and_keeps_nothing(client, coordinator):
    PromotionFactory(number=1, code="EIG 1")
    from surveys.definition_files import load_shipped_2019_surveys

    survey = load_shipped_2019_surveys()[0]
    client.force_login(coordinator)
    url = reverse("survey_results:import", args=[survey.code])
    bad = SimpleUploadedFile(
        "a.csv", b"respondent,role,promotion,tech_env_adapted\nr1,fellow,EIG 1,maybe\n"
    )
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    assert "ligne 2, colonne « tech_env_adapted »" in response.content.decode()
    assert not Response.objects.exists()
    good = SimpleUploadedFile(
        "a.csv", "\ufeffrespondent;role;promotion;tech_env_adapted\nr1;fellow;EIG 1;oui\n".encode()
    )
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    assert Response.objects.get().answers.get().boolean is True


def test_dashboard_shows_pinned_survey_results_with_their_table(
    client, coordinator, set2019, django_assert_max_num_queries
):
    client.force_login(coordinator)
    url = reverse("promotions:dashboard")
    html = client.get(url).content.decode()
    assert 'id="pinned-survey-results"' in html
    assert "Questionnaires : résultats clés" in html
    assert "<strong>67\u202f%</strong> (14)" in html  # technical environment adapted
    assert "<strong>77\u202f%</strong> (10)" in html  # mentors: technical means differ
    assert 'id="pinned-chart-eig-2019-fellows-title"' in html
    with django_assert_max_num_queries(60) as before:
        client.get(url)
    build_responses(
        survey=set2019["fellows"],
        people=[(Role.FELLOW, set2019["eig2"])] * 50,
        answers={"tech_env_adapted": [True] * 50},
        respondent_prefix="d-",
    )
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)


def test_survey_admin_links_to_follow_up_results_and_import(client, coordinator, set2019):
    client.force_login(coordinator)
    survey = set2019["fellows"]
    html = client.get(reverse("admin:surveys_survey_change", args=[survey.pk])).content.decode()
    assert reverse("survey_results:import", args=[survey.code]) in html
    assert reverse("survey_results:results", args=[survey.code]) in html


def test_followup_counts_follow_french_plurals(client, coordinator, small_survey, make_invitation):
    make_invitation(small_survey)
    client.force_login(coordinator)
    html = client.get(reverse("survey_results:followup", args=[small_survey.code])).content.decode()
    text = " ".join(html.split())
    assert "0 réponse envoyée sur 1 invitation." in text


def test_free_text_list_names_the_role_in_french(staff_client, small_survey, make_invitation):
    invitation, _ = make_invitation(small_survey)
    response = response_for_invitation(invitation=invitation)
    first, second = small_survey.sections.order_by("order", "pk")
    response_save_section(
        response=response, section=first, values={"happy": "no", "why_not": "Trop loin"}
    )
    response_save_section(response=response, section=second, values={"rating": 4})
    assert response_submit(response=response)
    page = staff_client.get(
        reverse("survey_results:text_answers", args=[small_survey.code, "why_not"])
    ).content.decode()
    assert "Trop loin" in page
    assert "EIG · EIG 1" in page and "fellow" not in page.split('id="content"')[1]
    follow = staff_client.get(reverse("survey_results:followup", args=[small_survey.code]))
    assert "1 réponse envoyée sur 1 invitation." in " ".join(follow.content.decode().split())
