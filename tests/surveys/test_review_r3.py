"""Regressions found by walking issue 4 as a newcomer (r3): answering pages, staff pages, admin."""

import json
from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse

from surveys.models import Answer, Question, Response, Role
from surveys.services import response_for_invitation, response_save_section, response_submit

pytestmark = pytest.mark.django_db


def url(name, token, *args):
    return reverse(f"surveys:{name}", args=[token, *args])


def test_required_questions_carry_the_announced_asterisk(client, small_survey, make_invitation):
    _, token = make_invitation(small_survey)
    body = client.get(url("section", token, 1)).content.decode()
    assert "marquées d'un astérisque (*)" in body
    # « Content·e ? » is required, « Couleur préférée » is not.
    assert 'Content·e ? <span aria-hidden="true">*</span>' in body
    assert 'Couleur préférée <span aria-hidden="true">*</span>' not in body
    # The error summary names the question without the asterisk.
    page = client.post(url("section", token, 1), {"action": "next"}).content.decode()
    summary = page.split('id="form-errors"')[1].split("</ul>")[0]
    assert "Content·e ? : Cette question est obligatoire." in summary
    assert "*" not in summary
    assert page.count('role="alert"') == 1  # the template pack's summary repeated it
    assert "Le formulaire contient" not in page


def test_number_limits_are_said_as_people_write_them(client, small_survey, make_invitation):
    _, token = make_invitation(small_survey)
    client.post(url("section", token, 1), {"action": "next", "happy": "yes"})
    page = client.post(url("section", token, 2), {"action": "next", "rating": "3", "hours": "80,5"})
    body = page.content.decode()
    assert "Saisissez un nombre inférieur ou égal à 80 h." in body
    assert "80.0000" not in body and "80,0000" not in body
    assert 'value="80,5"' in body  # what was typed is kept
    page = client.post(url("section", token, 2), {"action": "next", "rating": "3", "hours": "-1"})
    assert "supérieur ou égal à 0 h." in page.content.decode()


def test_review_and_done_pages_write_decimals_with_a_comma(client, small_survey, make_invitation):
    _, token = make_invitation(small_survey)
    client.post(url("section", token, 1), {"action": "next", "happy": "yes"})
    client.post(url("section", token, 2), {"action": "next", "rating": "3", "hours": "3,5"})
    assert "3,5 h" in client.get(url("review", token)).content.decode()
    client.post(url("review", token))
    done = client.get(url("done", token)).content.decode()
    assert "3,5 h" in done and "3.5 h" not in done
    # Back on an integer: no « ,0 ».
    assert Answer.objects.get(question__code="hours").number == 3.5


def test_10000_characters_with_line_breaks_as_the_browser_sends_them(
    client, small_survey, make_invitation
):
    """A textarea's maxlength counts a line break as 1 character; the browser posts CRLF."""
    _, token = make_invitation(small_survey)
    typed = "é" * 4_000 + "\r\n" + "😀" * 3_000 + "\r\n" + "a" * 2_998  # 10,000 once typed
    page = client.post(
        url("section", token, 1), {"action": "next", "happy": "no", "why_not": typed}
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    saved = Answer.objects.get(question__code="why_not").text
    assert len(saved) == 10_000 and "\r" not in saved
    page = client.post(
        url("section", token, 1), {"action": "next", "happy": "no", "why_not": typed + "b"}
    )
    assert page.status_code == 200 and "10001" in page.content.decode()


@pytest.fixture
def staff_client(client, coordinator):
    client.force_login(coordinator)
    return client


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
    assert "1 réponse envoyée sur 1 invitations." in " ".join(follow.content.decode().split())


@pytest.fixture
def coord_client(client, coordinator):
    coordinator.is_superuser = True
    coordinator.save()
    client.force_login(coordinator)
    return client


def _question_post(section, **fields):
    data = {
        "section": section.pk,
        "order": 9,
        "code": "new_q",
        "text": "Nouvelle question",
        "help_text": "",
        "type": "short_text",
        "scale_min": "",
        "scale_max": "",
        "min_label": "",
        "max_label": "",
        "number_min": "",
        "number_max": "",
        "unit": "",
        "show_if_question": "",
        "show_if_value": "",
        "pinned_choice": "",
        "choices-TOTAL_FORMS": "0",
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data


def test_admin_question_form_refuses_a_taken_code_and_unmeetable_conditions(
    coord_client, small_survey, surveys_2019
):
    add = reverse("admin:surveys_question_add")
    section = small_survey.sections.order_by("order", "pk").first()
    colour = small_survey.questions.get(code="colour")
    before = Question.objects.count()

    page = coord_client.post(add, _question_post(section, code="colour"))
    assert page.status_code == 200  # was an IntegrityError (500)
    assert "déjà pris dans le questionnaire « small »" in page.content.decode()

    page = coord_client.post(
        add, _question_post(section, show_if_question=colour.pk, show_if_value="Rouge")
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "n&#x27;est pas une réponse possible de « colour » : indiquez blue | red" in body

    other = surveys_2019[0].questions.exclude(type="short_text").first()
    page = coord_client.post(
        add, _question_post(section, show_if_question=other.pk, show_if_value="yes")
    )
    assert "appartient à un autre questionnaire" in page.content.decode()
    assert Question.objects.count() == before

    page = coord_client.post(
        add, _question_post(section, show_if_question=colour.pk, show_if_value="red")
    )
    assert page.status_code == 302
    assert Question.objects.get(survey=small_survey, code="new_q").show_if_question == colour


def test_admin_section_choices_name_their_questionnaire(coord_client, small_survey, surveys_2019):
    body = coord_client.get(reverse("admin:surveys_question_add")).content.decode()
    assert "small — Première partie" in body


def test_create_invitations_says_who_has_no_email(coord_client, small_survey, promotions, people):
    small_survey.promotions.set(promotions)
    page = coord_client.post(
        reverse("admin:surveys_survey_changelist"),
        {"action": "create_invitations", "_selected_action": [small_survey.pk]},
    )
    texts = [str(m) for m in get_messages(page.wsgi_request)]
    assert "small : 3 invitations créées." in texts
    assert any("1 personne sans adresse électronique n'a pas été invitée" in t for t in texts)
    assert Role.FELLOW and Response.objects.count() == 0


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
