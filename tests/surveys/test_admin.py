"""Survey admin: pages render for a coordinator; actions call the services."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from surveys.models import Invitation, Question, Response, Role, Survey

pytestmark = pytest.mark.django_db


def test_admin_pages_show_the_questionnaire_and_its_records(coord_client, small_survey):
    question = small_survey.questions.get(code="colour")
    changelist = coord_client.get(reverse("admin:surveys_survey_changelist"))
    assert changelist.status_code == 200
    assert list(changelist.context["cl"].result_list) == [small_survey]

    change = coord_client.get(reverse("admin:surveys_survey_change", args=[small_survey.pk]))
    assert change.context["original"] == small_survey
    assert "Petit questionnaire" in change.content.decode()

    questions = coord_client.get(
        reverse("admin:surveys_question_changelist") + f"?survey__id__exact={small_survey.pk}"
    )
    assert questions.context["cl"].result_count == small_survey.questions.count()

    question_page = coord_client.get(reverse("admin:surveys_question_change", args=[question.pk]))
    body = question_page.content.decode()
    assert question_page.context["original"] == question
    assert 'value="blue"' in body and 'value="red"' in body  # its choices, inline

    for name in ("invitation", "response"):
        page = coord_client.get(reverse(f"admin:surveys_{name}_changelist"))
        assert page.status_code == 200
        assert page.context["cl"].result_count == 0, name


def test_anonymous_user_cannot_reach_the_survey_admin(client, small_survey):
    page = client.get(reverse("admin:surveys_survey_changelist"))
    assert page.status_code == 302 and "/login/" in page["Location"]


def test_duplicate_action_targets_the_next_promotion(coord_client, small_survey, promotions):
    small_survey.promotions.set([promotions[0]])
    coord_client.post(
        reverse("admin:surveys_survey_changelist"),
        {"action": "duplicate_for_next_promotion", "_selected_action": [small_survey.pk]},
    )
    copy = Survey.objects.get(code="small-eig-2")
    assert list(copy.promotions.all()) == [promotions[1]]
    assert copy.questions.count() == small_survey.questions.count()


def test_create_send_resend_and_invalidate_actions(
    coord_client, small_survey, promotions, people, django_capture_on_commit_callbacks
):
    small_survey.promotions.set(promotions)
    changelist = reverse("admin:surveys_survey_changelist")
    coord_client.post(
        changelist, {"action": "create_invitations", "_selected_action": [small_survey.pk]}
    )
    assert Invitation.objects.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        coord_client.post(
            changelist, {"action": "send_invitations", "_selected_action": [small_survey.pk]}
        )
    assert len(mail.outbox) == 3
    alice = Invitation.objects.get(email="alice@example.org")
    invitations = reverse("admin:surveys_invitation_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        coord_client.post(invitations, {"action": "resend", "_selected_action": [alice.pk]})
    assert len(mail.outbox) == 4
    coord_client.post(invitations, {"action": "invalidate", "_selected_action": [alice.pk]})
    alice.refresh_from_db()
    assert alice.invalidated_at is not None


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


def test_questions_filter_by_sections_of_the_chosen_questionnaire(coord_client, surveys_2019):
    survey, other = surveys_2019[0], surveys_2019[1]
    url = reverse("admin:surveys_question_changelist")

    html = coord_client.get(url).content.decode()
    assert "section__id__exact=" not in html  # no section listed before a questionnaire

    html = coord_client.get(url, {"survey__id__exact": survey.pk}).content.decode()
    sections = list(survey.sections.order_by("order", "pk"))
    assert len(sections) > 1
    for section in sections:
        assert f"section__id__exact={section.pk}" in html
    assert not any(
        re.search(rf"section__id__exact={s.pk}(?!\d)", html) for s in other.sections.all()
    )

    # The « Voir les questions » link of a section (no questionnaire chosen) lists its
    # questions and offers the other sections of its questionnaire.
    first = sections[0]
    response = coord_client.get(url, {"section__id__exact": first.pk})
    assert coord_client.get(url, {"section__id__exact": "²"}).status_code == 200
    assert {q.section_id for q in response.context["cl"].result_list} == {first.pk}
    assert response.context["cl"].result_count == first.questions.count()
    assert f"section__id__exact={sections[1].pk}" in response.content.decode()


def test_survey_list_counts_invitations_and_submitted_responses(
    coord_client, small_survey, make_invitation, django_assert_max_num_queries
):
    make_invitation(small_survey)
    with django_assert_max_num_queries(14):
        response = coord_client.get(reverse("admin:surveys_survey_changelist"))
    (row,) = response.context["cl"].result_list
    assert row._n_invitations == small_survey.invitations.count() == 1
    assert row._n_submitted == small_survey.responses.filter(status="submitted").count()
