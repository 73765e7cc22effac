"""Survey admin: pages render for a coordinator; actions call the services."""

import pytest
from django.core import mail
from django.urls import reverse

from surveys.models import Invitation, Survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def coord_client(client, coordinator):
    coordinator.is_superuser = True
    coordinator.save()
    client.force_login(coordinator)
    return client


def test_admin_pages_render(coord_client, small_survey):
    question = small_survey.questions.get(code="colour")
    for url in [
        reverse("admin:surveys_survey_changelist"),
        reverse("admin:surveys_survey_change", args=[small_survey.pk]),
        reverse("admin:surveys_question_changelist") + f"?survey__id__exact={small_survey.pk}",
        reverse("admin:surveys_question_change", args=[question.pk]),
        reverse("admin:surveys_invitation_changelist"),
        reverse("admin:surveys_response_changelist"),
    ]:
        assert coord_client.get(url).status_code == 200, url


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
